// Hybrid product search: the meaning of the shopper's words (pgvector cosine), the words themselves
// (search_terms, name, brand), and hard filters, fused into one ranking (see fusion.ts). Only
// on-sale products of the caller's shop are ever read. Product texts are data: they are compared
// and returned, never interpreted.
import type { Queryable } from '../../db/db.ts';
import { VectorParam } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { Conflict } from '../../errors.ts';
import { readAttributes } from './attributes.ts';
import { fusedScore, relevantCandidates, withSignalRanks, type Candidate } from './fusion.ts';
import { formatPrice } from './price.ts';
import { cachedProfile, keepProfile } from './profileCache.ts';
import { hasStructuredFilters, hasTopicalFilters, MAX_LIMIT, namedCategories, planQuery } from './queryPlan.ts';
import { browseRows, FUSION_DEPTH, loadProfile, rankCandidates, searchNearest, type HitRow } from './searchQueries.ts';
import type { ProductHit, ProductQuery } from './types.ts';

function toHit(r: HitRow, score: number): ProductHit {
  const a = readAttributes(r.attributes);
  return {
    id: r.id,
    name: r.name,
    brand: r.brand,
    category: r.category,
    priceFen: r.price_fen,
    price: formatPrice(r.price_fen),
    stock: r.stock,
    inStock: r.stock > 0,
    skinTypes: a.skinTypes,
    colors: a.colors,
    effects: a.effects,
    ...(a.spec ? { spec: a.spec } : {}),
    score,
  };
}

function byRelevance(a: { score: number; row: HitRow }, b: { score: number; row: HitRow }): number {
  return b.score - a.score || (a.row.distance ?? Infinity) - (b.row.distance ?? Infinity) || a.row.id - b.row.id;
}

/**
 * Products of the shop that match the query, best first. With text: hybrid relevance, then (for a
 * price sort) the most relevant MAX_LIMIT reordered by price. Throws Conflict when the shop's
 * vectors were made by another embedder than `embedder` (comparing them would be meaningless).
 */
export async function searchProducts(
  db: Queryable,
  embedder: Embedder,
  shopId: string,
  q: ProductQuery,
): Promise<ProductHit[]> {
  const plan = planQuery(q);
  if (!plan.text) return (await browseRows(db, shopId, plan)).map((r) => toHit(r, 0));

  const [vector] = await embedder.embed([plan.text]);
  // A text without a letter or digit has no features: rank by words alone.
  const query = vector && vector.some((x) => x !== 0) ? new VectorParam(vector) : undefined;
  // With filters, the HNSW scan could return only products the filters then drop; a shop's
  // filtered products are few, so they are ranked exactly. Without filters the index serves, with the
  // best word matches and the shop's profile fetched beside it (searchNearest): every connection scans
  // iteratively (SEARCH_SESSION in db/pglite.ts), so other shops' products in the shared graph do
  // not starve it. Its answer is dropped, and the exact ranking runs, when the shop's vectors are
  // another embedder's, when the text names a category (which only the profile tells), or when the
  // index's hits run short (many out of stock, or a scan that hit hnsw.max_scan_tuples).
  // The profile comes from profileCache.ts when fresh; else the word-match statement reads it too.
  const cached = cachedProfile(db, shopId, embedder.id, embedder.dim);
  const nearest =
    query && !hasStructuredFilters(plan.filters)
      ? await searchNearest(db, shopId, plan, embedder, query, !cached)
      : undefined;
  const profile = cached ?? nearest?.profile ?? (await loadProfile(db, shopId, embedder));
  if (!cached) keepProfile(db, shopId, embedder.id, embedder.dim, profile);
  if (profile.foreign) {
    const { embedder: madeBy, dim } = profile.foreign;
    throw new Conflict(
      `product vectors were made by ${madeBy} (${dim}-d); the current embedder is ${embedder.id} ` +
        `(${embedder.dim}-d): run npm run reindex`,
    );
  }
  if (!plan.filters.categories) {
    const named = namedCategories(plan.text, profile.categories);
    if (named.length) plan.filters.categories = named;
  }
  const candidates: (Candidate & { row: HitRow })[] =
    nearest && !hasStructuredFilters(plan.filters) && nearest.annHits >= plan.limit
      ? withSignalRanks(nearest.rows, FUSION_DEPTH).map((c) => ({
          row: c,
          distance: c.distance,
          vectorRank: c.vectorRank,
          lexicalRank: c.lexicalRank,
        }))
      : (await rankCandidates(db, shopId, plan, embedder, query)).map((row) => ({
          row,
          distance: row.distance ?? null,
          vectorRank: row.vector_rank ?? null,
          lexicalRank: row.lexical_rank ?? null,
        }));
  const ranked = relevantCandidates(candidates, hasTopicalFilters(plan.filters))
    .map((c) => ({ row: c.row, score: fusedScore(c) }))
    .sort(byRelevance);
  if (plan.sort !== 'relevance') {
    const sign = plan.sort === 'price_asc' ? 1 : -1;
    ranked.splice(MAX_LIMIT);
    ranked.sort((a, b) => sign * (a.row.price_fen - b.row.price_fen) || byRelevance(a, b));
  }
  return ranked.slice(0, plan.limit).map(({ row, score }) => toHit(row, Number(score.toFixed(6))));
}
