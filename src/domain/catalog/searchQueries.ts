// The SQL of product search (search.ts decides which to run and fuses the results). Every
// statement reads only on-sale products of one shop; values travel as parameters, and the only
// text written into SQL is the vector dimension, checked to be an integer (vectorIndex.ts).
import type { Queryable } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { tokenize } from '../../embed/tokenize.ts';
import type { QueryPlan } from './queryPlan.ts';
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

export interface HitRow {
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

export interface ShopProfile {
  categories: string[];
  /** Vectors of this shop made by another embedder or of another dimension, if any. */
  foreign: { embedder: string; dim: number } | null;
}

export async function loadProfile(db: Queryable, shopId: string, embedder: Embedder): Promise<ShopProfile> {
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
export async function nearestIds(db: Queryable, shopId: string, plan: QueryPlan, embedder: Embedder, query: string) {
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
 * top FUSION_DEPTH of either. With `annIds`, the candidates are those ANN hits plus the best
 * FUSION_DEPTH lexical matches; without, every product passing the filters (an exact scan).
 * Scores are computed once, on narrow rows; product columns are joined for the survivors only.
 */
export async function rankCandidates(
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
  // Share of the query's words among the product's terms, +1 when the product's name contains the
  // whole query (the shopper typed the name), +0.5 when the query names the product's brand.
  const lexical = `(SELECT count(*) FROM unnest(p.search_terms) AS term WHERE term = ANY(${t}::text[]))::float8
      / ${params.add(Math.max(terms.length, 1))}::float8
    + CASE WHEN strpos(lower(p.name), ${lt}) > 0 THEN 1 ELSE 0 END
    + CASE WHEN p.brand <> '' AND strpos(${lt}, lower(p.brand)) > 0 THEN 0.5 ELSE 0 END`;
  const where = whereSql(shopId, plan, params);
  const vectorJoin = query
    ? `LEFT JOIN product_embeddings pe ON pe.product_id = p.id AND pe.dim = ${checkedDim(embedder.dim)}
         AND pe.embedder = ${params.add(embedder.id)}`
    : '';
  // The uncast column: an exact distance, never an (approximate) index scan.
  const distance = query ? `pe.embedding <=> ${params.add(query)}::vector` : 'NULL::float8';
  const candidates = annIds
    ? `AND (p.id = ANY(${params.add(annIds)}::bigint[]) OR p.id IN (
         SELECT p.id FROM products p
          WHERE ${where}
            AND (p.search_terms && ${t}::text[] OR strpos(lower(p.name), ${lt}) > 0
                 OR (p.brand <> '' AND strpos(${lt}, lower(p.brand)) > 0))
          ORDER BY ${lexical} DESC LIMIT ${FUSION_DEPTH}))`
    : '';
  const sql = `WITH scored AS MATERIALIZED (
      SELECT p.id, ${distance} AS distance, ${lexical} AS lexical
        FROM products p ${vectorJoin}
       WHERE ${where} ${candidates}
    ), ranked AS (
      SELECT id, distance,
             CASE WHEN distance IS NOT NULL THEN rank() OVER (ORDER BY distance) END AS vector_rank,
             CASE WHEN lexical > 0 THEN rank() OVER (ORDER BY lexical DESC) END AS lexical_rank
        FROM scored
    )
    SELECT ${HIT_COLUMNS}, r.distance, r.vector_rank, r.lexical_rank
      FROM ranked r JOIN products p ON p.id = r.id
     WHERE r.vector_rank <= ${FUSION_DEPTH} OR r.lexical_rank <= ${FUSION_DEPTH}`;
  const { rows } = await db.query<HitRow>(sql, params.values);
  return rows;
}

/** Filters only (no text): newest first, or by price. */
export async function browseRows(db: Queryable, shopId: string, plan: QueryPlan): Promise<HitRow[]> {
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
  return rows;
}
