// Keeps a shop's search data in step with its products: products.search_terms for lexical matching
// and one vector per product and embedder in product_embeddings. Re-running is cheap: a product whose
// text and embedder are unchanged (same content_hash) is skipped. A product's vectors of other
// embedders are dropped when it gets a new one, except while a switch of the shop's embedder builds
// the new vectors beside the ones search still reads (`alongside`, src/jobs/reembed.ts).
import type { Db, Queryable } from '../../db/db.ts';
import { toVector } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { forgetShopProfiles } from './profileCache.ts';
import { contentHash, productTerms, productText, type ProductContent } from './productText.ts';
import type { IndexResult } from './types.ts';
import { checkedDim, ensureVectorIndex } from './vectorIndex.ts';

export interface IndexOptions {
  shopId: string;
  /** Only these products (e.g. after an edit); the whole shop when omitted. */
  productIds?: number[];
  /** Re-embed even unchanged products (npm run reindex -- --force). */
  force?: boolean;
  /** After each batch written: products embedded so far, and of how many (a first run's progress). */
  onBatch?: (done: number, total: number) => void | Promise<void>;
  /** Keep the products' vectors of other embedders (a switch under way reads them until it flips). */
  alongside?: boolean;
  /** Products per embedding call and write (default BATCH). */
  batchSize?: number;
}

// Embedding calls and write transactions of this many products: big enough to amortise PGlite's
// per-statement cost, small enough to keep each transaction (which blocks PGlite) short.
const BATCH = 256;

interface ProductRow extends ProductContent {
  id: number;
  content_hash: string | null;
}

interface Pending {
  id: number;
  text: string;
  hash: string;
  terms: string[];
}

async function loadProducts(db: Db, embedderId: string, { shopId, productIds }: IndexOptions): Promise<ProductRow[]> {
  const { rows } = await db.query<ProductRow>(
    `SELECT p.id, p.name, p.brand, p.category, p.description, p.attributes, pe.content_hash
       FROM products p
       LEFT JOIN LATERAL (SELECT content_hash FROM product_embeddings
                           WHERE product_id = p.id AND embedder = $3 LIMIT 1) AS pe ON true
      WHERE p.shop_id = $1 AND ($2::bigint[] IS NULL OR p.id = ANY($2::bigint[]))
      ORDER BY p.id`,
    [shopId, productIds ?? null, embedderId],
  );
  return rows;
}

async function writeBatch(db: Db, shopId: string, embedder: Embedder, batch: Pending[], vectors: number[][], alongside: boolean) {
  const dim = checkedDim(embedder.dim);
  await db.transaction(async (tx) => {
    await ensureVectorIndex(tx, dim);
    // Arrays of text, cast in SQL: PGlite cannot bind a vector[] parameter, and terms of unequal
    // length do not fit a two-dimensional text[].
    await tx.query(
      `UPDATE products p
          SET search_terms = ARRAY(SELECT jsonb_array_elements_text(x.terms::jsonb))
         FROM unnest($2::bigint[], $3::text[]) AS x(id, terms)
        WHERE p.id = x.id AND p.shop_id = $1`,
      [shopId, batch.map((b) => b.id), batch.map((b) => JSON.stringify(b.terms))],
    );
    await tx.query(
      `INSERT INTO product_embeddings (product_id, shop_id, embedder, dim, embedding, content_hash, updated_at)
       SELECT x.id, $1, $2, $3, x.v::vector, x.h, now()
         FROM unnest($4::bigint[], $5::text[], $6::text[]) AS x(id, v, h)
       ON CONFLICT (product_id, embedder, dim) DO UPDATE
          SET shop_id = EXCLUDED.shop_id, embedding = EXCLUDED.embedding,
              content_hash = EXCLUDED.content_hash, updated_at = EXCLUDED.updated_at`,
      [shopId, embedder.id, dim, batch.map((b) => b.id), vectors.map(toVector), batch.map((b) => b.hash)],
    );
    if (!alongside) {
      await tx.query(
        `DELETE FROM product_embeddings
          WHERE product_id = ANY($1::bigint[]) AND shop_id = $2 AND NOT (embedder = $3 AND dim = $4)`,
        [batch.map((b) => b.id), shopId, embedder.id, dim],
      );
    }
  });
}

/** Embeds the shop's new and changed products (all of them with `force`); returns the counts. */
export async function indexProducts(db: Db, embedder: Embedder, opts: IndexOptions): Promise<IndexResult> {
  const products = await loadProducts(db, embedder.id, opts);
  const pending: Pending[] = [];
  for (const p of products) {
    const text = productText(p);
    const hash = contentHash(text, embedder.id);
    if (!opts.force && p.content_hash === hash) continue;
    pending.push({ id: p.id, text, hash, terms: productTerms(p) });
  }
  const size = opts.batchSize ?? BATCH;
  for (let i = 0; i < pending.length; i += size) {
    const batch = pending.slice(i, i + size);
    // Outside the write transaction: a slow embedding service must not hold the database.
    const vectors = await embedder.embed(batch.map((b) => b.text));
    await writeBatch(db, opts.shopId, embedder, batch, vectors, opts.alongside ?? false);
    forgetShopProfiles(db, opts.shopId);
    await opts.onBatch?.(i + batch.length, pending.length);
  }
  return { embedded: pending.length, skipped: products.length - pending.length };
}

/** Re-embeds every product of the shop, e.g. after switching embedder. */
export function reindexProducts(db: Db, embedder: Embedder, opts: Omit<IndexOptions, 'force'>): Promise<IndexResult> {
  return indexProducts(db, embedder, { ...opts, force: true });
}

/** The shops that have a catalog to index. */
export async function listCatalogShops(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ shop_id: string }>('SELECT DISTINCT shop_id FROM products ORDER BY shop_id');
  return rows.map((r) => r.shop_id);
}
