// Ranking quality against graded judgments (bench/relevance.ts): nDCG@k with exponential gains
// (2^grade − 1, so an exact match outweighs two acceptable ones), recall@k and MRR.

/** Judged grades by product; a product not in the map is not relevant (grade 0). */
export type Judgments = ReadonlyMap<string, number>;

const gain = (grade: number) => 2 ** grade - 1;
const discount = (rank: number) => 1 / Math.log2(rank + 2); // rank 0-based

/** DCG of `ranked` at k over the ideal DCG of the judgments; 0 when nothing is relevant. */
export function ndcgAt(ranked: readonly string[], judged: Judgments, k: number): number {
  const dcg = ranked.slice(0, k).reduce((s, key, i) => s + gain(judged.get(key) ?? 0) * discount(i), 0);
  const ideal = [...judged.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((s, g, i) => s + gain(g) * discount(i), 0);
  return ideal ? dcg / ideal : 0;
}

/** Share of the relevant products (grade ≥ minGrade) in the top k, of as many as k could hold. */
export function recallAt(ranked: readonly string[], judged: Judgments, k: number, minGrade = 1): number {
  const relevant = [...judged.values()].filter((g) => g >= minGrade).length;
  if (!relevant) return 0;
  const found = ranked.slice(0, k).filter((key) => (judged.get(key) ?? 0) >= minGrade).length;
  return found / Math.min(k, relevant);
}

/** 1 / the rank of the first product of grade ≥ minGrade; 0 when none is ranked. */
export function reciprocalRank(ranked: readonly string[], judged: Judgments, minGrade = 2): number {
  const at = ranked.findIndex((key) => (judged.get(key) ?? 0) >= minGrade);
  return at === -1 ? 0 : 1 / (at + 1);
}

export const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
