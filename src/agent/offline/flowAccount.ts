// The shopper's account: coupons (list, claim), points (balance, tasks, redeem), 链动 referral status,
// and the 老铁 community (badges, votes, feedback). A claim, redemption or vote happens only when the
// shopper asked for it and the item is one a tool listed; with several to choose from, the card asks.
import { TOOLS } from '../../../tools/index.ts';
import { callOr, cannot, errorOf, latest, reply, valueOf, type Decision, type Flow } from './flow.ts';
import { LEXICON } from './lexicon.ts';
import { containsTerm } from '../../text/normalize.ts';
import { romanisedSays } from '../../text/phonetic.ts';
import { pick } from './recall.ts';
import type { Understanding } from './understand.ts';
import { lines } from './replies.ts';
import {
  askWhichCouponReply,
  askWhichRedeemReply,
  badgesReply,
  campaignReply,
  claimReply,
  couponsOverviewReply,
  noCampaignReply,
  noneClaimableReply,
  noRedeemOptionsReply,
  notEnoughPointsReply,
  pointsReply,
  redeemReply,
  referralReply,
  tasksReply,
  voteResultReply,
} from './replyAccount.ts';
import { knowledgeQuery, outOfScopeFlow, smalltalkFlow } from './flowService.ts';
import { knowledgeReply } from './replyService.ts';
import { candidateNamed } from './candidates.ts';
import { priceYuan, redeemOptions, resultOf, type ClaimableCoupon, type KnowledgePassage, type RedeemOption, type VoteCandidate } from './results.ts';
import type { CouponHint } from './slots.ts';

const {
  listCoupons,
  claimCoupon,
  getPoints,
  listTasks,
  redeemPoints,
  getReferralStatus,
  searchKnowledge,
  listBadges,
  listVoteCampaigns,
  voteProduct,
  submitFeedback,
} = TOOLS;

const THRESHOLD_RULE = /满\s*(\d+(?:\.\d+)?)\s*减\s*(\d+(?:\.\d+)?)/;
const NO_THRESHOLD_RULE = /无门槛/;
const AMOUNT_RULE = /减\s*(\d+(?:\.\d+)?)/;

/** The coupon a hint names: by code, by its rule (满100减20, 无门槛, 10元券). */
function couponByHint(coupons: readonly ClaimableCoupon[], hint: CouponHint | undefined): ClaimableCoupon | undefined {
  if (!hint) return undefined;
  const matches = coupons.filter((c) => {
    if (hint.code) return c.couponCode.toLowerCase() === hint.code.toLowerCase();
    const threshold = THRESHOLD_RULE.exec(c.rule);
    if (hint.thresholdYuan !== undefined) return threshold !== null && Number(threshold[1]) === hint.thresholdYuan && Number(threshold[2]) === hint.amountYuan;
    if (hint.noThreshold && !NO_THRESHOLD_RULE.test(c.rule)) return false;
    if (hint.amountYuan !== undefined) return Number(AMOUNT_RULE.exec(c.rule)?.[1]) === hint.amountYuan;
    return hint.noThreshold === true;
  });
  return matches.length === 1 ? matches[0] : undefined;
}

function claimCall(f: Flow, c: ClaimableCoupon): Decision {
  return callOr(f, claimCoupon, { couponCode: c.couponCode }, cannot(f, 'coupons'));
}

export function couponsFlow(f: Flow): Decision {
  const s = f.u.slots;
  const claimed = valueOf(f, claimCoupon);
  if (claimed !== undefined) return reply(claimReply(f.say, claimed));
  if (errorOf(f, claimCoupon)) return reply(f.say.t('coupons.refused_other'));
  const shown = f.u.recall.list?.kind === 'coupons' ? f.u.recall.list.items : [];
  const picking = f.u.pending?.intent === 'coupons' && s.ordinal !== undefined;
  const wantsClaim = s.couponClaim || picking;
  const listed = valueOf(f, listCoupons);
  // "第二张" answers last turn's question: the coupons it listed are the ones pointed at.
  if (wantsClaim && listed === undefined && s.ordinal !== undefined && shown.length) {
    const chosen = pick(shown, s.ordinal);
    return chosen ? claimCall(f, chosen) : reply(f.say.t('coupons.no_such_position'));
  }
  if (listed === undefined) return callOr(f, listCoupons, {}, cannot(f, 'coupons'));
  const { usable, claimable } = listed;
  if (!wantsClaim) return reply(couponsOverviewReply(f.say, usable, claimable));
  const chosen = (s.ordinal !== undefined ? pick(claimable, s.ordinal) : undefined) ?? couponByHint(claimable, s.coupon) ?? (claimable.length === 1 ? claimable[0] : undefined);
  if (chosen) return claimCall(f, chosen);
  if (!claimable.length) return reply(noneClaimableReply(f.say, usable));
  return reply(askWhichCouponReply(f.say, claimable));
}

