// Replies about the shopper's coupons, points, referral status, badges and votes — only what the
// tools returned: a coupon, a balance or a reward that is not in a result is never mentioned.
import { lines, type Say } from './replies.ts';
import {
  priceYuan,
  type Badges,
  type ClaimableCoupon,
  type ClaimOutcome,
  type Points,
  type RedeemOption,
  type RedeemOutcome,
  type Referral,
  type Tasks,
  type UsableCoupon,
  type VoteCampaign,
  type VoteCampaigns,
  type VoteOutcome,
} from './results.ts';

function couponLine(say: Say, c: ClaimableCoupon, n: number): string {
  return say.t('coupons.claimable_item', { n, name: c.name, rule: c.rule, validDays: c.validDays ?? '' });
}

function usableLine(say: Say, c: UsableCoupon): string {
  return say.t('coupons.usable_item', { name: c.name, rule: c.rule, until: say.date(c.validUntil) || say.t('coupons.no_expiry') });
}

export function couponsOverviewReply(say: Say, usable: readonly UsableCoupon[], claimable: readonly ClaimableCoupon[]): string {
  if (!usable.length && !claimable.length) return say.t('coupons.none');
  return lines(
    usable.length ? say.t('coupons.usable_intro', { count: usable.length }) : say.t('coupons.usable_none'),
    ...usable.map((c) => usableLine(say, c)),
    claimable.length > 0 && say.t('coupons.claimable_intro', { count: claimable.length }),
    ...claimable.map((c, i) => couponLine(say, c, i + 1)),
    claimable.length > 0 && say.t('coupons.claim_hint'),
  );
}

export function askWhichCouponReply(say: Say, claimable: readonly ClaimableCoupon[]): string {
  return lines(say.t('coupons.ask_which'), ...claimable.map((c, i) => couponLine(say, c, i + 1)));
}

export function noneClaimableReply(say: Say, usable: readonly UsableCoupon[]): string {
  if (!usable.length) return say.t('coupons.none');
  return lines(say.t('coupons.none_claimable'), ...usable.map((c) => usableLine(say, c)));
}

export function claimReply(say: Say, r: ClaimOutcome): string {
  if (r.claimed) return say.t('coupons.claimed', { name: r.name, rule: r.rule, until: say.date(r.validUntil) || say.t('coupons.no_expiry') });
  const key = `coupons.refused_${r.reason}`;
  if (say.lang === 'zh' && r.message) return lines(say.t('coupons.refused'), r.message);
  return lines(say.t('coupons.refused'), say.has(key) ? say.t(key) : say.t('coupons.refused_other'));
}

const HAN = /\p{Script=Han}/u;

/** Her latest point changes; an English reply leaves out a reason the shop wrote in Chinese. */
function recentLines(say: Say, p: Points): string[] {
  const recent = p.recent.slice(0, 3).map((e) => {
    const vars = { date: say.date(e.at), delta: e.delta > 0 ? `+${e.delta}` : String(e.delta) };
    return say.lang !== 'zh' && HAN.test(e.reason) ? say.t('points.recent_item_bare', vars) : say.t('points.recent_item', { ...vars, reason: e.reason });
  });
  return recent.length ? [say.t('points.recent_intro'), ...recent] : [];
}

/** "250积分能换几张": how many of the one redemption a stated number of points buys, and what is left. */
function howManyLine(say: Say, p: Points, stated: number | undefined): string | undefined {
  const priced = p.redeemable.filter((o) => o.pointsCost !== null && o.pointsCost > 0);
  const o = priced.length === 1 ? priced[0]! : undefined;
  if (stated === undefined || !o || o.pointsCost === null) return undefined;
  const count = Math.floor(stated / o.pointsCost);
  return say.t('points.how_many', { points: stated, count, name: o.name, cost: o.pointsCost, left: stated - count * o.pointsCost });
}

/** `stated`: a number of points the message names ("250积分能换几张"). */
export function pointsReply(say: Say, p: Points, stated?: number): string {
  const options = p.redeemable.map((o) => say.t(o.affordable ? 'points.option_affordable' : 'points.option', { name: o.name, rule: o.rule, cost: o.pointsCost ?? '' }));
  return lines(
    say.t('points.balance', { balance: p.balance }),
    howManyLine(say, p, stated),
    ...recentLines(say, p),
    options.length > 0 && say.t('points.options_intro'),
    ...options,
    options.length > 0 && say.t('points.redeem_hint'),
  );
}

function redeemLine(say: Say, o: RedeemOption, n: number): string {
  return say.t('points.redeem_item', { n, name: o.name, rule: o.rule, cost: o.pointsCost ?? '' });
}

