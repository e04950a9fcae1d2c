import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cleanJson, cleanText, isTypable, typable, typableJson, untypablePath } from '../../src/text/typable.ts';

describe('text a person could type', () => {
  it('takes any language and emoji, refuses a NUL and either half of a surrogate pair alone', () => {
    for (const ok of ['', '你好 hello', '😀 表情', 'tab\tand\nnewline']) expect(isTypable(ok), ok).toBe(true);
    for (const bad of ['a\u0000b', 'a\ud800', '\udc00a', '😀'.slice(0, 1)]) expect(isTypable(bad), JSON.stringify(bad)).toBe(false);
  });

  it('keeps the usual string checks when chained, and names the rule in its message', () => {
    const name = typable().trim().min(1).max(5);
    expect(name.parse('  小美  ')).toBe('小美');
    expect(name.safeParse('太长了太长了').success).toBe(false);
    const refused = name.safeParse('小\u0000美');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/U\+0000.*surrogate/);
  });

  it('finds the first untypable string of a JSON value, in a key or a value, by its path', () => {
    expect(untypablePath({ a: [1, 'ok', { b: 'x\u0000' }] })).toEqual(['a', 2, 'b']);
    expect(untypablePath({ ['k\ud800']: 1 })).toEqual(['k\ud800']);
    expect(untypablePath({ a: ['ok', { b: true, c: null }] })).toBeNull();
    const settings = typableJson(z.record(z.string(), z.unknown()));
    expect(settings.safeParse({ subscribe: { page: 'p\u0000' } }).error?.issues[0]?.path).toEqual(['subscribe', 'page']);
    expect(settings.safeParse({ subscribe: { page: 'pages/card/index' } }).success).toBe(true);
  });

  it("cleans a model's text without touching what is well formed", () => {
    expect(cleanText('您好\u0000\ud800😀')).toBe('您好\ufffd😀');
    expect(cleanJson({ input: { text: 'a\u0000b' }, n: 1, list: ['\udc00'] })).toEqual({ input: { text: 'ab' }, n: 1, list: ['\ufffd'] });
  });

  it('gives a tool call with nothing to clean back as it is, and cleans a key or a string deep inside one', () => {
    const clean = [{ name: 'searchProducts', input: { query: '面霜 😀' }, output: { products: [{ id: 1, tags: ['保湿'] }], at: new Date(0) } }];
    expect(cleanJson(clean)).toBe(clean);
    const original = { output: { products: [{ tags: ['ok', 'x\u0000'] }] }, keep: 'same' };
    const cleaned = cleanJson(original);
    expect(cleaned).toEqual({ output: { products: [{ tags: ['ok', 'x'] }] }, keep: 'same' });
    expect(original.output.products[0]!.tags[1]).toBe('x\u0000');
    expect(cleanJson({ ['k\ud800']: 1 })).toEqual({ ['k\ufffd']: 1 });
  });
});