/** The redemption the message names: by position, by points (100积分) or by amount (10元券). */
function redeemChoice(f: Flow, options: readonly RedeemOption[], picking: boolean): RedeemOption | undefined {
  const s = f.u.slots;
  if (picking) return pick(options, s.ordinal!);
  const byCost = s.pointsCost !== undefined ? options.filter((o) => o.pointsCost === s.pointsCost) : [];
  if (byCost.length === 1) return byCost[0];
  const amount = s.coupon?.amountYuan;
  const byAmount = amount !== undefined ? options.filter((o) => priceYuan(AMOUNT_RULE.exec(o.rule)?.[1] ?? '') === amount) : [];
  if (byAmount.length === 1) return byAmount[0];
  return options.length === 1 ? options[0] : undefined;
}

/** A question about redeeming rather than a yes/no ask for it: how many, what, how, which rule — "guize" too. */
function asksAboutRedeeming(norm: string): boolean {
  return LEXICON.redeemAskWords.some((t) => containsTerm(norm, t) || romanisedSays(norm, t));
}
// "换一张10元的券", "帮我兑个券": a clause that is the order to redeem.
const REDEEM_ORDER = /^(?:帮我|给我|请|麻烦)?(?:换|兑换?)(?:一张|张|个|一个)[^，。,？?！!\s]{0,8}(?:券|无门槛)$/u;
// "够的话换一张": a redemption asked for on a condition the balance answers.
const IF_SO_REDEEM = /的话.{0,3}(?:换|兑)/u;

function redeemFlow(f: Flow): Decision {
  const done = valueOf(f, redeemPoints);
  if (done !== undefined) return reply(redeemReply(f.say, done));
  const shown = f.u.recall.list?.kind === 'redeem' ? f.u.recall.list.items : [];
  const points = valueOf(f, getPoints);
  if (points === undefined && f.u.slots.ordinal !== undefined && shown.length) {
    const chosen = pick(shown, f.u.slots.ordinal);
    if (chosen) return callOr(f, redeemPoints, { templateCode: chosen.templateCode || undefined }, cannot(f, 'redeem'));
  }
  // The balance first: a redemption she cannot afford is explained, not attempted.
  if (points === undefined) return callOr(f, getPoints, {}, cannot(f, 'redeem'));
  const options = redeemOptions(points);
  if (!options.length) return reply(noRedeemOptionsReply(f.say));
  // "多少积分能换一张券", "积分能换什么" ask what can be done: the options, and nothing proposed.
  const s = f.u.slots;
  // "能用积分换张券吗" asks for it politely; "积分换券一天能换几次", "what can I redeem my points for?"
  // ask about it. Only a request, a pick from the list, "够的话换一张" or that polite yes/no ask states
  // a redemption for her to confirm.
  const named =
    LEXICON.pointsAspects.redeem.some((t) => containsTerm(f.u.norm, t)) || IF_SO_REDEEM.test(f.u.norm) || s.pointsCost !== undefined || s.coupon?.amountYuan !== undefined;
  // "第二个" picks from the redemptions shown; the 第一 of "我刚买了第一单" picks nothing.
  const picking = s.ordinal !== undefined && (shown.length > 0 || f.u.pending?.intent === 'points');
  // "换张券 换完告诉我还剩多少": a first clause that only names the redemption asks for it, whatever comes after.
  const first = f.u.norm.trim().split(/[\s,，。!！?？]+/u)[0] ?? '';
  // "积分那么多 换一张10元的券 顺便告诉我还剩多少": a clause that opens with the verb and names the
  // coupon orders it, whatever the other clauses ask.
  const ordersIt = f.u.norm.split(/[\s,，。!！;；]+/u).some((c) => REDEEM_ORDER.test(c) && !asksAboutRedeeming(c) && !/吗|么|呢|不$|没$/u.test(c));
  const opensWithIt = (LEXICON.pointsAspects.redeem.some((t) => first.startsWith(t)) && !asksAboutRedeeming(first)) || ordersIt;
  // "jifen duihuan guize shi sha": pinyin carries no 吗 or ？, its question words say it asks.
  const asking = s.question || asksAboutRedeeming(f.u.norm);
  const asksAbout = asking && !s.request && !opensWithIt && !picking && (!named || asksAboutRedeeming(f.u.norm));
  if (s.declined || asksAbout) return reply(pointsReply(f.say, points, s.pointsCost));
  const chosen = redeemChoice(f, options, picking);
  if (chosen && !chosen.affordable) return reply(notEnoughPointsReply(f.say, chosen, points.balance));
  if (chosen) return callOr(f, redeemPoints, { templateCode: chosen.templateCode || undefined }, cannot(f, 'redeem'));
  return reply(askWhichRedeemReply(f.say, points.balance, options));
}

