// Whether an AI turn fell short, and why: what the turn showed, judged once when its reply is stored
// (the thumbs-down comes later, from the shopper). Pure: the turn's facts in, the reasons out.
import type { HandoffReason } from '../handoff/settings.ts';

export const GAP_REASONS = ['fallback', 'no_knowledge', 'handoff', 'thumbs_down'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

// A person called because the card could not answer; an angry shopper or a large refund is no gap
// in what the card knows.
const LACK_OF_ANSWER: ReadonlySet<HandoffReason> = new Set(['unresolved', 'low_confidence']);

export interface TurnOutcome {
  /** The model's guess of what was asked (the offline model's; absent for others). */
  intent?: string;
  /** The model was unsure of the message (the hand-off rules' judgement, smalltalk excluded). */
  lowConfidence: boolean;
  /** The turn failed and the shopper was told so. */
  failed: boolean;
  toolCalls: readonly { name: string; output: unknown }[];
  /** Why a person was called in this turn; empty when none was. */
  calledFor: readonly HandoffReason[];
}

function passages(output: unknown): number | null {
  const results = (output as { results?: unknown } | null)?.results;
  return Array.isArray(results) ? results.length : null;
}

/** The reasons this turn is a gap, in GAP_REASONS order; empty when the card answered. */
export function gapReasons(t: TurnOutcome, knowledgeTool: string): GapReason[] {
  const searches = t.toolCalls.filter((c) => c.name === knowledgeTool).map((c) => passages(c.output));
  // A passage found answers the question, however the message was first understood
  // ("优先人工通道是什么意思" is not placed, then looked up in the rules).
  const answered = searches.some((n) => n !== null && n > 0);
  const reasons: GapReason[] = [];
  if (!answered && (t.intent === 'unknown' || t.lowConfidence || t.failed)) reasons.push('fallback');
  if (!answered && searches.some((n) => n === 0)) reasons.push('no_knowledge');
  if (t.calledFor.some((r) => LACK_OF_ANSWER.has(r))) reasons.push('handoff');
  return reasons;
}
