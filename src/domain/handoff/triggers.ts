// The hand-off rules, evaluated after every AI turn, so that a shopper reaches a person whatever the
// model chose to do (docs/domain.md §10 Handoff: what the AI cannot solve goes to a
// human). They decide every hand-off reason: what the message itself said (the turn's one
// assessment, assessment.ts) and what the turn showed (a broken order tool, a large refund, the
// same need unresolved twice, a message not understood twice). Pure: the turn's facts in, the
// reasons out.
import { tokenize } from '../../embed/tokenize.ts';
import type { MessageAssessment } from './assessment.ts';
import { QUESTION_WORDS, WAITING_WORDS } from './lexicon.ts';
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
  /** The words the shopper's question was about. */
  topic?: string[];
  lowConfidence?: boolean;
}

export interface TurnFacts {
  /** The shopper's message, and its judgement made once before the model answered. */
  message: string;
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
  /** What the message was about (its words, asking words left out): read by the next turn. */
  topic: string[];
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

/** The words a message asks about: no function words, no asking words (什么时候, 多久). */
export function topicOf(message: string): string[] {
  return [...new Set(tokenize(message))].filter((w) => !QUESTION_WORDS.has(w));
}

/** Whether a message names a need of its own, not only asking for a person or hurrying one along. */
export function namesANeed(message: string): boolean {
  return topicOf(message).some((w) => !WAITING_WORDS.has(w));
}

/**
 * Whether two unanswered messages are one question asked twice: the shopper says the answer did not
 * help, or the same need about a shared subject. A message that names no subject ("那个呢") follows
 * up the one before; two that each name one and share none are two questions, not one unanswered twice.
 */
function askedAgain(f: TurnFacts, need: string, topic: readonly string[]): boolean {
  if (f.assessment.saysUnresolved) return true;
  if (f.previous?.need !== need) return false;
  const before = f.previous.topic ?? [];
  return !before.length || !topic.length || topic.some((w) => before.includes(w));
}

export function evaluateTriggers(f: TurnFacts, settings: HandoffSettings, tools: TriggerTools): TriggerResult {
  const reasons: HandoffReason[] = [];
  const { assessment } = f;
  const chat = f.intent !== undefined && CHAT_INTENTS.has(f.intent);
  const cue = assessment.saysUnresolved;
  const need = needOf(f);
  const topic = topicOf(f.message);

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
  if (unresolved && f.previous?.unresolved && askedAgain(f, need, topic)) reasons.push('unresolved');

  return { reasons, unresolved, need, topic, lowConfidence };
}
