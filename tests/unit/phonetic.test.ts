// A message typed in pinyin says a Chinese term by sound; Chinese text and one-character terms never
// match that way.
import { describe, expect, it } from 'vitest';
import { romanisedSays, soundsLike } from '../../src/text/phonetic.ts';

const PINYIN_MESSAGE = 'bie fa jie ri zhu fu le';

describe('romanisedSays', () => {
  it('hears 别发 and 节日 in "bie fa jie ri zhu fu le"', () => {
    expect(romanisedSays(PINYIN_MESSAGE, '别发')).toBe(true);
    expect(romanisedSays(PINYIN_MESSAGE, '节日')).toBe(true);
  });

  it('does not hear a term whose syllables the message lacks', () => {
    expect(romanisedSays(PINYIN_MESSAGE, '生日')).toBe(false);
  });

  it('never matches a Chinese message by sound, even where a homophone sounds like the term', () => {
    expect(soundsLike('结日祝福别发了', '节日')).toBe(true);
    expect(romanisedSays('结日祝福别发了', '节日')).toBe(false);
    expect(romanisedSays('别发节日祝福了', '节日')).toBe(false);
  });

  it('never matches a one-character term, which sounds like too many things', () => {
    expect(soundsLike(PINYIN_MESSAGE, '发')).toBe(true);
    expect(romanisedSays(PINYIN_MESSAGE, '发')).toBe(false);
  });

  it('hears each message by its own sounds when checks of different messages and terms interleave', () => {
    const checks: [string, string, boolean][] = [
      ['补获到了吗', '补货', true],
      ['你好', '补货', false],
      ['buhuo dao le ma', '补货', true],
      ['你好', '补货', false],
      ['你好', 'hello', false],
      ['提型我', '提醒', true],
      ['补获到了吗', '提醒', false],
      ['buhuo dao le ma', '补货', true],
    ];
    for (const [text, term, expected] of checks) expect([text, term, soundsLike(text, term)]).toEqual([text, term, expected]);
  });
});
