// Which language to answer in: Chinese by default, English when the shopper writes English. Order
// numbers (LT2026…) and product codes are not words of either language and are left out.
import { LEXICON } from './lexicon.ts';
export type Lang = 'zh' | 'en';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[a-z]{2,}/gi;
const CODES = /\b[a-z]{1,4}\d{4,}\b/gi;

/** The language of one message, or null when it has no words (only an order number, emoji, "?"). */
export function detectLanguage(text: string): Lang | null {
  const plain = text.replace(CODES, ' ');
  const han = plain.match(HAN)?.length ?? 0;
  const words = plain.match(LATIN_WORD) ?? [];
  const letters = words.reduce((n, w) => n + w.length, 0);
  // One Latin word alone ("ok", "hi", a typo) says nothing about the language of the conversation.
  if (han === 0 && words.length <= 1) return null;
  // Mixed messages ("帮我查下order", "where is my 快递"): English only when letters clearly dominate.
  if (words.length >= 2 && letters >= han * 3) return 'en';
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