/** `points`: her balance and recent changes, when they were looked up beside the tasks. */
export function tasksReply(say: Say, t: Tasks, points?: Points): string {
  const balance = say.t('points.balance', { balance: points?.balance ?? t.balance });
  const recent = points ? recentLines(say, points) : [];
  if (!t.tasks.length) return lines(balance, ...recent, say.lang === 'zh' && t.message ? t.message : say.t('points.no_tasks'));
  return lines(
    balance,
    ...recent,
    say.t('points.tasks_intro'),
    ...t.tasks.map((x) => say.t(x.done ? 'points.task_done' : 'points.task', { name: x.name, progress: x.progress, target: x.target, points: x.points, repeats: x.repeats })),
    t.redeem.length > 0 && say.t('points.redeem_intro'),
    ...t.redeem.map((o, i) => redeemLine(say, o, i + 1)),
  );
}

export function askWhichRedeemReply(say: Say, balance: number | null, options: readonly RedeemOption[]): string {
  return lines(balance !== null && say.t('points.balance', { balance }), say.t('points.ask_which'), ...options.map((o, i) => redeemLine(say, o, i + 1)));
}

export function redeemReply(say: Say, r: RedeemOutcome): string {
  if (r.redeemed) {
    return say.t('points.redeemed', { name: r.name, rule: r.rule, spent: r.pointsSpent, balance: r.balance, until: say.date(r.validUntil) });
  }
  if (say.lang === 'zh' && r.message) return lines(say.t('points.redeem_refused'), r.message);
  return lines(say.t('points.redeem_refused'), say.t('points.redeem_refused_other'));
}

export function notEnoughPointsReply(say: Say, o: RedeemOption, balance: number): string {
  return say.t('points.not_enough', { name: o.name, rule: o.rule, cost: o.pointsCost, balance, gap: o.pointsCost - balance });
}

export function noRedeemOptionsReply(say: Say): string {
  return say.t('points.no_options');
}

export function referralReply(say: Say, r: Referral): string {
  // The shop's own name of the identity (代理) is said in every language: it is the word she sees in the mall.
  const own = say.has(`referral.identity_${r.identity}`) ? say.t(`referral.identity_${r.identity}`) : r.identityName;
  const identity = own === r.identityName ? own : `${own} (${r.identityName})`;
  return lines(
    say.t('referral.status', { identity, direct: r.directReferrals.count, team: r.teamSize }),
    r.directReferrals.agents > 0 && say.t('referral.direct_agents', { agents: r.directReferrals.agents }),
    r.identity === 'member' && r.needsActivationPurchase && say.t('referral.activate'),
    r.identity === 'agent' && r.agentsNeededForBoss > 0 && say.t('referral.to_boss', { count: r.agentsNeededForBoss }),
    say.t('referral.rewards', { pending: r.rewards.pending.display, settled: r.rewards.settled.display }),
    r.rewards.reversed.fen !== 0 && say.t('referral.reversed', { reversed: r.rewards.reversed.display }),
    r.monthRank !== null && say.t('referral.rank', { rank: r.monthRank, buyers: r.referredBuyersThisMonth }),
    r.isReferralStar && say.t('referral.star'),
    r.trial?.active && say.t('referral.trial', { until: say.date(r.trial.endsAt) }),
  );
}

export function badgesReply(say: Say, b: Badges): string {
  return lines(
    b.earned.length ? say.t('badges.earned_intro', { count: b.earned.length }) : say.t('badges.none_yet'),
    ...b.earned.map((x) => say.t('badges.earned_item', { name: x.name, date: say.date(x.awardedAt) })),
    b.toEarn.length > 0 && say.t('badges.to_earn_intro'),
    ...b.toEarn.map((x) => say.t('badges.to_earn_item', { name: x.name, how: x.howToEarn })),
  );
}

export function campaignReply(say: Say, c: VoteCampaign): string {
  return lines(
    say.t('vote.campaign', { title: c.title, until: say.date(c.closesAt ?? '') || say.t('vote.open_ended'), left: c.votesLeft }),
    ...c.candidates.map((p, i) => say.t(c.myVotes.includes(p.productId) ? 'vote.candidate_mine' : 'vote.candidate', { n: i + 1, name: p.name, votes: p.votes })),
    say.t('vote.hint'),
  );
}

/** A cast vote with the new top 5, or why the vote (or the ballot) is closed to this shopper. */
export function voteResultReply(say: Say, r: VoteOutcome | VoteCampaigns, votedFor: string): string {
  if ('voted' in r && r.voted === false) {
    if (say.lang === 'zh' && r.message) return lines(say.t('vote.refused'), r.message);
    return say.t('vote.refused_other');
  }
  const top = 'top' in r ? r.top : [];
  return lines(
    say.t('vote.voted', { name: votedFor }),
    top.length > 0 && say.t('vote.top_intro'),
    ...top.map((p, i) => say.t('vote.top_item', { n: i + 1, name: p.name, votes: p.votes })),
  );
}

export function noCampaignReply(say: Say): string {
  return say.t('vote.none');
}