export function pointsFlow(f: Flow): Decision {
  const s = f.u.slots;
  const picking = f.u.pending?.intent === 'points' && s.ordinal !== undefined;
  // "确认" to a stated redemption: the server ran it this turn, and its result is what to tell.
  const redeemed = valueOf(f, redeemPoints) !== undefined;
  if (s.pointsAspect === 'redeem' || picking || redeemed) return redeemFlow(f);
  const points = valueOf(f, getPoints);
  // "积分怎么攒的", "做任务的积分还没到账": how points are earned, beside what she has earned — the
  // balance and its recent changes say where hers came from.
  if (s.pointsAspect === 'tasks' && f.tools.has(listTasks)) {
    const tasks = valueOf(f, listTasks);
    if (tasks !== undefined) return reply(tasksReply(f.say, tasks, points));
    if (!latest(f, listTasks)) {
      const calls = [f.tools.plan(listTasks, {}), latest(f, getPoints) ? null : f.tools.plan(getPoints, {})];
      return { kind: 'calls', calls: calls.filter((c) => c !== null) };
    }
  }
  if (points) return reply(pointsReply(f.say, points, s.pointsCost));
  return callOr(f, getPoints, {}, cannot(f, 'points'));
}

/**
 * 链动 status, and for "团队奖是啥"-style questions the shop's own rule text as well: the status
 * says where the shopper stands, the rule says how it works.
 */
export function referralFlow(f: Flow): Decision {
  const explain = f.u.slots.referralExplain && f.tools.has(searchKnowledge);
  const status = latest(f, getReferralStatus);
  const rules = latest(f, searchKnowledge);
  if (!status && f.tools.has(getReferralStatus)) {
    const calls = [f.tools.plan(getReferralStatus, {}), explain && !rules ? f.tools.plan(searchKnowledge, { query: knowledgeQuery(f.u.raw, f.u.norm) }) : null];
    return { kind: 'calls', calls: calls.filter((c) => c !== null) };
  }
  if (explain && !rules) return callOr(f, searchKnowledge, { query: knowledgeQuery(f.u.raw, f.u.norm) }, cannot(f, 'referral'));
  const facts = valueOf(f, getReferralStatus);
  const passages = valueOf(f, searchKnowledge)?.results ?? [];
  if (!facts && !(rules && explain)) return reply(cannot(f, 'referral')());
  // Rules looked up for another reason (the policy's own look-up for a looser question) are the policy's to quote.
  return reply(lines(rules && explain ? knowledgeReply(f.say, passages, f.u.norm) : undefined, facts ? referralReply(f.say, facts) : undefined));
}

export function badgesFlow(f: Flow): Decision {
  const value = valueOf(f, listBadges);
  if (value !== undefined) return reply(badgesReply(f.say, value));
  return callOr(f, listBadges, {}, cannot(f, 'badges'));
}

/**
 * The candidate the message picks: by position, by name, by the product word or category it names
 * when one candidate has it ("帮我投个精华"), or — when it asks to vote — by a superlative: the most or
 * fewest votes, the cheapest or dearest. A question ("哪几款票数最高") picks nothing.
 */
