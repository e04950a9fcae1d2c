// A shop of N generated products with given vectors, written into the product's own schema (the
// migrated tables, the migration's HNSW index) through the product's own Db drivers, so that the
// search benchmark times searchProducts with exactly the index and session settings that ship.
// The vectors are loaded the fastest way each driver has: PGlite by binary COPY (text
// vectors parse slowly in WASM), the server by unnest of text[]; the HNSW index is dropped before
// the load and rebuilt after from its own definition (one build is many times cheaper than 100k
// inserts into the graph).
import type { Db } from '../../src/db/db.ts';
import type { PGlite } from '@electric-sql/pglite';

export interface CatalogSpec {
  shopId: string;
  embedderId: string;
  vectors: Float32Array[];
  /** The product name of vector i (what a text embedder would have read). */
  name(i: number): string;
}

const CATEGORIES = ['粉底液', '口红', '面霜', '精华', '面膜', '防晒', '洁面', '眼影', '香水', '卸妆', '护手霜', '洗发水'];
const LOAD_BATCH = 2_000;

/** PostgreSQL binary COPY of product_embeddings rows (product_id, shop_id, embedder, dim, embedding, content_hash). */
function embeddingsCopy(rows: { id: number; vector: Float32Array }[], shopId: string, embedderId: string): Blob {
  const enc = new TextEncoder();
  const shop = enc.encode(shopId);
  const embedder = enc.encode(embedderId);
  const hash = enc.encode('bench');
  const dim = rows[0]!.vector.length;
  const tuple = 2 + (4 + 8) + (4 + shop.length) + (4 + embedder.length) + (4 + 4) + (4 + 4 + 4 * dim) + (4 + hash.length);
  const buf = new ArrayBuffer(19 + rows.length * tuple + 2);
  const bytes = new Uint8Array(buf);
  const view = new DataView(buf);
  bytes.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]); // PGCOPY\n\377\r\n\0, then 8 zero bytes
  let o = 19;
  const text = (b: Uint8Array) => {
    view.setInt32(o, b.length);
    bytes.set(b, o + 4);
    o += 4 + b.length;
  };
  for (const { id, vector } of rows) {
    view.setInt16(o, 6);
    view.setInt32(o + 2, 8);
    view.setBigInt64(o + 6, BigInt(id));
    o += 14;
    text(shop);
    text(embedder);
    view.setInt32(o, 4);
    view.setInt32(o + 4, dim);
    o += 8;
    // pgvector's binary form: int16 dimensions, int16 unused, then float4 values.
    view.setInt32(o, 4 + 4 * dim);
    view.setInt16(o + 4, dim);
    view.setInt16(o + 6, 0);
    for (let j = 0; j < dim; j++) view.setFloat32(o + 8 + 4 * j, vector[j]!);
    o += 8 + 4 * dim;
    text(hash);
  }
  view.setInt16(o, -1);
  return new Blob([buf]);
}

/** A pgvector literal with the 9 significant digits a float4 needs. */
export function vectorText(v: Float32Array): string {
  return `[${Array.from(v, (x) => x.toPrecision(9)).join(',')}]`;
}

async function loadEmbeddings(db: Db, spec: CatalogSpec, ids: number[]): Promise<void> {
  const pglite = (db as Db & { pglite?: PGlite }).pglite;
  for (let i = 0; i < ids.length; i += LOAD_BATCH) {
    const rows = ids.slice(i, i + LOAD_BATCH).map((id, j) => ({ id, vector: spec.vectors[i + j]! }));
    if (pglite) {
      await pglite.query(
        "COPY product_embeddings (product_id, shop_id, embedder, dim, embedding, content_hash) FROM '/dev/blob' WITH (FORMAT binary)",
        [],
        { blob: embeddingsCopy(rows, spec.shopId, spec.embedderId) },
      );
    } else {
      await db.query(
        `INSERT INTO product_embeddings (product_id, shop_id, embedder, dim, embedding, content_hash)
         SELECT x.id, $1, $2, $3, x.v::vector, 'bench' FROM unnest($4::bigint[], $5::text[]) AS x(id, v)`,
        [spec.shopId, spec.embedderId, rows[0]!.vector.length, rows.map((r) => r.id), rows.map((r) => vectorText(r.vector))],
      );
    }
  }
}

export interface LoadedCatalog {
  /** Product id of vector i. */
  ids: number[];
  loadSeconds: number;
  buildSeconds: number;
  /** The shipped index definition, as rebuilt (m and ef_construction are in it). */
  indexDef: string;
}

/** Writes the shop, its products and their vectors into a migrated database; rebuilds the HNSW index. */
export async function loadCatalog(db: Db, spec: CatalogSpec, log: (line: string) => void): Promise<LoadedCatalog> {
  const dim = spec.vectors[0]!.length;
  const indexName = `product_embeddings_hnsw_${dim}`;
  const started = performance.now();
  await db.query("INSERT INTO shops (id, name, advisor_name) VALUES ($1, 'bench shop', 'bench')", [spec.shopId]);
  await db.query("INSERT INTO suppliers (id, name) VALUES ($1, 'bench supplier')", [`${spec.shopId}-sup`]);
  // Every product on sale and in stock: the exact top-10 is then the answer searchProducts owes.
  await db.query(
    `INSERT INTO products (shop_id, supplier_id, sku, name, category, price_fen, stock)
     SELECT $1, $2, 'B-' || g, x.name, ($3::text[])[1 + g % cardinality($3::text[])], 1000 + g % 50000, 100
       FROM unnest($4::text[]) WITH ORDINALITY AS x(name, g)`,
    [spec.shopId, `${spec.shopId}-sup`, CATEGORIES, spec.vectors.map((_, i) => spec.name(i))],
  );
  const { rows } = await db.query<{ id: number; sku: string }>('SELECT id, sku FROM products WHERE shop_id = $1', [spec.shopId]);
  const bySku = new Map(rows.map((r) => [r.sku, r.id]));
  const ids = spec.vectors.map((_, i) => bySku.get(`B-${i + 1}`)!);

  const def = await db.query<{ indexdef: string }>(
    'SELECT indexdef FROM pg_indexes WHERE indexname = $1 AND schemaname = current_schema()',
    [indexName],
  );
  const indexDef = def.rows[0]?.indexdef;
  if (!indexDef) throw new Error(`the migrations made no ${indexName}`);
  await db.exec(`DROP INDEX ${indexName}`);
  await loadEmbeddings(db, spec, ids);
  await db.exec('ANALYZE products; ANALYZE product_embeddings');
  const loadSeconds = (performance.now() - started) / 1000;
  log(`loaded ${ids.length} products and vectors in ${loadSeconds.toFixed(1)} s; building ${indexName} …`);

  const building = performance.now();
  await db.transaction(async (tx) => {
    // A build whose graph does not fit maintenance_work_mem is many times slower.
    await tx.exec("SET LOCAL maintenance_work_mem = '1GB'");
    await tx.exec(indexDef);
  });
  return { ids, loadSeconds, buildSeconds: (performance.now() - building) / 1000, indexDef };
}
