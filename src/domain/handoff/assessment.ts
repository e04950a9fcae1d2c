// One judgement of the shopper's message per turn, made before the model answers: its mood, whether
// it asks for a person, whether it says the last answer did not help, and so which hand-offs the
// message alone calls for. The agent hands it to the model (an LLM gets a softer tone and is told a
// colleague is coming; the offline model chooses its words by it) and finishTurn's hand-off rules
// (triggers.ts) use the same judgement: nobody scores the message a second time.
import type { Tier } from '../../context.ts';
import { containsTerm, normalize } from '../../text/normalize.ts';
import { angerOf, type Anger, type Mood } from './anger.ts';
import { UNRESOLVED_CUES } from './lexicon.ts';
import { personAsk } from './personAsk.ts';
import { allowedReasons, handoffOffered, type HandoffReason, type HandoffSettings } from './settings.ts';

export interface MessageAssessment {
  mood: Mood;
  anger: Anger;
  /** The shopper asks for a person (and does not decline one in the same breath). */
  askedForHuman: boolean;
  /** The shopper says the last answer did not help ("还是不行", "答非所问"). */
  saysUnresolved: boolean;
  /** Whether this shop hands this shopper to a person at all. */
  handoffAvailable: boolean;
  /** The hand-offs the message alone calls for, as far as the shop allows them for this shopper. */
  handoff: HandoffReason[];
}

/**
 * Whether the message asks for a person now: it states a wish or an imperative for one, not a
 * question or a remark about the staff ("人工几点上班" wants the hours, not a colleague now).
 */
export function askedForHuman(message: string): boolean {
  return personAsk(normalize(message)) === 'request';
}

export function assessMessage(message: string, settings: HandoffSettings, tier: Tier): MessageAssessment {
  const anger = angerOf(message, settings.angryAt);
  const asked = askedForHuman(message);
  const norm = normalize(message);
  const reasons: HandoffReason[] = [];
  if (asked) reasons.push('asked_for_human');
  if (anger.mood === 'angry') reasons.push('angry');
  return {
    mood: anger.mood,
    anger,
    askedForHuman: asked,
    saysUnresolved: UNRESOLVED_CUES.some((c) => containsTerm(norm, c)),
    handoffAvailable: handoffOffered(settings, tier),
    handoff: allowedReasons(settings, tier, reasons),
  };
}

/** What a message assessed before nothing was known (a calm message, no hand-off). */
export const CALM: MessageAssessment = {
  mood: 'calm',
  anger: { score: 0, mood: 'calm', terms: [], threatensComplaint: false },
  askedForHuman: false,
  saysUnresolved: false,
  handoffAvailable: false,
  handoff: [],
};
