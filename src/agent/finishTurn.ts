// The end of an AI turn: the hand-off rules, then the reply stored with every tool call and what the
// records keep about how it was answered.
import type { StepResult, ToolSet } from 'ai';
import { appendMessage, type StoredToolCall } from '../domain/conversations/repo.ts';
import { gapReasons } from '../domain/gaps/detect.ts';
import type { NewGap } from '../domain/gaps/record.ts';
import { refreshSummary } from '../domain/handoff/escalate.ts';
import { handOver, humanTurnResult, type HandOver } from './handoff.ts';
import type { ModelSource, TurnModel } from './models.ts';
import { OFFLINE_MODEL_ID } from './offline/model.ts';
import { readTurnReport } from './offline/contract.ts';
import { cleanJson, cleanText } from '../text/typable.ts';
import { isPendingResult } from '../../tools/defineTool.ts';
import { TOOL_NAMES } from '../../tools/index.ts';
import type { AgentDeps, ChatTurnResult, PendingActionView, PreparedTurn } from './turn.ts';
import { turnProducts } from './turnProducts.ts';

/** Every tool call of the turn with its input and output, in order. */
export function collectToolCalls(steps: readonly StepResult<ToolSet>[]): StoredToolCall[] {
  const calls: StoredToolCall[] = [];
  for (const step of steps) {
    for (const part of step.content) {
      if (part.type === 'tool-result') {
        calls.push({ id: part.toolCallId, name: part.toolName, input: part.input, output: part.output });
      } else if (part.type === 'tool-error') {
        calls.push({
          id: part.toolCallId,
          name: part.toolName,
          input: part.input,
          output: { error: { code: 'tool_failed', message: String(part.error) } },
        });
      }
    }
  }
  return calls;
}

/** What the records keep about how the turn was answered: the model, the first understanding, a fallback. */
export interface TurnMeta {
  model: string;
  steps: number;
  intent?: string;
  confidence?: number;
  fallback?: { from: string; reason: string };
  /** Short answers the shopper can tap, when the reply asked which was meant. */
  quickReplies?: string[];
  error?: string;
}

export function turnMeta(answerer: Pick<TurnModel, 'name'>, steps: readonly StepResult<ToolSet>[]): TurnMeta {
  const meta: TurnMeta = { model: answerer.name, steps: steps.length };
  for (const step of steps) {
    const report = readTurnReport(step.providerMetadata);
    if (!report) continue;
    if (report.fallback) meta.fallback = report.fallback;
    if (report.quickReplies?.length) meta.quickReplies = report.quickReplies;
    if (report.intent && !meta.intent) {
      meta.intent = report.intent;
      meta.confidence = report.confidence;
    }
  }
  return meta;
}

export async function finishTurn(
  deps: AgentDeps,
  prepared: PreparedTurn,
  modelReply: string,
  modelToolCalls: StoredToolCall[],
  modelMeta: Partial<TurnMeta>,
): Promise<ChatTurnResult> {
  if (prepared.human) return humanTurnResult(prepared);
  // A model's words cannot be refused, only cleaned: a NUL or a lone surrogate it wrote, or echoed
  // into a tool call that was refused for it, would fail the write of the whole turn.
  const reply = cleanText(modelReply);
  let toolCalls = cleanJson(modelToolCalls);
  const meta = cleanJson(modelMeta);
  const { caller, confirmation } = prepared;
  // The action the shopper confirmed ran before the model: it is the turn's first tool call.
  if (confirmation.outcome === 'confirmed') toolCalls = [confirmation.call, ...toolCalls.filter((c) => c.id !== confirmation.call.id)];
  // The reply comes after the shopper's message, or not at all.
  await prepared.stored;
  const conversationId = prepared.conversation.id;
  const over = await handOver(deps, prepared, toolCalls, { intent: meta.intent, confidence: meta.confidence });
  const text = [reply, over.notice].filter(Boolean).join('\n');
  const { facts, ticket } = over;
  const handoffFacts = {
    unresolved: facts.unresolved,
    need: facts.need,
    topic: facts.topic,
    lowConfidence: facts.lowConfidence,
    mood: prepared.assessment.mood,
    ...(facts.reasons.length ? { triggers: facts.reasons } : {}),
    ...(ticket ? { ticketId: ticket.id } : {}),
  };
  const gap = gapOf(prepared, meta, facts.lowConfidence, toolCalls, over.calledFor);
  const messageId = await appendMessage(
    deps.db,
    caller.shopId,
    conversationId,
    { role: 'assistant', content: text, toolCalls, meta: { ...meta, handoff: handoffFacts }, answeredBy: answeredBy(prepared, meta) },
    gap ? { gap } : {},
  );
  // The staff summary includes what the AI tried and said in the turn that handed over.
  if (ticket && over.refreshSummary) await refreshSummary(deps.db, ticket);
  return {
    conversationId,
    messageId,
    reply: text,
    toolCalls: toolCalls.map(({ name, input, output }) => ({ name, input, output })),
    handoff: over.status,
    pendingAction: pendingActionOf(toolCalls),
    quickReplies: meta.quickReplies ?? [],
    products: turnProducts(text, toolCalls),
  };
}

/**
 * Which model wrote the reply, for the staff console: the turn's model, or the offline model when
 * that one failed and the offline model answered (or the turn failed and said so in our words).
 */
function answeredBy(prepared: PreparedTurn, meta: Partial<TurnMeta>): { source: ModelSource; model: string } {
  if (meta.fallback || meta.error !== undefined || meta.model === undefined) return { source: 'offline', model: OFFLINE_MODEL_ID };
  return { source: prepared.answerer.source, model: prepared.answerer.name };
}

/** The turn as a gap in what the card could answer (domain/gaps), or null when it answered. */
function gapOf(
  prepared: PreparedTurn,
  meta: Partial<TurnMeta>,
  lowConfidence: boolean,
  toolCalls: readonly StoredToolCall[],
  calledFor: HandOver['calledFor'],
): NewGap | null {
  const outcome = { intent: meta.intent, lowConfidence, failed: meta.error !== undefined, toolCalls, calledFor };
  const reasons = gapReasons(outcome, TOOL_NAMES.searchKnowledge);
  if (!reasons.length) return null;
  return { questionId: prepared.userMessageId, reasons, intent: meta.intent ?? null, confidence: meta.confidence ?? null };
}

/** The action this turn stated, waiting for the shopper's yes: the last pending result of the turn. */
export function pendingActionOf(toolCalls: readonly StoredToolCall[]): PendingActionView | null {
  const pending = toolCalls.map((c) => c.output).filter(isPendingResult).at(-1);
  if (!pending) return null;
  return { id: pending.actionId, tool: pending.tool, summary: pending.summary, expiresAt: pending.expiresAt, confirmWith: '确认' };
}