function candidateChoice(f: Flow, candidates: readonly VoteCandidate[]): VoteCandidate | undefined {
  const s = f.u.slots;
  if (s.ordinal !== undefined) return pick(candidates, s.ordinal);
  const named = candidates.filter((c) => c.name && f.u.norm.includes(c.name.toLowerCase()));
  if (named.length === 1) return named[0];
  // A name given in part picks when she asks to vote, or answers the ballot just shown with it.
  const answering = f.u.recall.list?.kind === 'candidates' && !s.question;
  const partly = VOTE_ASKED.test(f.u.norm) || answering ? candidateNamed(f.u.norm, candidates) : undefined;
  if (partly) return partly;
  if (!VOTE_ASKED.test(f.u.norm)) return undefined;
  const word = s.productWord ?? s.category?.term;
  const byWord = word ? candidates.filter((c) => c.name.includes(word) || c.category.includes(word) || (s.category && c.category === s.category.value)) : [];
  if (byWord.length === 1) return byWord[0];
  const pool = byWord.length ? byWord : candidates;
  const has = (cues: readonly string[]) => cues.some((t) => containsTerm(f.u.norm, t));
  const price = (c: VoteCandidate) => priceYuan(c.price) ?? 0;
  if (has(LEXICON.voteSuperlatives.most)) return extreme(pool, (c) => c.votes);
  if (has(LEXICON.voteSuperlatives.fewest)) return extreme(pool, (c) => -c.votes);
  if (has(LEXICON.voteSuperlatives.cheapest)) return extreme(pool, (c) => -price(c));
  if (has(LEXICON.voteSuperlatives.dearest)) return extreme(pool, price);
  return undefined;
}

// "投一票", "帮我投", "我想投它", "vote for": the message asks to cast a vote, not about the ballot.
const VOTE_ASKED = /投(?:一票|个|给|它|那|这|吧|了吧)|(?:就|帮我|我要|我想|我来|给我|我)投|投票[!！]|\bvote for\b|\bcast\b/u;

/** The candidate scoring highest (the first listed among equals). */
function extreme(candidates: readonly VoteCandidate[], score: (c: VoteCandidate) => number): VoteCandidate | undefined {
  return candidates.reduce<VoteCandidate | undefined>((best, c) => (!best || score(c) > score(best) ? c : best), undefined);
}

export function voteFlow(f: Flow): Decision {
  const cast = latest(f, voteProduct);
  const shown = f.u.recall.list?.kind === 'candidates' ? f.u.recall.list : undefined;
  if (cast) {
    const outcome = resultOf(voteProduct, cast);
    if (!outcome) return reply(f.say.t('vote.refused_other'));
    const known = [...(shown?.items ?? []), ...(campaignsOf(valueOf(f, listVoteCampaigns))[0]?.candidates ?? [])];
    return reply(voteResultReply(f.say, outcome, known.find((c) => c.productId === cast.input.productId)?.name ?? ''));
  }
  const chosenShown = shown && candidateChoice(f, shown.items);
  if (shown && chosenShown) return callOr(f, voteProduct, { campaignId: shown.campaignId, productId: chosenShown.productId }, cannot(f, 'vote'));
  const listed = valueOf(f, listVoteCampaigns);
  if (listed === undefined) return callOr(f, listVoteCampaigns, {}, cannot(f, 'vote'));
  if ('voted' in listed) return reply(voteResultReply(f.say, listed, ''));
  const campaign = listed.campaigns[0];
  if (!campaign) return reply(noCampaignReply(f.say));
  const chosen = candidateChoice(f, campaign.candidates);
  if (chosen) return callOr(f, voteProduct, { campaignId: campaign.campaignId, productId: chosen.productId }, cannot(f, 'vote'));
  return reply(campaignReply(f.say, campaign));
}

const campaignsOf = (v: ReturnType<typeof valueOf<typeof listVoteCampaigns>>) => (v && 'campaigns' in v ? v.campaigns : []);

// "500–2000元", "5-50元": the reward a rule names.
const REWARD = /\d+(?:\.\d+)?\s*[–~-]\s*\d+(?:\.\d+)?\s*元|\d+(?:\.\d+)?\s*元/u;

