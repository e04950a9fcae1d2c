// How the two relevance signals become one ranking.
//
// Reciprocal rank fusion rather than a weighted sum of scores: cosine similarity and the lexical
// score live on different scales, and the cosine scale moves with the embedder (the local hashed
// vectors of related texts sit near 0.3–0.6, OpenAI's near 0.2–0.7). RRF uses only the ranks, so
// switching embedder needs no re-tuning, and a product found by both signals rises above one found
// by a single signal however high. k = 60 is the constant of Cormack et al. (2009), which keeps the
// top few ranks of either list from drowning the other.
export const RRF_K = 60;

export interface SignalRanks {
  /** 1 = nearest vector; null when the product has no vector (not indexed yet). */
  vectorRank: number | null;
  /** 1 = best lexical score; null when no query word matched. */
  lexicalRank: number | null;
}

export function fusedScore({ vectorRank, lexicalRank }: SignalRanks): number {
  return (vectorRank ? 1 / (RRF_K + vectorRank) : 0) + (lexicalRank ? 1 / (RRF_K + lexicalRank) : 0);
}

// Every product has *some* nearest neighbours, so ranks alone would pad a short answer with
// unrelated products (a lipstick for "保湿"). A product found by the vectors only must be at least
// this share as similar as the best match. A ratio, not an absolute cut-off, for the same reason
// as RRF: the similarity scale depends on the embedder.
export const VECTOR_ONLY_FLOOR = 0.5;

export interface Candidate extends SignalRanks {
  /** Cosine distance to the query; null without a vector. */
  distance: number | null;
}

/**
 * Drops candidates that only the vectors found, and only weakly; keeps every lexical match. With
 * `filtered` (a category, colour or effect chose the candidates: queryPlan.ts hasTopicalFilters)
 * nothing is dropped: the filters already say every candidate is what the shopper asked for, and
 * the text only orders them ("whitening serum" in 精华 shares no word with any 精华, yet each is an
 * answer).
 */
export function relevantCandidates<C extends Candidate>(candidates: C[], filtered = false): C[] {
  if (filtered) return candidates;
  const similarity = (c: Candidate) => (c.distance === null || Number.isNaN(c.distance) ? 0 : 1 - c.distance);
  const best = Math.max(0, ...candidates.map(similarity));
  return candidates.filter((c) => c.lexicalRank !== null || (best > 0 && similarity(c) >= VECTOR_ONLY_FLOOR * best));
}

export interface RawScores {
  /** Cosine distance; null without a vector. NaN (a zero vector) ranks after every number, as in SQL. */
  distance: number | null;
  /** The lexical score; 0 when no query word matched. */
  lexical: number;
}

/**
 * Each signal's rank among `rows`, as SQL's rank() gives it (ties share a rank; 1 = best), keeping
 * the rows in the top `depth` of either signal: what searchQueries.ts's rankCandidates computes in
 * SQL for an exact scan, here for the few candidates of an index scan.
 */
export function withSignalRanks<R extends RawScores>(rows: R[], depth: number): (R & SignalRanks)[] {
  const key = (d: number) => (Number.isNaN(d) ? Infinity : d);
  const distances = rows.flatMap((r) => (r.distance === null ? [] : [key(r.distance)])).sort((a, b) => a - b);
  const lexicals = rows.map((r) => r.lexical).sort((a, b) => b - a);
  // 1 + how many rows score strictly better: the first index of the value in the sorted list.
  const firstAbove = (sorted: number[], better: (x: number) => boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (better(sorted[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  return rows
    .map((r) => {
      const d = r.distance === null ? null : key(r.distance);
      return {
        ...r,
        vectorRank: d === null ? null : firstAbove(distances, (x) => x < d),
        lexicalRank: r.lexical > 0 ? firstAbove(lexicals, (x) => x > r.lexical) : null,
      };
    })
    .filter((r) => (r.vectorRank !== null && r.vectorRank <= depth) || (r.lexicalRank !== null && r.lexicalRank <= depth));
}
