// The hand-off rules, evaluated after every AI turn, so that a shopper reaches a person whatever the
// model chose to do (docs/domain.md §10 Handoff: what the AI cannot solve goes to a
// human). They decide every hand-off reason: what the message itself said (the turn's one
// assessment, assessment.ts) and what the turn showed (a broken order tool, a large refund, the
// same need unresolved twice, a message not understood twice). Pure: the turn's facts in, the
// reasons out.
import type { MessageAssessment } from './assessment.ts';
import type { HandoffReason, HandoffSettings } from './settings.ts';

export interface TurnToolCall {
  name: string;
  input: unknown;
  output: unknown;
}

/** What the previous AI turn of the conversation left in its message meta (meta.handoff). */
export interface PreviousTurnFacts {
  unresolved?: boolean;
  need?: string;
  lowConfidence?: boolean;
}

export interface TurnFacts {
  /** The judgement of the shopper's message, made once before the model answered. */
  assessment: MessageAssessment;
  toolCalls: readonly TurnToolCall[];
  /** The offline model's understanding (absent for other models). */
  intent?: string;
  confidence?: number;
  previous?: PreviousTurnFacts;
}

/** Tool names come from the agent's tool set (tools/index.ts), never spelled here a second time. */
export interface TriggerTools {
  /** Tools that answer order questions: a failure of one of these is a tool_failure. */
  orderTools: ReadonlySet<string>;
  /** The after-sales tool whose needsStaffReview marks a money matter over the shop's threshold. */
  afterSales: string;
}

export interface TriggerResult {
  reasons: HandoffReason[];
  /** Whether this turn left the shopper's need open, and which need: read by the next turn. */
  unresolved: boolean;
  need: string;
  /** Whether the model was unsure of this turn: read by the next turn. */
  lowConfidence: boolean;
}

// Intents that are conversation, not a need: never "low confidence" or "unresolved".
const CHAT_INTENTS = new Set(['smalltalk', 'injection', 'handoff']);
// Errors that mean our side broke, not that the shopper asked for something that does not exist.
const BROKEN = new Set(['tool_failed', 'unavailable']);

function errorCode(output: unknown): string | null {
  if (!output || typeof output !== 'object' || !('error' in output)) return null;
  const code = (output as { error?: { code?: unknown } }).error?.code;
  return typeof code === 'string' ? code : 'tool_failed';
}

/** An answer that found nothing: an error, or an empty list where results were expected. */
function cameBackEmpty(output: unknown): boolean {
  if (errorCode(output)) return true;
  if (!output || typeof output !== 'object') return false;
  const lists = Object.values(output).filter(Array.isArray);
  return lists.length > 0 && lists.every((l) => l.length === 0);
}

function needOf(f: TurnFacts): string {
  if (f.intent) return f.intent;
  const names = [...new Set(f.toolCalls.map((c) => c.name))].sort();
  return names.length ? names.join('+') : 'chat';
}

export function evaluateTriggers(f: TurnFacts, settings: HandoffSettings, tools: TriggerTools): TriggerResult {
  const reasons: HandoffReason[] = [];
  const { assessment } = f;
  const chat = f.intent !== undefined && CHAT_INTENTS.has(f.intent);
  const cue = assessment.saysUnresolved;
  const need = needOf(f);

  if (assessment.askedForHuman) reasons.push('asked_for_human');
  if (assessment.mood === 'angry') reasons.push('angry');

  const orderFailure = f.toolCalls.some((c) => tools.orderTools.has(c.name) && BROKEN.has(errorCode(c.output) ?? ''));
  if (orderFailure) reasons.push('tool_failure');

  const review = f.toolCalls.some(
    (c) => c.name === tools.afterSales && (c.output as { needsStaffReview?: unknown } | null)?.needsStaffReview === true,
  );
  if (review) reasons.push('money');

  // One unclear message is worth asking again about; the second in a row goes to a person.
  const lowConfidence = !chat && typeof f.confidence === 'number' && f.confidence < settings.lowConfidenceBelow;
  if (lowConfidence && f.previous?.lowConfidence) reasons.push('low_confidence');

  // Unresolved: nothing found, not understood, or the shopper says so; twice in a row for one need.
  const unresolved =
    !chat && (cue || f.intent === 'unknown' || lowConfidence || f.toolCalls.some((c) => cameBackEmpty(c.output)));
  const sameNeed = cue || f.previous?.need === need;
  if (unresolved && f.previous?.unresolved && sameNeed) reasons.push('unresolved');

  return { reasons, unresolved, need, lowConfidence };
}