/** The sentence of the shop's rules that says most about the feedback programme ("反馈中心：建议被采纳可获得…"). */
function feedbackRule(passages: readonly KnowledgePassage[]): { title: string; heading: string; sentence: string } | undefined {
  let best: { title: string; heading: string; sentence: string; score: number } | undefined;
  for (const p of passages) {
    for (const sentence of p.excerpt.split(/(?<=[。！？!?\n])/u).map((x) => x.trim().replace(/^[-*·•]\s*/u, ''))) {
      const score = LEXICON.feedbackRuleTerms.filter((t) => sentence.includes(t)).length;
      if (score > (best?.score ?? 0)) best = { title: p.title, heading: p.heading, sentence, score };
    }
  }
  return best;
}

/** A question about feedback ("提建议被采纳有什么奖励", "我上次提的建议有人看吗"): the shop's rule on it, and how to give some. */
function feedbackRulesFlow(f: Flow): Decision {
  const found = valueOf(f, searchKnowledge);
  if (found === undefined) {
    const query = `${knowledgeQuery(f.u.raw, f.u.norm)} ${LEXICON.feedbackQuery}`.slice(0, 200);
    return callOr(f, searchKnowledge, { query }, () => f.say.t('feedback.how'));
  }
  const rule = feedbackRule(found.results);
  const title = rule?.title || f.say.t('knowledge.untitled');
  // In English the Chinese sentence would drown the answer: its figure is said in the reply's words.
  const reward = f.say.lang === 'en' ? rule && REWARD.exec(rule.sentence)?.[0] : undefined;
  const quoted = reward
    ? f.say.t('feedback.reward_rule', { title, reward })
    : rule
      ? f.say.t('knowledge.answer', { title, heading: rule.heading, excerpt: rule.sentence })
      : knowledgeReply(f.say, found.results, f.u.norm);
  return reply(lines(quoted, f.say.t('feedback.how')));
}

/**
 * submitFeedback runs at once, so only on feedback stated for the shop (slots.feedbackStated). A
 * question about feedback is answered from the rules; held back, it waits; praise is thanked; with
 * nothing stated to pass on, the card asks what to pass on.
 */
export function feedbackFlow(f: Flow): Decision {
  const value = valueOf(f, submitFeedback);
  if (value !== undefined) {
    return reply(value.submitted ? (f.say.lang === 'zh' && value.message ? value.message : f.say.t('feedback.thanks')) : f.say.t('feedback.failed'));
  }
  const s = f.u.slots;
  if (feedbackAsked(f.u)) {
    const text = s.feedbackStated ? f.u.raw : (feedbackAnswered(f.u) ?? f.u.raw);
    return callOr(f, submitFeedback, { text: text.slice(0, 2000) }, cannot(f, 'feedback'));
  }
  // "建议物业把楼道灯修好": not the shop's to hear; "我闺蜜建议我多跟你聊聊": chat.
  if (s.feedback.elsewhere === 'party') return outOfScopeFlow(f);
  if (s.feedback.elsewhere === 'to_me') return smalltalkFlow(f);
  if (s.question || s.feedbackAbout || s.hypothetical || s.feedback.asksAbout) return feedbackRulesFlow(f);
  return reply(feedbackNotStated(f));
}

/**
 * Whether the message asks for feedback to be passed on: stated as such, or stated in answer to the
 * card's "想提什么建议？" (the turn before read feedback and passed nothing on).
 */
export function feedbackAsked(u: Understanding): boolean {
  return u.slots.feedbackStated || feedbackAnswered(u) !== undefined;
}

/**
 * The feedback to pass on when this message answers the card's question about it: her words now
 * ("粉底液出个小样吧" to "想提什么？"), or her words of last turn when she now asks to pass them on
 * ("帮我反馈" to "要转给商家吗？").
 */
function feedbackAnswered(u: Understanding): string | undefined {
  const s = u.slots;
  const last = u.past.at(-1);
  if (u.pending?.intent !== 'feedback' || !last || s.feedback.held || s.feedback.elsewhere || s.declined || s.question) return undefined;
  if (s.feedback.content) return u.raw;
  return s.feedback.passOn && last.slots.feedback.content ? last.turn.user : undefined;
}

/** Feedback read but not stated: held back, praise in passing, or nothing said yet. */
export function feedbackNotStated(f: Flow): string {
  const s = f.u.slots;
  if (s.feedback.held || s.declined) return f.say.t('feedback.later');
  if (s.feedback.content) return f.say.t('feedback.remark');
  return f.say.t('feedback.ask');
}
