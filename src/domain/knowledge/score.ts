// How a chunk's two relevance signals become one score. Pure, so the weighting is easy to test.
//
// Lexical: the share of the query's words the chunk contains, each word weighted by how rare it is
// in the shop's knowledge base (BM25's idf): "团队" in a question decides more than "天", which is in
// half of the rules. Vector: cosine similarity of the query and the chunk's title + heading + text.

/** BM25's idf: always positive, highest for words few chunks contain. */
export function idf(documentFrequency: number, chunkCount: number): number {
  return Math.log(1 + (chunkCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** Sum of the idf of the matched query words over the sum for all of them, in [0, 1]. */
export function lexicalScore(matched: readonly string[], queryIdf: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const w of queryIdf.values()) total += w;
  if (total === 0) return 0;
  let hit = 0;
  for (const t of new Set(matched)) hit += queryIdf.get(t) ?? 0;
  return hit / total;
}

// Words decide more than the hashed local vectors, whose similarities are small and close together
// for short questions; the vector still separates chunks that match the same words, and finds a
// chunk that words alone miss (粉底 ~ 粉底液 through shared characters).
export const LEXICAL_WEIGHT = 0.6;
export const VECTOR_WEIGHT = 0.4;

// The shop's documents are written as questions and answers: a heading that shares the question's
// words ("怎么获得积分") marks the answer more surely than the same words anywhere in the text.
export const HEADING_WEIGHT = 0.4;
// A document's opening paragraph says what the document covers ("下面是发货时效、快递…的说明"), so it
// shares words with every question on its subject while answering none of them.
export const LEAD_FACTOR = 0.8;

export function fusedScore(similarity: number, lexical: number, heading = 0, lead = false): number {
  const sim = Number.isFinite(similarity) ? Math.max(0, similarity) : 0;
  return (VECTOR_WEIGHT * sim + LEXICAL_WEIGHT * lexical + HEADING_WEIGHT * heading) * (lead ? LEAD_FACTOR : 1);
}
