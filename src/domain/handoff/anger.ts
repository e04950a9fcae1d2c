// Emotion awareness (docs/domain.md §2 Card): how upset a shopper's message sounds,
// scored once per turn by assessMessage (assessment.ts). The one score drives the AI's tone, the
// 'angry' hand-off trigger and a higher ticket priority.
import { containsTerm, normalize } from '../../text/normalize.ts';
import { ANGER_EXCEPTIONS, ANGER_TERMS, CAPS_SCORE, CAPS_WORDS, EXCLAIM_RUN, EXCLAIM_SCORE } from './lexicon.ts';

export const MOODS = ['calm', 'upset', 'angry'] as const;
export type Mood = (typeof MOODS)[number];

export interface Anger {
  score: number;
  mood: Mood;
  /** The words that counted, for the staff summary. */
  terms: string[];
}

const CAPS_WORD = /\b[A-Z]{4,}\b/g;
const EXCLAIM = new RegExp(`[!！]{${EXCLAIM_RUN},}`);

export function angerOf(text: string, angryAt = 3): Anger {
  const norm = ANGER_EXCEPTIONS.reduce((t, harmless) => t.split(harmless).join(' '), normalize(text));
  const terms = Object.keys(ANGER_TERMS).filter((t) => containsTerm(norm, t));
  let score = terms.reduce((s, t) => s + ANGER_TERMS[t]!, 0);
  if (EXCLAIM.test(text)) score += EXCLAIM_SCORE;
  if ((text.match(CAPS_WORD)?.length ?? 0) >= CAPS_WORDS) score += CAPS_SCORE;
  const mood: Mood = score >= angryAt ? 'angry' : score > 0 ? 'upset' : 'calm';
  return { score, mood, terms };
}
