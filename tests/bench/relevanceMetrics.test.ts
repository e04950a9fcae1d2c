import { describe, expect, it } from 'vitest';
import { ndcgAt, recallAt, reciprocalRank } from '../../bench/lib/relevanceMetrics.ts';

const judged = new Map([
  ['exact', 3],
  ['good', 2],
  ['ok', 1],
]);

describe('relevance metrics', () => {
  it('gives nDCG 1 to the ideal order and less to any other', () => {
    expect(ndcgAt(['exact', 'good', 'ok'], judged, 10)).toBeCloseTo(1, 10);
    expect(ndcgAt(['good', 'exact', 'ok'], judged, 10)).toBeLessThan(1);
    expect(ndcgAt(['other', 'exact', 'good', 'ok'], judged, 10)).toBeLessThan(ndcgAt(['exact', 'other', 'good', 'ok'], judged, 10));
  });

  it('weighs an exact match above two acceptable ones (exponential gains)', () => {
    const two = new Map([...judged, ['ok2', 1]]);
    expect(ndcgAt(['exact', 'x'], two, 2)).toBeGreaterThan(ndcgAt(['ok', 'ok2'], two, 2));
  });

  it('counts only the top k and gives 0 when nothing relevant is found', () => {
    expect(ndcgAt(['a', 'b', 'exact'], judged, 2)).toBe(0);
    expect(ndcgAt(['exact'], new Map(), 10)).toBe(0);
  });

  it('measures recall against as many relevant products as k can hold', () => {
    expect(recallAt(['exact', 'x'], judged, 2)).toBe(0.5);
    expect(recallAt(['exact', 'good', 'ok'], judged, 10)).toBe(1);
  });

  it('ranks the first good-or-better product for MRR', () => {
    expect(reciprocalRank(['ok', 'x', 'good'], judged)).toBeCloseTo(1 / 3, 10);
    expect(reciprocalRank(['ok'], judged)).toBe(0);
  });
});
