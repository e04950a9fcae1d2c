// Hybrid product search: the meaning of the shopper's words (pgvector cosine), the words themselves
// (search_terms, name, brand), and hard filters, fused into one ranking (see fusion.ts). Only
// on-sale products of the caller's shop are ever read. Product texts are data: they are compared
// and returned, never interpreted.
import type { Queryable } from '../../db/db.ts';
import { toVector } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { tokenize } from '../../embed/tokenize.ts';
import { Conflict } from '../../errors.ts';
import { readAttributes } from './attributes.ts';
import { fusedScore, relevantCandidates } from './fusion.ts';
import { formatPrice } from './price.ts';
import { hasStructuredFilters, MAX_LIMIT, namedCategories, planQuery, type QueryPlan } from './queryPlan.ts';
import type { ProductHit, ProductQuery } from './types.ts';
import { checkedDim, vectorType } from './vectorIndex.ts';

// A plain HNSW scan yields at most hnsw.ef_search rows (default 40), so asking for more is moot.
const ANN_CANDIDATES = 40;
// Each signal contributes its top this-many to the fusion; deeper ranks barely move an RRF score.
const FUSION_DEPTH = 50;

/** Collects positional parameters while SQL is assembled. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

interface HitRow {
  id: number;
  name: string;
  brand: string;
  category: string;
  price_fen: number;
  stock: number;
  attributes: unknown;
  distance?: number | null;
  vector_rank?: number | null;
  lexical_rank?: number | null;
}

const HIT_COLUMNS = 'p.id, p.name, p.brand, p.category, p.price_fen, p.stock, p.attributes';

/** The WHERE clause every candidate passes: shop, on sale, stock, exclusions and the filters. */
function whereSql(shopId: string, plan: QueryPlan, params: Params): string {
  const f = plan.filters;
  const w = [`p.shop_id = ${params.add(shopId)}`, `p.status = 'on_sale'`];
  if (f.categories) w.push(`p.category = ANY(${params.add(f.categories)}::text[])`);
  if (f.minPriceFen !== undefined) w.push(`p.price_fen >= ${params.add(f.minPriceFen)}`);
  if (f.maxPriceFen !== undefined) w.push(`p.price_fen <= ${params.add(f.maxPriceFen)}`);
  // Containment (@>) is what the jsonb_path_ops GIN index on attributes serves.
  if (f.skinType) w.push(`p.attributes @> ${params.add(JSON.stringify({ skin_types: [f.skinType] }))}::jsonb`);
  if (f.color) w.push(`p.attributes @> ${params.add(JSON.stringify({ colors: [f.color] }))}::jsonb`);
  if (f.effect) w.push(`p.attributes @> ${params.add(JSON.stringify({ effects: [f.effect] }))}::jsonb`);
  if (plan.inStockOnly) w.push('p.stock > 0');
  if (plan.excludeIds.length) w.push(`NOT (p.id = ANY(${params.add(plan.excludeIds)}::bigint[]))`);
  return w.join(' AND ');
}

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

interface ShopProfile {
  categories: string[];
  /** Vectors of this shop made by another embedder or of another dimension, if any. */
  foreign: { embedder: string; dim: number } | null;
}

async function loadProfile(db: Queryable, shopId: string, embedder: Embedder): Promise<ShopProfile> {
  const { rows } = await db.query<{ categories: string[]; embedder: string | null; dim: number | null }>(
    `SELECT ARRAY(SELECT DISTINCT category FROM products WHERE shop_id = $1 AND status = 'on_sale') AS categories,
            f.embedder, f.dim
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (
         SELECT embedder, dim FROM product_embeddings
          WHERE shop_id = $1 AND (embedder <> $2 OR dim <> $3) LIMIT 1) AS f ON true`,
    [shopId, embedder.id, embedder.dim],
  );
  const r = rows[0]!;
  return { categories: r.categories, foreign: r.embedder ? { embedder: r.embedder, dim: r.dim! } : null };
}

/**
 * Nearest products by the HNSW index. The ORDER BY repeats the partial index's expression and
 * predicate (dim = <literal>), or the planner could not use it. Rows are filtered after the scan.
 */
async function nearestIds(db: Queryable, shopId: string, plan: QueryPlan, embedder: Embedder, query: string) {
  const dim = checkedDim(embedder.dim);
  const params = new Params();
  const sql = `SELECT a.product_id AS id FROM (
      SELECT product_id FROM product_embeddings
       WHERE dim = ${dim} AND shop_id = ${params.add(shopId)} AND embedder = ${params.add(embedder.id)}
       ORDER BY embedding::${vectorType(dim)} <=> ${params.add(query)}::${vectorType(dim)}
       LIMIT ${ANN_CANDIDATES}) AS a
    JOIN products p ON p.id = a.product_id
   WHERE ${whereSql(shopId, plan, params)}`;
  const { rows } = await db.query<{ id: number }>(sql, params.values);
  return rows.map((r) => r.id);
}

/**
 * Ranks candidates by vector distance and by lexical score (window ranks), and keeps those in the
 * top FUSION_DEPTH of either. `annIds` limits the candidates to the ANN hits plus lexical matches;
 * without it every product passing the filters is a candidate (an exact scan).
 */
