// Matching by sound: shoppers type homophones (补获 for 补货, 提型 for 提醒, 法货 for 发货) and pinyin
// (bu huo ti xing). A term matches when the toneless pinyin of the text contains the pinyin of the
// term, syllable by syllable — so 补获 matches 补货, and "buhuo" does too.
import { pinyin } from 'pinyin-pro';
import { LRUCache } from 'lru-cache';

const HAN = /\p{Script=Han}/u;
const cache = new LRUCache<string, string>({ max: 2048 });

/** The text read aloud: each Han character as its toneless syllable, other letters kept, spaces between. */
export function soundOf(text: string): string {
  let hit = cache.get(text);
  if (hit === undefined) {
    const syllables = pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive' });
    hit = ` ${syllables
      .map((s) => s.trim().toLowerCase())
      .filter((s) => /[a-z]/.test(s))
      .join(' ')} `;
    cache.set(text, hit);
  }
  return hit;
}

// The same sound without its spaces ("buhuo"), kept beside it: every message is checked against many
// terms, and each check would otherwise rebuild both strings.
const compactCache = new LRUCache<string, string>({ max: 2048 });

function compactSoundOf(text: string): string {
  let hit = compactCache.get(text);
  if (hit === undefined) {
    hit = soundOf(text).replace(/ /g, '');
    compactCache.set(text, hit);
  }
  return hit;
}

// A message is checked against a whole word list in a row (words.some(w => soundsLike(message, w))):
// its sounds are kept for the next call with the same text, and each term's are kept by the term
// (the word lists' terms are a few hundred; the bound only stops an endless stream of new ones), so
// such a check is two string searches, not four cache look-ups.
interface Sounds {
  spaced: string;
  /** Built on the first check that needs it. */
  compact?: string;
}
const TERMS_KEPT = 4096;
const termSounds = new Map<string, Required<Sounds> | null>();
let lastText: string | undefined;
let lastSounds: Sounds = { spaced: '' };

function termSoundsOf(term: string): Required<Sounds> | null {
  let t = termSounds.get(term);
  if (t === undefined) {
    t = HAN.test(term) ? { spaced: soundOf(term), compact: compactSoundOf(term) } : null;
    if (termSounds.size >= TERMS_KEPT) termSounds.clear();
    termSounds.set(term, t);
  }
  return t;
}

/** Whether the text says the term, by sound (the term's characters, or the same syllables). */
export function soundsLike(text: string, term: string): boolean {
  const t = termSoundsOf(term);
  if (t === null) return false;
  if (text !== lastText) {
    lastSounds = { spaced: soundOf(text) };
    lastText = text;
  }
  // soundOf pads with one space each side, so the term's sound is matched as whole syllables.
  if (lastSounds.spaced.includes(t.spaced)) return true;
  lastSounds.compact ??= compactSoundOf(text);
  return lastSounds.compact.includes(t.compact);
}

// Two Latin words or more: a message typed in pinyin (or English, where no Chinese term sounds).
const ROMANISED = /[a-z]{2,}\s+[a-z]{2,}/;

/**
 * Whether a message typed in pinyin ("bie fa jie ri zhu fu le") says the term by sound. Only for
 * such messages and for terms of two Han characters or more: in Chinese text, a homophone across a
 * word boundary would be a false match, and one character sounds like too many things.
 */
export function romanisedSays(text: string, term: string): boolean {
  return ROMANISED.test(text) && [...term].filter((c) => HAN.test(c)).length >= 2 && soundsLike(text, term);
}
