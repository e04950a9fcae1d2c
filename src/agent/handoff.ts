// Who owns the conversation, and handing it to a person: while a person owns it the model is silent;
// after an AI turn the hand-off rules (domain/handoff/triggers.ts) decide — from the turn's one
// assessment of the message and what the turn showed — whether a person takes over, and the shopper
// is told once, in the turn that hands over, where they are in the queue or when staff are back.
import type { ShopperCaller } from '../context.ts';
import { setConversationMode, type Conversation, type StoredToolCall } from '../domain/conversations/repo.ts';
import type { MessageAssessment } from '../domain/handoff/assessment.ts';
import { escalate, refreshSummary, statusOf } from '../domain/handoff/escalate.ts';
import { isOnDuty } from '../domain/handoff/serviceHours.ts';
import type { HandoffReason, ShopHandoffRules } from '../domain/handoff/settings.ts';
import { findOpenTicket, type Ticket } from '../domain/handoff/tickets.ts';
import { evaluateTriggers, type TriggerResult } from '../domain/handoff/triggers.ts';
import type { HandoffStatus } from '../domain/handoff/views.ts';
import { isToolError } from '../../tools/defineTool.ts';
import { ORDER_TOOLS, TOOL_NAMES } from '../../tools/index.ts';
import { afterHoursNotice, handoffNotice, noticeLanguage, waitingNotice } from './handoffNotice.ts';
import type { AgentDeps, ChatTurnResult, HumanTurn, PreparedTurn } from './turn.ts';

const ownerOf = (caller: ShopperCaller, conversationId: string) => ({
  shopId: caller.shopId,
  conversationId,
  shopperId: caller.shopperId,
  tier: caller.tier,
});

/**
 * The open ticket of a conversation in human mode. An angry message while waiting raises the
 * ticket's priority. Without a ticket, or once staff are off duty, the conversation goes back to
 * the AI (the ticket waits for the next shift; a staff reply takes the conversation again).
 */
export async function humanOwner(
  deps: AgentDeps,
  caller: ShopperCaller,
  conversation: Conversation,
  assessment: MessageAssessment,
  rules: ShopHandoffRules,
): Promise<HumanTurn | 'off_duty' | null> {
  const now = deps.clock.now();
  let ticket = await findOpenTicket(deps.db, conversation.id);
  // Nobody answers at night, not even whoever claimed it: the AI helps until the next shift.
  const offDuty = ticket !== null && !isOnDuty(now, rules.hours);
  if (!ticket || offDuty) {
    await setConversationMode(deps.db, conversation.id, 'ai');
    return offDuty ? 'off_duty' : null;
  }
  if (assessment.mood === 'angry') {
    const joined = await escalate(
      deps.db,
      { ...ownerOf(caller, conversation.id), reasons: ['angry'], angry: true, source: 'rules', note: angerNote(assessment) },
      now,
      rules,
    );
    ticket = joined?.ticket ?? ticket;
  }
  return { ticket, status: await statusOf(deps.db, ticket, rules, now) };
}

/** The answer while a person owns the conversation: the message is stored, the model says nothing. */
export function humanTurnResult(prepared: PreparedTurn): ChatTurnResult {
  const human = prepared.human!;
  return {
    conversationId: prepared.conversation.id,
    messageId: prepared.userMessageId,
    reply: waitingNotice(human.status, noticeLanguage(prepared.userMessage)),
    toolCalls: [],
    handoff: human.status,
    pendingAction: null,
    quickReplies: [],
    products: [],
  };
}

const angerNote = (a: MessageAssessment) => (a.anger.terms.length ? `顾客原话含：${a.anger.terms.join('、')}` : '');

/** Tool names the handoff rules look for, from the tools' own facts. */
const TRIGGER_TOOLS = { orderTools: ORDER_TOOLS, afterSales: TOOL_NAMES.createAfterSales };

export interface HandOver {
  /** What the rules found about this turn, kept in the reply's meta for the next turn. */
  facts: TriggerResult;
  ticket: Ticket | null;
  status: HandoffStatus | null;
  /** What the shopper is told about it (empty when nothing changed). */
  notice: string;
  /** A ticket was opened (or joined) in this turn: its staff summary should include this turn. */
  refreshSummary: boolean;
  /** Why a person was called in this turn (the rules' reasons, the model's); empty when none was. */
  calledFor: HandoffReason[];
}

/** After an AI turn: the hand-off rules, the escalation they call for, and what the shopper is told. */
export async function handOver(
  deps: AgentDeps,
  prepared: PreparedTurn,
  toolCalls: readonly StoredToolCall[],
  understood: { intent?: string; confidence?: number },
): Promise<HandOver> {
  const { db, clock } = deps;
  const rules = prepared.handoffRules;
  const conversationId = prepared.conversation.id;
  const now = clock.now();
  const facts = evaluateTriggers(
    { message: prepared.userMessage, assessment: prepared.assessment, toolCalls, ...understood, previous: prepared.previous },
    rules.handoff,
    TRIGGER_TOOLS,
  );
  const escalation = facts.reasons.length
    ? await escalate(
        db,
        {
          ...ownerOf(prepared.caller, conversationId),
          reasons: facts.reasons,
          angry: prepared.assessment.mood === 'angry',
          source: 'rules',
          note: angerNote(prepared.assessment),
        },
        now,
        rules,
      )
    : null;
  const modelCalls = toolCalls.filter((c) => c.name === TOOL_NAMES.requestHandoff && !isToolError(c.output));
  const modelAsked = modelCalls.length > 0;
  // A handoff the model asked for in this turn is newer than the ticket read before the model answered.
  const askedForPerson = toolCalls.some((c) => c.name === TOOL_NAMES.requestHandoff);
  const ticket = escalation?.ticket ?? (askedForPerson ? await findOpenTicket(db, conversationId) : await prepared.openTicket);
  const status = escalation?.status ?? (ticket ? await statusOf(db, ticket, rules, now) : null);
  // Told once, when the turn hands over: a person is coming and roughly when, or when they are back.
  const lang = noticeLanguage(prepared.userMessage);
  const notice = !status
    ? ''
    : escalation || modelAsked
      ? handoffNotice(status, rules.hours, now, { modelSaidSo: modelAsked, lang })
      : prepared.offDutyWait
        ? afterHoursNotice(status, rules.hours, now, lang)
        : '';
  return {
    facts,
    ticket,
    status,
    notice,
    refreshSummary: Boolean(ticket && (escalation?.created || (modelAsked && ticket.status === 'open'))),
    calledFor: [...(escalation ? facts.reasons : []), ...modelCalls.map((c) => (c.input as { reason: HandoffReason }).reason)],
  };
}
