// A rough token count for the offline model's usage report (reported, never billed): one per Han
// character and one per other word, a word being a run of letters and digits. It is counted over
// the whole prompt on every step of every turn, so it walks the text once instead of matching it
// with regular expressions three times (tests/unit/offline/tokens.test.ts holds it to that reading).
const HAN = /\p{Script=Han}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export function countTokens(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      const word = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
      if (word && !inWord) n++;
      inWord = word;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
    if (HAN.test(ch)) {
      n++;
      inWord = false;
      continue;
    }
    const word = LETTER_OR_DIGIT.test(ch);
    if (word && !inWord) n++;
    inWord = word;
  }
  return n;
}
