// The next action of a turn: the intent's flow decides the tool calls and the answer; around it, the
// policy adds what every intent shares — a softer tone for an upset shopper, the words for a hand-off
// the turn's assessment calls for (the server hands over after the turn and tells the queue place;
// the model never decides a hand-off itself), and a guard against a turn that would loop.
import { isPendingResult } from '../../../tools/defineTool.ts';
import { TOOLS, WRITE_TOOLS } from '../../../tools/index.ts';
import type { ResolvedContext } from './contract.ts';
import type { Conversation } from './conversation.ts';
import { latest, reply, valueOf, type Decision, type Flow, type FlowFn } from './flow.ts';
import { LEXICON } from './lexicon.ts';
import { afterSalesFlow, logisticsFlow, orderStatusFlow } from './flowOrders.ts';
import { reorderFlow } from './flowReorder.ts';
import { membershipFlow, remindersFlow } from './flowMember.ts';
import { badgesFlow, couponsFlow, feedbackAsked, feedbackFlow, feedbackNotStated, pointsFlow, referralFlow, voteFlow } from './flowAccount.ts';
import { clarify, injectionFlow, knowledgeFlow, knowledgeQuery, outOfScopeFlow, smalltalkFlow, unknownFlow } from './flowService.ts';
import { productInfoFlow, recommendFlow } from './flowShopping.ts';
import { createSay, lines, type Say } from './replies.ts';
import { capabilities, knowledgeReply, passageShares, sectionNames } from './replyService.ts';
import { containsTerm } from '../../text/normalize.ts';
import type { ToolBox, ToolCallPlan } from './toolbox.ts';
import type { TurnIntent, Understanding } from './understand.ts';

const FLOWS: Record<TurnIntent, FlowFn> = {
  recommend: recommendFlow,
  product_info: productInfoFlow,
  order_status: orderStatusFlow,
  logistics: logisticsFlow,
  after_sales: afterSalesFlow,
  coupons: couponsFlow,
  points: pointsFlow,
  referral: referralFlow,
  knowledge: knowledgeFlow,
  handoff: () => reply(''),
  smalltalk: smalltalkFlow,
  out_of_scope: outOfScopeFlow,
  injection: injectionFlow,
  feedback: feedbackFlow,
  vote: voteFlow,
  badges: badgesFlow,
  membership: membershipFlow,
  reminders: remindersFlow,
  reorder: reorderFlow,
  unknown: unknownFlow,
};

// Intents with nothing to look up: an angry message of this kind gets the apology and the person only.
const CHAT_ONLY = new Set<TurnIntent>(['smalltalk', 'out_of_scope', 'unknown']);
// No tone, no hand-off words: a refusal stays a refusal.
const NO_ESCALATION = new Set<TurnIntent>(['injection']);
// Failures the shopper cannot fix by rephrasing: the tool broke, or refused our input.
const BROKEN = new Set(['tool_failed', 'unavailable', 'invalid', 'denied']);
// The turn ends with an answer before the agent loop's step limit (6) could cut it off.
const MAX_TOOL_STEPS = 4;

function tone(u: Understanding, say: Say): string | undefined {
  if (NO_ESCALATION.has(u.intent) || u.intent === 'smalltalk') return undefined;
  if (u.mood === 'angry') return say.t('tone.angry');
  if (u.mood === 'upset') return say.t('tone.upset');
  return undefined;
}

/**
 * The words about a person taking over. When the assessment calls for a hand-off the server makes it
 * after the turn and adds the queue place (or staff's hours), so the model only acknowledges; when
 * the shopper asked for a person who cannot be had, it says so honestly.
 */
function handoffWords(u: Understanding, ctx: ResolvedContext, say: Say): string | undefined {
  if (NO_ESCALATION.has(u.intent)) return undefined;
  const asked = u.intent === 'handoff';
  if (ctx.handoff.length) return asked ? say.t('handoff.acknowledged') : undefined;
  if (asked) return lines(say.t('handoff.unavailable'), capabilities(say));
  return undefined;
}

