// The SQL of product search (search.ts decides which to run and fuses the results). Every
// statement reads only on-sale products of one shop; values travel as parameters, and the only
// text written into SQL is the vector dimension, checked to be an integer (vectorIndex.ts).
import type { Queryable, QueryResult, VectorParam } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { tokenize } from '../../embed/tokenize.ts';
import { cachedTerms, catalogVersion, loadCatalogTerms, mayMatch, refreshCatalogTerms } from './catalogTerms.ts';
import type { QueryPlan } from './queryPlan.ts';
import { checkedDim, indexedType } from './vectorIndex.ts';

// The vector signal's candidates: at least MAX_LIMIT (a short answer falls back to the exact scan)
// and within what one HNSW scan collects (hnsw.ef_search, 100 here). No more: every candidate costs
// a heap fetch and a product lookup (40 made searches ≈ 1 ms slower at 20k products, bench:search),
// and a product beyond the vector's top few is found by the lexical signal if it matches words.
const ANN_CANDIDATES = 20;
// Each signal contributes its top this-many to the fusion; deeper ranks barely move an RRF score.
export const FUSION_DEPTH = 50;

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

// The shop's on-sale categories by a skip scan of the (shop_id, category) index: one probe per
// category rather than a read of every product, which cost ≈ 20 ms a search at 100k products.
function shopCategoriesSql(shop: string): string {
  return `WITH RECURSIVE c(category) AS (
    (SELECT category FROM products WHERE shop_id = ${shop} AND status = 'on_sale' ORDER BY category LIMIT 1)
    UNION ALL
    SELECT (SELECT p.category FROM products p
             WHERE p.shop_id = ${shop} AND p.status = 'on_sale' AND p.category > c.category
             ORDER BY p.category LIMIT 1)
      FROM c WHERE c.category IS NOT NULL)
  SELECT category FROM c WHERE category IS NOT NULL`;
}

// The shop's vectors are another embedder's when it has some, but none of the current embedder:
// two probes of an index instead of a read of every vector. Vectors of a second embedder are
// expected beside the current one's while a switch of the shop's embedder builds them
// (migration 0015), and are not read.
function profileSql(shop: string, embedderId: string, dim: string): string {
  return `SELECT ARRAY(${shopCategoriesSql(shop)}) AS categories,
            f.embedder AS foreign_embedder, f.dim AS foreign_dim
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (
         SELECT embedder, dim FROM product_embeddings WHERE shop_id = ${shop}
            AND NOT EXISTS (SELECT 1 FROM product_embeddings
                             WHERE shop_id = ${shop} AND embedder = ${embedderId} AND dim = ${dim})
          ORDER BY embedder, dim LIMIT 1) AS f ON true`;
}

function toProfile(categories: string[], embedder: string | null, dim: number | null): ShopProfile {
  return { categories, foreign: embedder ? { embedder, dim: dim! } : null };
}

export async function loadProfile(db: Queryable, shopId: string, embedder: Embedder): Promise<ShopProfile> {
  const { rows } = await db.query<{ categories: string[]; foreign_embedder: string | null; foreign_dim: number | null }>(
    profileSql('$1', '$2', '$3'),
    [shopId, embedder.id, embedder.dim],
  );
  const r = rows[0]!;
  return toProfile(r.categories, r.foreign_embedder, r.foreign_dim);
}

/** The distinct words of the plan's text, as products.search_terms holds them. */
const queryWords = (plan: QueryPlan) => [...new Set(tokenize(plan.text))];

/** The lexical score of `p` for the plan's text, and the parameter holding its words. */
function lexicalSql(plan: QueryPlan, params: Params, words = queryWords(plan)): { terms: string; lexical: string } {
  const terms = params.add(words);
  const lt = params.add(plan.text.normalize('NFKC').toLowerCase());
  // Share of the query's words among the product's terms, +1 when the product's name contains the
  // whole query (the shopper typed the name), +0.5 when the query names the product's brand.
  const lexical = `(SELECT count(*) FROM unnest(p.search_terms) AS term WHERE term = ANY(${terms}::text[]))::float8
      / ${params.add(Math.max(words.length, 1))}::float8
    + CASE WHEN strpos(lower(p.name), ${lt}) > 0 THEN 1 ELSE 0 END
    + CASE WHEN p.brand <> '' AND strpos(${lt}, lower(p.brand)) > 0 THEN 0.5 ELSE 0 END`;
  return { terms, lexical };
}

/**
 * Scores the candidates in `from` (a FROM item exposing p, the products row) by exact vector
 * distance and lexical score, ranks each signal (window ranks) and keeps the top FUSION_DEPTH of
 * either, joined to the product columns. Scores are computed once, on narrow rows.
 */
