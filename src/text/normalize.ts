// One canonical form of what a shopper typed, so that every matcher — the hand-off rules' mood
// lexicon and the offline model's words alike — sees the same text: full-width forms folded
// (ＬＴ１２３ → lt123), traditional characters converted to simplified by OpenCC (我的訂單 → 我的订单,
// Taiwan usage: 著急 → 着急), a few common typos of shop words mended (优惠劵 → 优惠券), the tone
// marks of pinyin dropped (wǒ de dìngdān → wo de dingdan; ü → v, as pinyin is typed), lower case,
// runs of spaces collapsed. Punctuation is kept: "!!!" and "？" carry meaning.
import * as OpenCC from 'opencc-js/t2cn';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

// Characters shoppers type for a shop word's character (not traditional forms, so OpenCC keeps them).
const TYPOS: Readonly<Record<string, string>> = { 劵: '券' };

// A Latin letter with a mark (ǎ, ü, é): its base letter, after the marks are split off.
const MARKED_LATIN = /[\u00c0-\u024f\u1e00-\u1eff]/g;
const U_UMLAUT = /[üǖǘǚǜ]/g;

function withoutTones(text: string): string {
  return text.replace(U_UMLAUT, 'v').replace(MARKED_LATIN, (ch) => ch.normalize('NFD').replace(/\p{M}+/gu, ''));
}

export function normalize(text: string): string {
  let out = '';
  for (const ch of withoutTones(toSimplified(text.normalize('NFKC')).toLowerCase())) out += TYPOS[ch] ?? ch;
  return out.replace(/\s+/g, ' ').trim();
}

const ASCII_WORD = /^[a-z0-9][a-z0-9 '+.-]*$/;

/** Whether a term occurs in normalized text: whole words for English, substrings for Chinese. */
export function containsTerm(text: string, term: string): boolean {
  return findTerm(text, term) >= 0;
}

/** Index of the first occurrence of a term (whole-word for ASCII terms), or -1. */
export function findTerm(text: string, term: string, from = 0): number {
  if (!ASCII_WORD.test(term)) return text.indexOf(term, from);
  let at = text.indexOf(term, from);
  while (at >= 0) {
    const before = text[at - 1];
    const after = text[at + term.length];
    if (!isWordChar(before) && !isWordChar(after)) return at;
    at = text.indexOf(term, at + 1);
  }
  return -1;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[a-z0-9]/.test(ch);
}

/** The longest term of a list found in the text (longest wins: 防晒霜 over 防晒), or undefined. */
export function longestTerm(text: string, terms: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const t of terms) if ((!best || t.length > best.length) && containsTerm(text, t)) best = t;
  return best;
}