/** A call the turn has already made with the same input would only repeat itself: answer instead. */
function repeats(decision: Decision, conv: Conversation): boolean {
  if (decision.kind !== 'calls') return false;
  const made = new Set(conv.current.exchanges.map((e) => `${e.name}:${JSON.stringify(e.input)}`));
  return decision.calls.some((c) => made.has(`${c.toolName}:${JSON.stringify(c.input)}`));
}

/** A write of this turn that now waits for the shopper's yes: ask for it, and say nothing is done yet. */
function confirmationQuestion(conv: Conversation, say: Say): string | undefined {
  const pending = conv.current.exchanges.map((e) => (e.outcome?.ok ? e.outcome.value : undefined)).filter(isPendingResult).at(-1);
  return pending && say.t('confirm.ask', { summary: pending.summary });
}

/** What the shopper's answer did to the action stated last turn, when the model has to say it. */
function confirmationNews(ctx: ResolvedContext, say: Say): string | undefined {
  if (ctx.confirmation.outcome === 'declined') return say.t('confirm.declined');
  if (ctx.confirmation.outcome === 'expired' && ctx.confirmation.saidYes) return say.t('confirm.expired');
  if (ctx.confirmation.outcome === 'confirmed_elsewhere') return say.t('confirm.elsewhere');
  return undefined;
}

// Intents whose own tools answer about the shopper's things: a question about the shop's rules
// asked there is answered from the rules too (the shop's documents, quoted), beside the shopper's data.
const CO_ANSWERED = new Set<TurnIntent>([
  'recommend', 'after_sales', 'coupons', 'points', 'referral', 'logistics', 'order_status', 'product_info', 'membership', 'vote',
  'reminders', 'badges', 'reorder',
]);
// Below this confidence in what the message means, no write is proposed or made: the card asks.
export const WRITE_MIN_CONFIDENCE = 0.34;

function coAnswerable(u: Understanding, f: Flow): boolean {
  // "精华要不要放冰箱" asks how products are kept, not for products; "有什么推荐的吗" asks for them.
  if (u.intent === 'recommend' && (u.slots.recommendCue || u.slots.budget)) return false;
  return CO_ANSWERED.has(u.intent) && (u.slots.ruleQuestion || asksWhetherGoodsQualify(u)) && f.tools.has(TOOLS.searchKnowledge);
}

/**
 * "拆了塑封的护肤品还能退吗", "小样能单独退吗": whether goods in some state may be returned, with no
 * order of hers named, is answered by the shop's return rules as well as by her latest order.
 * (In Chinese only: the rules are written in Chinese, and an English question is answered in English.)
 */
function asksWhetherGoodsQualify(u: Understanding): boolean {
  const s = u.slots;
  if (u.intent !== 'after_sales' || u.lang !== 'zh' || !s.afterSalesQuestion || s.request || s.orderNo || s.orderRef) return false;
  if (s.orderPronoun || s.pronoun || s.ordinal !== undefined) return false;
  // "还能退货吗" alone asks about her order; the rules answer when the goods' state or a time is named.
  const named = u.norm.replace(ASKS_AFTER_SALES, ' ').replace(/[\s\p{P}\p{S}还那这就]/gu, '');
  return named.length >= CONDITION_CHARS;
}

const ASKS_AFTER_SALES = new RegExp(LEXICON.afterSalesQuestionPattern, 'gu');
// "拆了", "过了七天": the fewest characters that name a condition of the goods.
const CONDITION_CHARS = 2;

// Readings whose questions are as often about how a thing works (直推奖拿多少, 批号对不上正常吗) as
// about her own data, and whose own tools do not answer how it works.
const LOOSELY_RULED = new Set<TurnIntent>(['product_info', 'referral', 'membership']);