function rankedSql(from: string, where: string, lexical: string, distance: string, vectorJoin: string): string {
  return `scored AS MATERIALIZED (
      SELECT p.id, ${distance} AS distance, ${lexical} AS lexical
        FROM ${from} ${vectorJoin}
       WHERE ${where}
    ), ranked AS (
      SELECT id, distance,
             CASE WHEN distance IS NOT NULL THEN rank() OVER (ORDER BY distance) END AS vector_rank,
             CASE WHEN lexical > 0 THEN rank() OVER (ORDER BY lexical DESC) END AS lexical_rank
        FROM scored
    ), hits AS (
      SELECT ${HIT_COLUMNS}, r.distance, r.vector_rank, r.lexical_rank
        FROM ranked r JOIN products p ON p.id = r.id
       WHERE r.vector_rank <= ${FUSION_DEPTH} OR r.lexical_rank <= ${FUSION_DEPTH}
    )`;
}

/** A candidate of the index path: its signals' raw scores, ranked by the caller (fusion.ts). */
export interface ScoredRow extends Omit<HitRow, 'vector_rank' | 'lexical_rank'> {
  distance: number | null;
  lexical: number;
}

export interface NearestAnswer {
  /** Read only when asked for (search.ts keeps it a few seconds). */
  profile?: ShopProfile;
  /** How many of the index's nearest passed the filters: fewer than asked for means "scan exactly". */
  annHits: number;
  /** The ANN hits passing the filters, then the best lexical matches (an id can be in both). */
  rows: ScoredRow[];
}

/**
 * The whole search of an unfiltered text, as two statements sent side by side: the ANN_CANDIDATES
 * nearest by the HNSW index, and the best FUSION_DEPTH lexical matches through the GIN index on
 * search_terms (with the shop's profile when asked for: its categories, vectors of another embedder),
 * each candidate with both raw scores. Ranking ≤ 70 rows is the caller's (the same window ranks
 * rankCandidates computes in SQL). The caller drops the answer when the profile says so (a foreign
 * embedder, a category the text names) or when the index returned too few hits.
 * Why two: PostgreSQL plans a statement with parameters again on every run unless its generic plan
 * looks no costlier, and the lexical half's estimates depend on the words, so the single statement
 * this was (both halves under UNION ALL) was re-planned each time: ≈ 0.5 ms of planning, mostly the
 * lexical half's, before a 2 ms scan. Apart, the lexical statement is planned and run on another
 * pooled connection while the index scan runs (PGlite, one connection, runs them one after the other).
 * The two read separate snapshots; a search is a ranking, not a transaction, so that is harmless.
 * The ANN ORDER BY repeats the partial index's expression and predicate (dim = <literal>), or the
 * planner could not use it; the CTE is MATERIALIZED, so it is planned on its own, as an index scan.
 * The index orders by half-precision distance; the distance returned (and fused) is the exact one.
 * When no word of the text is among the shop's (catalogTerms.ts), the lexical statement would match
 * nothing: only the ANN statement is sent, one round trip as a plain vector store makes, unless its
 * catalog version says the kept words are outdated.
 */
export async function searchNearest(
  db: Queryable,
  shopId: string,
  plan: QueryPlan,
  embedder: Embedder,
  query: VectorParam,
  withProfile: boolean,
): Promise<NearestAnswer> {
  const dim = checkedDim(embedder.dim);
  type Row = ScoredRow & { categories: string[]; foreign_embedder: string | null; foreign_dim: number | null };
  const words = queryWords(plan);
  const annQuery = () => db.query<AnnRow>(...annStatement(shopId, plan, embedder.id, dim, query, words));
  const lexicalQuery = () => db.query<Row>(...lexicalStatement(shopId, plan, embedder.id, dim, query, withProfile, words));
  const known = cachedTerms(db, shopId);
  let ann: QueryResult<AnnRow>;
  let lexical: QueryResult<Row>;
  if (withProfile || !known || mayMatch(known, words)) {
    // The shop's words are read beside the first search, so the second can skip.
    [ann, lexical] = await Promise.all([annQuery(), lexicalQuery(), known ? undefined : loadCatalogTerms(db, shopId)]);
  } else {
    ann = await annQuery();
    // Too few hits: the caller scans exactly and ignores these rows, words or not.
    const outdated = ann.rows.length >= plan.limit && catalogVersion(ann.rows[0]!.catalog_version) !== known.version;
    lexical = outdated ? await lexicalQuery() : { rows: [], rowCount: 0 };
  }
  if (known && ann.rows.length && catalogVersion(ann.rows[0]!.catalog_version) !== known.version) {
    refreshCatalogTerms(db, shopId);
  }
  const byId = new Map(ann.rows.map(({ catalog_version: _v, ...row }) => [row.id, row]));
  for (const { categories: _c, foreign_embedder: _e, foreign_dim: _d, ...row } of lexical.rows) {
    // null: the profile row alone, nothing matched. An ANN hit that is also a lexical match arrives
    // from both statements, with the same scores.
    if (row.id !== null && !byId.has(row.id)) byId.set(row.id, row);
  }
  const first = lexical.rows[0];
  return {
    ...(withProfile && first ? { profile: toProfile(first.categories, first.foreign_embedder, first.foreign_dim) } : {}),
    annHits: ann.rows.length,
    rows: [...byId.values()],
  };
}

