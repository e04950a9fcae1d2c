// Emotion awareness (DOMAIN.md §5): how upset a shopper's message sounds. The score drives a softer
// tone (a line in the LLM's system prompt), the 'angry' handoff trigger, and a higher ticket priority.
import { ANGER_TERMS, CAPS_SCORE, CAPS_WORDS, EXCLAIM_RUN, EXCLAIM_SCORE } from './lexicon.ts';

export type Mood = 'calm' | 'upset' | 'angry';

export interface Anger {
  score: number;
  mood: Mood;
  /** The words that counted, for the staff summary. */
  terms: string[];
}

const CAPS_WORD = /\b[A-Z]{3,}\b/g;
const EXCLAIM = new RegExp(`[!！]{${EXCLAIM_RUN},}`);

export function angerOf(text: string, angryAt = 3): Anger {
  const lower = text.toLowerCase();
  const terms = Object.keys(ANGER_TERMS).filter((t) => lower.includes(t));
  let score = terms.reduce((s, t) => s + ANGER_TERMS[t]!, 0);
  if (EXCLAIM.test(text)) score += EXCLAIM_SCORE;
  if ((text.match(CAPS_WORD)?.length ?? 0) >= CAPS_WORDS) score += CAPS_SCORE;
  const mood: Mood = score >= angryAt ? 'angry' : score > 0 ? 'upset' : 'calm';
  return { score, mood, terms };
}