/**
 * A question about how something works that the rule words did not mark ("直推奖拿多少", "过期的还能
 * 用吗"), not about her own things: the rules are looked up too, and quoted only when a section's
 * heading names what is asked — a looser reading needs a surer passage.
 */
function looselyAsksRules(u: Understanding, f: Flow): boolean {
  const s = u.slots;
  return (
    LOOSELY_RULED.has(u.intent) && !s.ruleQuestion && s.question && !s.request && !s.orderNo && !s.orderRef &&
    !s.pronoun && !s.orderPronoun && s.ordinal === undefined && !/我|\bmy\b|\bi\b/.test(u.norm) && f.tools.has(TOOLS.searchKnowledge)
  );
}

// Readings of her own account whose tools give her figures only: a question there that does not ask
// for her figures ("新人券能转给别人吗", "朋友退款了 我的奖励还有吗") asks how the thing works.
const ACCOUNT_RULED = new Set<TurnIntent>(['coupons', 'referral']);

/**
 * A question in her coupons or referral that is not a request, a claim or a question about where she
 * stands ("我现在是什么身份"): the rules are looked up too, and the best passage quoted when it uses a
 * word of the question ("券能换现金吗" → 优惠券不能兑换现金) — the ranking alone is no proof here.
 */
function asksAccountRules(u: Understanding, f: Flow): boolean {
  const s = u.slots;
  return (
    ACCOUNT_RULED.has(u.intent) && !s.ruleQuestion && s.question && !s.request && !s.couponClaim && !s.orderNo && !s.orderRef &&
    !LEXICON.referralStatusCues.some((t) => containsTerm(u.norm, t)) && f.tools.has(TOOLS.searchKnowledge)
  );
}

/** The rules the shop wrote, when the message asks how they work: a searchKnowledge call to add, or the passages to quote. */
function coAnswer(u: Understanding, f: Flow): { call: ToolCallPlan | null; text?: string } | null {
  const loose = looselyAsksRules(u, f);
  const account = !loose && asksAccountRules(u, f);
  if (!coAnswerable(u, f) && !loose && !account) return null;
  const found = valueOf(f, TOOLS.searchKnowledge);
  if (found === undefined) return { call: f.tools.plan(TOOLS.searchKnowledge, { query: knowledgeQuery(u.raw, u.norm) }) };
  const quoted = loose
    ? found.results.filter((p) => sectionNames(u.norm, p)).slice(0, 1)
    : account
      ? found.results.slice(0, 1).filter((p) => passageShares(u.norm, p))
      : found.results;
  return { call: null, ...(quoted.length ? { text: knowledgeReply(f.say, quoted, u.norm) } : {}) };
}

// Readings that answer from the shopper's own data with read-only tools.
const DATA_READINGS = new Set<TurnIntent>(['membership', 'coupons', 'points', 'referral', 'reminders', 'badges']);

/**
 * A question the shop's rules have no passage for ("最近有啥福利吗") may be about the shopper's own
 * things: the likeliest other reading that reads her data answers it, rather than "no rule says so".
 */
function readingBeyondRules(f: Flow): TurnIntent | undefined {
  if (f.u.intent !== 'knowledge') return undefined;
  const found = valueOf(f, TOOLS.searchKnowledge);
  if (!found || found.results.length > 0) return undefined;
  return f.u.alternatives.find((i) => DATA_READINGS.has(i));
}

/** Whether a decision would write (propose or make a write the shopper did not plainly ask for). */
function writes(decision: Decision): boolean {
  return decision.kind === 'calls' && decision.calls.some((c) => WRITE_TOOLS.has(c.toolName) && c.toolName !== TOOLS.requestHandoff.name);
}

/**
 * Writes that run at once, with no yes asked for: each runs only on the explicit ask its slots record,
 * whatever reading proposed it; otherwise the card says what it still needs to hear.
 */
