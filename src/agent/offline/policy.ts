// The next action of a turn: the intent's flow decides the tool calls and the answer; around it, the
// policy adds what every intent shares — a softer tone for an upset shopper, a handoff to a person
// when she asks for one, is angry, keeps going unanswered or a tool breaks, and guards against a
// turn that would loop.
import type { ResolvedContext } from './context.ts';
import type { Conversation, ToolExchange } from './conversation.ts';
import { readHandoff } from './factsAccount.ts';
import { readAfterSales } from './factsOrders.ts';
import { latest, reply, valueOf, type Decision, type Flow, type FlowFn } from './flow.ts';
import { afterSalesFlow, logisticsFlow, orderStatusFlow } from './flowOrders.ts';
import { badgesFlow, couponsFlow, feedbackFlow, pointsFlow, referralFlow, voteFlow } from './flowAccount.ts';
import { injectionFlow, knowledgeFlow, outOfScopeFlow, smalltalkFlow, unknownFlow } from './flowService.ts';
import { productInfoFlow, recommendFlow } from './flowShopping.ts';
import { createSay, lines, type Say } from './replies.ts';
import { capabilities } from './replyService.ts';
import type { ToolBox } from './toolbox.ts';
import type { TurnIntent, Understanding } from './understand.ts';

export type HandoffReason = 'asked_for_human' | 'angry' | 'unresolved' | 'money' | 'tool_failure' | 'low_confidence';

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
  unknown: unknownFlow,
};

// Intents with nothing to look up: an angry message of this kind gets the apology and the person only.
const CHAT_ONLY = new Set<TurnIntent>(['smalltalk', 'out_of_scope', 'unknown']);
// No tone, no handoff: a refusal stays a refusal.
const NO_ESCALATION = new Set<TurnIntent>(['injection']);
// Failures the shopper cannot fix by rephrasing: the tool broke, or refused our input.
const BROKEN = new Set(['tool_failed', 'unavailable', 'invalid', 'denied']);
// The turn ends with an answer before the agent loop's step limit (6) could cut it off.
const MAX_TOOL_STEPS = 4;
// Two unanswered attempts at the same need are enough (DOMAIN.md §5: what the AI cannot solve goes to a human).
const UNRESOLVED_LIMIT = 2;

function handoffReason(u: Understanding, f: Flow, broken: boolean): HandoffReason | null {
  if (NO_ESCALATION.has(u.intent)) return null;
  if (u.intent === 'handoff') return 'asked_for_human';
  if (u.anger.mood === 'angry') return 'angry';
  if (broken) return 'tool_failure';
  if (u.intent === 'unknown' && u.past.at(-1)?.intent === 'unknown') return 'low_confidence';
  if (u.unresolvedStreak >= UNRESOLVED_LIMIT) return 'unresolved';
  const created = valueOf(f, 'createAfterSales');
  if (created !== undefined && readAfterSales(created).needsStaffReview) return 'money';
  return null;
}

function handoffNote(u: Understanding, reason: HandoffReason, ctx: ResolvedContext): string {
  // Staff read Chinese: the note is written for them, whatever the shopper's language.
  const staff = createSay('zh', ctx);
  return staff.t('handoff.note', { reason: staff.t(`handoff.reason_${reason}`), intent: u.intent, message: u.raw.slice(0, 300) });
}

function handoffText(say: Say, ex: ToolExchange | undefined, reason: HandoffReason): string | undefined {
  // A large refund is reviewed by staff anyway (the after-sales answer says so): no apology needed.
  if (!ex && reason === 'money') return undefined;
  if (!ex) return lines(say.t('handoff.unavailable'), reason === 'asked_for_human' ? capabilities(say) : undefined);
  if (!ex.outcome?.ok) return say.t('handoff.failed');
  if (reason === 'money') return say.t('handoff.connected_review');
  // The agent loop adds the queue position, the expected wait or the service hours after the reply.
  return readHandoff(ex.outcome.value).onDuty ? say.t('handoff.connected_person') : say.t('handoff.off_duty');
}

function tone(u: Understanding, say: Say): string | undefined {
  if (NO_ESCALATION.has(u.intent) || u.intent === 'smalltalk') return undefined;
  if (u.anger.mood === 'angry') return say.t('tone.angry');
  if (u.anger.mood === 'upset') return say.t('tone.upset');
  return undefined;
}

/** A call the turn has already made with the same input would only repeat itself: answer instead. */
function repeats(decision: Decision, conv: Conversation): boolean {
  if (decision.kind !== 'calls') return false;
  const made = new Set(conv.current.exchanges.map((e) => `${e.name}:${JSON.stringify(e.input)}`));
  return decision.calls.some((c) => made.has(`${c.toolName}:${JSON.stringify(c.input)}`));
}

export function decide(u: Understanding, conv: Conversation, ctx: ResolvedContext, tools: ToolBox): Decision {
  const say = createSay(u.lang, ctx);
  const f: Flow = { u, ctx, tools, say, turn: conv.current };
  // A failed handoff is told as such (handoffText); it does not stop the answer to the need itself.
  const failures = conv.current.exchanges.filter((e) => e.name !== 'requestHandoff' && e.outcome && !e.outcome.ok);
  const broken = failures.some((e) => e.outcome && !e.outcome.ok && BROKEN.has(e.outcome.code));
  const forbidden = failures.some((e) => e.outcome && !e.outcome.ok && e.outcome.code === 'forbidden');
  const reason = handoffReason(u, f, broken);
  const quiet = u.intent === 'handoff' || (u.anger.mood === 'angry' && CHAT_ONLY.has(u.intent));
  let decision: Decision = broken
    ? reply(say.t('errors.tool_failed'))
    : forbidden
      ? reply(say.t('errors.forbidden'))
      : quiet
        ? reply('')
        : FLOWS[u.intent](f);
  const handoff = latest(f, 'requestHandoff');
  if (reason && !handoff) {
    const plan = tools.plan('requestHandoff', { reason, note: handoffNote(u, reason, ctx) });
    if (plan) return { kind: 'calls', calls: [plan, ...(decision.kind === 'calls' ? decision.calls : [])] };
  }
  if (decision.kind === 'calls' && (conv.stepsTaken >= MAX_TOOL_STEPS || repeats(decision, conv))) decision = reply(say.t('errors.stuck'));
  if (decision.kind === 'calls') return decision;
  return reply(lines(tone(u, say), decision.text, reason ? handoffText(say, handoff, reason) : undefined));
}
