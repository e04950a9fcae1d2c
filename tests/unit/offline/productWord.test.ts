// productWordIn reads a catalog's pieces once per catalog (indexed by their first two characters):
// it must pick what reading every name piece by piece picks, ties and head nouns included.
import { describe, expect, it } from 'vitest';
import { productWordIn } from '../../../src/agent/offline/slots.ts';

const HAN = /\p{Script=Han}/u;

/** Every name, longest piece first, the first of equal pieces kept, a head noun over an inner piece. */
function pieceByPiece(norm: string, names: readonly string[], notProduct: ReadonlySet<string>): string | undefined {
  let best: { word: string; head: boolean } | undefined;
  for (const name of names) {
    for (let len = Math.min(name.length, 8); len >= 2 && (!best || len >= best.word.length); len--) {
      for (let at = 0; at + len <= name.length; at++) {
        const word = name.slice(at, at + len);
        if (!HAN.test(word) || !norm.includes(word) || notProduct.has(word)) continue;
        const head = at + len === name.length;
        if (!best || len > best.word.length || (head && !best.head)) best = { word, head };
      }
    }
  }
  return best?.word;
}

const NAMES = ['精粹水', '小棕瓶精华', '身体乳', '修护精华水', '粉底液', '气垫粉底', '玫瑰身体乳', '水乳套装', 'BB霜', '保湿面霜'];

describe('the product word of a message', () => {
  it('is the longest piece of a name, a head noun over an inner piece of the same length', () => {
    expect(productWordIn('那个精粹水还有吗', NAMES)).toBe('精粹水');
    expect(productWordIn('玫瑰身体乳多少钱', NAMES)).toBe('玫瑰身体乳');
    expect(productWordIn('精华水和精华哪个好', NAMES)).toBe('精华水');
    expect(productWordIn('你好', NAMES)).toBeUndefined();
    expect(productWordIn('', NAMES)).toBeUndefined();
  });

  it('picks what reading every name piece by piece picks, in either order of the names', () => {
    const messages = ['我要粉底', '气垫粉底液有吗', '小棕瓶', '修护精华', '身体乳和面霜', '水乳', '粉底液气垫', 'bb霜', '精华精华水精粹'];
    // Effect words (保湿) name a need, not a product (slots.ts leaves them out); no message here has one.
    const none = new Set<string>();
    for (const names of [NAMES, [...NAMES].reverse(), [...NAMES].sort()]) {
      for (const m of messages) {
        expect(productWordIn(m, names), `${m} in ${names.join(',')}`).toBe(pieceByPiece(m, names, none));
      }
    }
  });

  it('answers for a second catalog after the first, each from its own names', () => {
    expect(productWordIn('精粹水', ['精粹水'])).toBe('精粹水');
    expect(productWordIn('精粹水', ['身体乳'])).toBeUndefined();
    expect(productWordIn('精粹水', ['精粹水'])).toBe('精粹水');
  });
});
