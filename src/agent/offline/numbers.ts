// Chinese numerals in the places shoppers use them for money and positions ("两百以内", "第三个").
const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };

export const CN_NUMERAL = '[零〇一二两三四五六七八九十百千万]+';

/** '两百' → 200, '一百五' → 150, '十二' → 12, '三' → 3; NaN for anything else. */
export function parseChineseNumber(s: string): number {
  let total = 0;
  let section = 0;
  let digit = -1;
  let lastUnit = 0;
  for (const ch of s) {
    if (ch in DIGITS) {
      digit = DIGITS[ch]!;
      // '一百零五': after 零 the next digit is a unit, not a tenth of the last unit.
      if (digit === 0) lastUnit = 1;
      continue;
    }
    const unit = UNITS[ch];
    if (unit === undefined) return NaN;
    if (unit === 10000) {
      total += (section + Math.max(digit, 0)) * unit;
      section = 0;
    } else {
      section += (digit < 0 ? 1 : digit) * unit;
    }
    lastUnit = unit;
    digit = -1;
  }
  // '一百五' means 150: a trailing digit counts one place below the last unit.
  if (digit >= 0) section += lastUnit >= 10 ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

/** Replaces Chinese numerals that stand before money words with digits: '两百块以内' → '200块以内'. */
export function digitiseMoney(text: string): string {
  const before = '(?<=(?:到|至|预算|不超过|超过|低于|少于|最多|最高|高于|不低于|至少|顶多)\\s*)';
  const after = '(?=\\s*(?:元|块|以内|以下|以上|左右|上下|到|至|-|~|多|来|出头|起))';
  return text.replace(new RegExp(`${before}${CN_NUMERAL}|${CN_NUMERAL}${after}`, 'g'), (m) => {
    const n = parseChineseNumber(m);
    return Number.isNaN(n) ? m : String(n);
  });
}