const ASKED_AT_ONCE: Readonly<Record<string, { asked(u: Understanding): boolean; otherwise(f: Flow): Decision }>> = {
  [TOOLS.submitFeedback.name]: { asked: feedbackAsked, otherwise: (f) => reply(feedbackNotStated(f)) },
};

function unaskedWrite(decision: Decision, u: Understanding): string | undefined {
  if (decision.kind !== 'calls') return undefined;
  return decision.calls.find((c) => ASKED_AT_ONCE[c.toolName] && !ASKED_AT_ONCE[c.toolName]!.asked(u))?.toolName;
}

function flowFor(f: Flow): Decision {
  const other = readingBeyondRules(f);
  return other ? FLOWS[other]({ ...f, u: { ...f.u, intent: other } }) : FLOWS[f.u.intent](f);
}

export function decide(u: Understanding, conv: Conversation, ctx: ResolvedContext, tools: ToolBox): Decision {
  const say = createSay(u.lang, ctx);
  const news = confirmationNews(ctx, say);
  if (news && conv.current.exchanges.length === 0) return reply(news);
  const ask = confirmationQuestion(conv, say);
  if (ask) return reply(lines(tone(u, say), ask));
  const f: Flow = { u, ctx, tools, say, turn: conv.current };
  const failures = conv.current.exchanges.filter((e) => e.outcome && !e.outcome.ok);
  const broken = failures.some((e) => e.outcome && !e.outcome.ok && BROKEN.has(e.outcome.code));
  const forbidden = failures.some((e) => e.outcome && !e.outcome.ok && e.outcome.code === 'forbidden');
  const quiet = u.intent === 'handoff' || (u.mood === 'angry' && CHAT_ONLY.has(u.intent));
  let decision: Decision = broken
    ? reply(say.t('errors.tool_failed'))
    : forbidden
      ? reply(say.t('errors.forbidden'))
      : quiet
        ? reply('')
        : flowFor(f);
  // Never a write on a weak reading of the message: ask what was meant instead.
  if (writes(decision) && u.confidence < WRITE_MIN_CONFIDENCE) decision = clarify(u, say);
  // A write that runs at once needs the ask stated: "我上次提的建议有人看吗" passes nothing on.
  const unasked = unaskedWrite(decision, u);
  if (unasked) decision = ASKED_AT_ONCE[unasked]!.otherwise(f);
  // A message that also instructed the assistant proposes no write on what is left of it.
  if (writes(decision) && u.refusedInstruction) decision = clarify(u, say);
  // "不用帮我换": whatever a flow made of the rest, a write she said not to do is not stated.
  if (writes(decision) && u.slots.declined) decision = clarify(u, say);
  // "退款退到银行卡要几天" asks how a refund works; it does not ask for one.
  if (writes(decision) && u.slots.ruleQuestion && (!u.slots.request || u.slots.hypothetical) && coAnswerable(u, f)) decision = reply('');
  const rules = quiet ? null : coAnswer(u, f);
  const searching = decision.kind === 'calls' && decision.calls.some((c) => c.toolName === TOOLS.searchKnowledge.name);
  if (rules?.call && !latest(f, TOOLS.searchKnowledge) && !searching) {
    decision = decision.kind === 'calls' ? { kind: 'calls', calls: [...decision.calls, rules.call] } : { kind: 'calls', calls: [rules.call] };
  }
  if (decision.kind === 'calls' && (conv.stepsTaken >= MAX_TOOL_STEPS || repeats(decision, conv))) decision = reply(say.t('errors.stuck'));
  if (decision.kind === 'calls') return decision;
  // A flow that answered from the rules itself has quoted them already.
  const quoted = rules?.text && !decision.text.includes(rules.text) ? rules.text : undefined;
  const refused = u.refusedInstruction ? say.t('refuse.instruction_beside') : undefined;
  const text = lines(refused, tone(u, say), quoted, decision.text, handoffWords(u, ctx, say));
  return { kind: 'reply', text, ...(decision.quickReplies ? { quickReplies: decision.quickReplies } : {}) };
}