// Both statements' text depends only on the plan's shape, so the server keeps them prepared.
type Statement = [sql: string, params: unknown[], opts: { prepare: true }];

/** An ANN hit, with the shop's catalog version (null: none recorded yet) read in the same snapshot. */
type AnnRow = ScoredRow & { catalog_version: number | string | null };

/**
 * The index's nearest that pass the filters, with their lexical scores and the catalog version. The
 * query vector is a parameter cast to vector where it first appears, so pg binds it in binary.
 */
function annStatement(shopId: string, plan: QueryPlan, embedderId: string, dim: number, query: VectorParam, words: string[]): Statement {
  const params = new Params();
  const shop = params.add(shopId);
  const emb = params.add(embedderId);
  const q = params.add(query);
  const where = whereSql(shopId, plan, params);
  const { lexical } = lexicalSql(plan, params, words);
  const sql = `WITH ann AS MATERIALIZED (
      SELECT product_id AS id, embedding <=> ${q}::vector AS distance
        FROM product_embeddings
       WHERE dim = ${dim} AND shop_id = ${shop} AND embedder = ${emb}
       ORDER BY embedding::${indexedType(dim)} <=> ${q}::${indexedType(dim)}
       LIMIT ${ANN_CANDIDATES}
    )
    SELECT ${HIT_COLUMNS}, a.distance, ${lexical} AS lexical,
           (SELECT version FROM catalog_versions WHERE shop_id = ${shop}) AS catalog_version
      FROM ann a JOIN products p ON p.id = a.id
     WHERE ${where}`;
  return [sql, params.values, { prepare: true }];
}

/** The best lexical matches with their exact distances, after the shop's profile when asked for. */
function lexicalStatement(
  shopId: string,
  plan: QueryPlan,
  embedderId: string,
  dim: number,
  query: VectorParam,
  withProfile: boolean,
  words: string[],
): Statement {
  const params = new Params();
  const emb = params.add(embedderId);
  const q = params.add(query);
  const where = whereSql(shopId, plan, params);
  const { terms, lexical } = lexicalSql(plan, params, words);
  const hits = `SELECT ${HIT_COLUMNS}, pe.embedding <=> ${q}::vector AS distance, l.lexical
      FROM (SELECT p.id, ${lexical} AS lexical FROM products p
             WHERE ${where} AND p.search_terms && ${terms}::text[]
             ORDER BY 2 DESC LIMIT ${FUSION_DEPTH}) AS l
      JOIN products p ON p.id = l.id
      LEFT JOIN product_embeddings pe ON pe.product_id = p.id AND pe.dim = ${dim} AND pe.embedder = ${emb}`;
  // The profile row is the left side, so it arrives even when no product matches.
  const sql = withProfile
    ? `SELECT pr.categories, pr.foreign_embedder, pr.foreign_dim, h.*
         FROM (${profileSql(params.add(shopId), emb, params.add(dim))}) AS pr LEFT JOIN (${hits}) AS h ON true`
    : hits;
  return [sql, params.values, { prepare: true }];
}

/**
 * Ranks every product passing the filters (an exact scan) by vector distance and by lexical score,
 * and keeps those in the top FUSION_DEPTH of either.
 */
export async function rankCandidates(
  db: Queryable,
  shopId: string,
  plan: QueryPlan,
  embedder: Embedder,
  query: VectorParam | undefined,
): Promise<HitRow[]> {
  const params = new Params();
  const { lexical } = lexicalSql(plan, params);
  const where = whereSql(shopId, plan, params);
  const vectorJoin = query
    ? `LEFT JOIN product_embeddings pe ON pe.product_id = p.id AND pe.dim = ${checkedDim(embedder.dim)}
         AND pe.embedder = ${params.add(embedder.id)}`
    : '';
  // The uncast column: an exact distance, never an (approximate) index scan.
  const distance = query ? `pe.embedding <=> ${params.add(query)}::vector` : 'NULL::float8';
  const sql = `WITH ${rankedSql('products p', where, lexical, distance, vectorJoin)} SELECT * FROM hits`;
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
