// The offline model's token count reads text as the regular expressions it replaced did: every Han
// character one token, every other run of letters and digits one word.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../src/agent/offline/tokens.ts';

function byRegex(text: string): number {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = text.replace(/\p{Script=Han}/gu, ' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return han + words;
}

describe('the offline model\'s token count', () => {
  it('counts Han characters one by one and other words as runs', () => {
    expect(countTokens('推荐个适合干皮的粉底液 200以内')).toBe(14);
    expect(countTokens('Hello, world 42!')).toBe(3);
    expect(countTokens('{"query":"粉底液","maxPriceFen":20000}')).toBe(6);
    expect(countTokens('café naïve Ωmega 𠀀x 😀')).toBe(5);
    expect(countTokens('')).toBe(0);
  });

  it('agrees with the regular expressions on any text', () => {
    const pieces = fc.constantFrom('粉', '底液', 'abc', 'É', 'ß', '٣', '𠀀', '😀', ' ', ',', '\n', '\ud800', '\udc00', '1', '_', '"', 'ｱ', 'ー', '〇');
    fc.assert(fc.property(fc.array(fc.oneof(pieces, fc.string({ unit: 'binary' })), { maxLength: 20 }), (parts) => {
      const text = parts.join('');
      expect(countTokens(text)).toBe(byRegex(text));
    }), { numRuns: 2000 });
  });
});
