// Which language to answer in: Chinese by default, English when the shopper writes English. Order
// numbers (LT2026…) and product codes are not words of either language and are left out. Pinyin
// ("wo de dingdan dao na le") is Chinese typed without characters: it is answered in Chinese.
import { normalize } from '../../text/normalize.ts';
import { pinyinSyllables } from './features.ts';
import { LEXICON } from './lexicon.ts';
export type Lang = 'zh' | 'en';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[a-z]{2,}/gi;
const CODES = /\b[a-z]{1,4}\d{4,}\b/gi;
// Share of a message's Latin words that must read as pinyin syllables for it to be pinyin: English
// shares a few short words with pinyin ("can", "he", "change"), seldom most of a sentence.
const PINYIN_SHARE = 0.75;

/** Whether Latin words (tone marks dropped) are pinyin: most of them cut into syllables. */
function isPinyin(words: readonly string[]): boolean {
  const read = words.filter((w) => pinyinSyllables(w) !== null).length;
  return read / words.length >= PINYIN_SHARE;
}

/** The language of one message, or null when it has no words (only an order number, emoji, "?"). */
export function detectLanguage(text: string): Lang | null {
  const plain = normalize(text).replace(CODES, ' ');
  const han = plain.match(HAN)?.length ?? 0;
  const words = plain.match(LATIN_WORD) ?? [];
  const letters = words.reduce((n, w) => n + w.length, 0);
  // One Latin word alone ("ok", "hi", a typo) says nothing about the language of the conversation.
  if (han === 0 && words.length <= 1) return null;
  // Mixed messages ("帮我查下order", "where is my 快递"): English only when letters clearly dominate.
  if (words.length >= 2 && letters >= han * 3) return isPinyin(words) ? 'zh' : 'en';
  return 'zh';
}

/**
 * The reply language: this message's, else the last message that had words, else English for a
 * lone English word ("thanks") opening the conversation, else Chinese.
 */
export function replyLanguage(current: string, earlier: readonly string[]): Lang {
  const own = detectLanguage(current);
  if (own) return own;
  for (let i = earlier.length - 1; i >= 0; i--) {
    const l = detectLanguage(earlier[i]!);
    if (l) return l;
  }
  const word = current.toLowerCase().match(/[a-z]+/g);
  return word?.length === 1 && LEXICON.englishWords.includes(word[0]!) ? 'en' : 'zh';
}
