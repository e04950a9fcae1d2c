// Emotion awareness (DOMAIN.md §5): how upset a message sounds, from a weighted lexicon (投诉 and
// 12315 weigh more than 无语), runs of exclamation marks and English shouted in capitals.
import { LEXICON } from './lexicon.ts';
import { findTerm } from './normalize.ts';

export type Mood = 'calm' | 'upset' | 'angry';

export interface Anger {
  score: number;
  mood: Mood;
}

const CAPS_WORD = /\b[A-Z]{4,}\b/g;
// Shouting is several capitalised words, not one acronym (SPF, VIP, DHL).
const CAPS_WORDS_TO_SHOUT = 2;

export function angerOf(norm: string, raw: string): Anger {
  const lex = LEXICON.anger;
  let score = 0;
  const text = lex.exceptions.reduce((t, harmless) => t.split(harmless).join(' '), norm);
  for (const [term, weight] of Object.entries(lex.terms)) if (findTerm(text, term) >= 0) score += weight;
  if (new RegExp(`[!！]{${lex.exclaimRun},}`).test(raw)) score += lex.exclaimScore;
  if ((raw.match(CAPS_WORD)?.length ?? 0) >= CAPS_WORDS_TO_SHOUT) score += lex.capsScore;
  const mood: Mood = score >= lex.angryAt ? 'angry' : score >= lex.upsetAt ? 'upset' : 'calm';
  return { score, mood };
}
