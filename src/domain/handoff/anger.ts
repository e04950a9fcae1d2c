// Emotion awareness (docs/domain.md §2 Card): how upset a shopper's message sounds,
// scored once per turn by assessMessage (assessment.ts). The one score drives the AI's tone, the
// 'angry' hand-off trigger and a higher ticket priority.
import { containsTerm, normalize } from '../../text/normalize.ts';
import { ANGER_EXCEPTIONS, ANGER_TERMS, CAPS_SCORE, CAPS_WORDS, COMPLAINT_THREATS, EXCLAIM_RUN, EXCLAIM_SCORE } from './lexicon.ts';

export const MOODS = ['calm', 'upset', 'angry'] as const;
export type Mood = (typeof MOODS)[number];

export interface Anger {
  score: number;
  mood: Mood;
  /** The words that counted, for the staff summary. */
  terms: string[];
  /** The shopper threatens a complaint outside the shop (12315, 消协, 曝光): angry whatever the score. */
  threatensComplaint: boolean;
}

const CAPS_WORD = /\b[A-Z]{4,}\b/g;
const EXCLAIM = new RegExp(`[!！]{${EXCLAIM_RUN},}`);

export function angerOf(text: string, angryAt = 3): Anger {
  const norm = ANGER_EXCEPTIONS.reduce((t, harmless) => t.split(harmless).join(' '), normalize(text));
  const threats = COMPLAINT_THREATS.filter((t) => containsTerm(norm, t));
  const terms = [...new Set([...Object.keys(ANGER_TERMS).filter((t) => containsTerm(norm, t)), ...threats])];
  let score = terms.reduce((s, t) => s + (ANGER_TERMS[t] ?? 0), 0);
  if (EXCLAIM.test(text)) score += EXCLAIM_SCORE;
  if ((text.match(CAPS_WORD)?.length ?? 0) >= CAPS_WORDS) score += CAPS_SCORE;
  const threatensComplaint = threats.length > 0;
  const mood: Mood = score >= angryAt || threatensComplaint ? 'angry' : score > 0 ? 'upset' : 'calm';
  return { score, mood, terms, threatensComplaint };
}