async function rankCandidates(
  db: Queryable,
  shopId: string,
  plan: QueryPlan,
  embedder: Embedder,
  query: string | undefined,
  annIds: number[] | undefined,
): Promise<HitRow[]> {
  const params = new Params();
  const terms = [...new Set(tokenize(plan.text))];
  const t = params.add(terms);
  const lt = params.add(plan.text.normalize('NFKC').toLowerCase());
  const nameOrBrand = `strpos(lower(p.name), ${lt}) > 0 OR (p.brand <> '' AND strpos(${lt}, lower(p.brand)) > 0)`;
  // Share of the query's words among the product's terms, +1 when the product's name contains the
  // whole query (the shopper typed the name), +0.5 when the query names the product's brand.
  const lexical = `(SELECT count(*) FROM unnest(p.search_terms) AS term WHERE term = ANY(${t}::text[]))::float8
      / ${params.add(Math.max(terms.length, 1))}::float8
    + CASE WHEN strpos(lower(p.name), ${lt}) > 0 THEN 1 ELSE 0 END
    + CASE WHEN p.brand <> '' AND strpos(${lt}, lower(p.brand)) > 0 THEN 0.5 ELSE 0 END`;
  const vectorJoin = query
    ? `LEFT JOIN product_embeddings pe ON pe.product_id = p.id AND pe.dim = ${checkedDim(embedder.dim)}
         AND pe.embedder = ${params.add(embedder.id)}`
    : '';
  // The uncast column: an exact distance, never an (approximate) index scan.
  const distance = query ? `pe.embedding <=> ${params.add(query)}::vector` : 'NULL::float8';
  let where = whereSql(shopId, plan, params);
  if (annIds) {
    where += ` AND (p.id = ANY(${params.add(annIds)}::bigint[]) OR p.search_terms && ${t}::text[] OR ${nameOrBrand})`;
  }
  const sql = `WITH c AS (
      SELECT ${HIT_COLUMNS}, ${distance} AS distance, ${lexical} AS lexical
        FROM products p ${vectorJoin}
       WHERE ${where}
    ), r AS (
      SELECT c.*,
             CASE WHEN distance IS NOT NULL THEN rank() OVER (ORDER BY distance) END AS vector_rank,
             CASE WHEN lexical > 0 THEN rank() OVER (ORDER BY lexical DESC) END AS lexical_rank
        FROM c
    )
    SELECT * FROM r WHERE vector_rank <= ${FUSION_DEPTH} OR lexical_rank <= ${FUSION_DEPTH}`;
  const { rows } = await db.query<HitRow>(sql, params.values);
  return rows;
}

/** Filters only (no text): newest first, or by price. */
async function browse(db: Queryable, shopId: string, plan: QueryPlan): Promise<ProductHit[]> {
  const params = new Params();
  const order =
    plan.sort === 'price_asc'
      ? 'p.price_fen ASC, p.id'
      : plan.sort === 'price_desc'
        ? 'p.price_fen DESC, p.id'
        : 'p.launched_at DESC, p.id DESC';
  const { rows } = await db.query<HitRow>(
    `SELECT ${HIT_COLUMNS} FROM products p WHERE ${whereSql(shopId, plan, params)} ORDER BY ${order} LIMIT ${plan.limit}`,
    params.values,
  );
  return rows.map((r) => toHit(r, 0));
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
  if (!plan.text) return browse(db, shopId, plan);

  const [vector] = await embedder.embed([plan.text]);
  const profile = await loadProfile(db, shopId, embedder);
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

  // A text without a letter or digit has no features: rank by words alone.
  const query = vector && vector.some((x) => x !== 0) ? toVector(vector) : undefined;
  // With filters, the HNSW scan could return only products the filters then drop; a shop's
  // filtered products are few, so they are ranked exactly. Without filters the index serves, and
  // when its hits run short (many out of stock, or most of the index belonging to other shops)
  // the exact scan takes over. This needs no session setting (hnsw.iterative_scan would need
  // SET LOCAL in a transaction on one connection, which a pooled Queryable does not promise).
  let annIds: number[] | undefined;
  if (query && !hasStructuredFilters(plan.filters)) {
    const ids = await nearestIds(db, shopId, plan, embedder, query);
    if (ids.length >= plan.limit) annIds = ids;
  }
  const rows = await rankCandidates(db, shopId, plan, embedder, query, annIds);

  const candidates = rows.map((row) => ({
    row,
    distance: row.distance ?? null,
    vectorRank: row.vector_rank ?? null,
    lexicalRank: row.lexical_rank ?? null,
  }));
  const ranked = relevantCandidates(candidates)
    .map((c) => ({ row: c.row, score: fusedScore(c) }))
    .sort(byRelevance);
  if (plan.sort !== 'relevance') {
    const sign = plan.sort === 'price_asc' ? 1 : -1;
    ranked.splice(MAX_LIMIT);
    ranked.sort((a, b) => sign * (a.row.price_fen - b.row.price_fen) || byRelevance(a, b));
  }
  return ranked.slice(0, plan.limit).map(({ row, score }) => toHit(row, Number(score.toFixed(6))));
}
