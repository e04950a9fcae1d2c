// How a question's words meet the shop's documents: a retail synonym counts only when the documents
// use it, an asking word the documents never use is left out, and a heading that shares the question's
// words counts while a document's lead paragraph counts less.
import { describe, expect, it } from 'vitest';
import { mayBeTypedBySound, resolveQueryTerms, soundAlikes } from '../../src/domain/knowledge/queryTerms.ts';
import { fusedScore } from '../../src/domain/knowledge/score.ts';
import { synonymsOf } from '../../src/domain/knowledge/synonyms.ts';
import { syllablePairs } from '../../src/domain/knowledge/search.ts';

const df = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('synonymsOf', () => {
  it('matches 寄出 by 发货 when the documents use 发货, counted as the asked word', () => {
    expect(synonymsOf(['多久', '寄出'], df({ 发货: 4 })).get('发货')).toBe('寄出');
  });

  it('adds no synonym the documents never use', () => {
    expect(synonymsOf(['寄出'], df({ 发货: 0, 寄出: 2 })).has('发货')).toBe(false);
    expect(synonymsOf(['寄出'], new Map()).size).toBe(0);
  });

  it('never adds a word the question already has', () => {
    const found = synonymsOf(['寄出', '发货'], df({ 发货: 4, 寄出: 2, 出库: 1 }));
    expect(found.has('发货')).toBe(false);
    expect(found.has('寄出')).toBe(false);
    expect(found.get('出库')).toBeDefined();
  });
});

describe('resolveQueryTerms', () => {
  it('drops an asking word the documents never use (啥时候)', () => {
    expect(resolveQueryTerms(['预售', '啥时候', '发货'], df({ 预售: 2, 发货: 5, 啥时候: 0 }))).toEqual(['预售', '发货']);
  });

  it('keeps an asking word the documents use', () => {
    expect(resolveQueryTerms(['预售', '啥时候', '发货'], df({ 预售: 2, 发货: 5, 啥时候: 1 }))).toEqual(['预售', '啥时候', '发货']);
  });

  it('keeps an unknown word that names something, not only asks', () => {
    expect(resolveQueryTerms(['预售', '天气'], df({ 预售: 2 }))).toEqual(['预售', '天气']);
  });
});

describe('resolveQueryTerms on words jieba glued together', () => {
  it('reads 券能 as 券 when the documents use 券', () => {
    expect(resolveQueryTerms(['两张', '券能', '一起'], df({ 券: 6, 一起: 2 }))).toEqual(['两张', '券', '一起']);
  });

  it('does not cut a two-character word that is not a word with a modal glued on (假货)', () => {
    expect(resolveQueryTerms(['假货'], df({ 假: 1, 货: 3 }))).toEqual(['假货']);
  });
});

describe('soundAlikes', () => {
  const vocabulary = ['发货', '运费', '包邮', '退货', '多少'];

  it('finds the documents’ word a homophone was typed for (发火 → 发货)', () => {
    expect(soundAlikes(['发火'], vocabulary).get('发火')).toEqual(['发货']);
  });

  it('finds the word a pinyin word spells (baoyou → 包邮, yunfei → 运费)', () => {
    const found = soundAlikes(['baoyou', 'yunfei'], vocabulary);
    expect(found.get('baoyou')).toEqual(['包邮']);
    expect(found.get('yunfei')).toEqual(['运费']);
  });

  it('finds nothing for a word no document word sounds like', () => {
    expect(soundAlikes(['天气'], vocabulary).size).toBe(0);
  });

  it('leaves one character, asking words and short Latin words alone', () => {
    expect(['发', '多久', 'de'].map(mayBeTypedBySound)).toEqual([false, false, false]);
    expect(['发火', 'baoyou'].map(mayBeTypedBySound)).toEqual([true, true]);
  });
});

describe('fusedScore', () => {
  const similarity = 0.3;
  const allWordsInText = 1;

  it('ranks a chunk whose heading shares the question’s words above one with them only in its text', () => {
    const underMatchingHeading = fusedScore(similarity, allWordsInText, 1);
    const underOtherHeading = fusedScore(similarity, allWordsInText, 0);
    expect(underMatchingHeading).toBeGreaterThan(underOtherHeading);
  });

  it('ranks a document’s lead paragraph below the same chunk elsewhere in the document', () => {
    const lead = fusedScore(similarity, allWordsInText, 0, true);
    const section = fusedScore(similarity, allWordsInText, 0, false);
    expect(lead).toBeLessThan(section);
  });
});

describe('syllablePairs', () => {
  it('joins neighbouring syllables of spaced pinyin so "tui huo" can be heard as one word', () => {
    expect(syllablePairs('tui huo zheng ce').map((p) => p.joined)).toEqual(['tuihuo', 'huozheng', 'zhengce']);
  });

  it('joins nothing in Chinese text or in English words longer than a syllable', () => {
    expect(syllablePairs('退货 zheng ce')).toEqual([]);
    expect(syllablePairs('how long does shipping take')).toEqual([]);
  });
});
