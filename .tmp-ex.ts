import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPg } from './src/db/pg.ts';
import { openPglite } from './src/db/pglite.ts';
import { migrate } from './src/db/migrate.ts';
import type { Db } from './src/db/db.ts';
import { searchProducts } from './src/domain/catalog/search.ts';
import { createLocalEmbedder } from './src/embed/local.ts';
const url = 'postgres://postgres:postgres@127.0.0.1:5432/laotie_test';
const N = Number(process.argv[3] ?? 20000);
async function run(db: Db) {
  await migrate(db);
  await db.query("INSERT INTO shops (id, name, advisor_name) VALUES ('big','big','x'), ('small','small','x')");
  await db.query("INSERT INTO suppliers (id, name) VALUES ('s','s')");
  await db.query(`INSERT INTO products (shop_id, supplier_id, sku, name, category, price_fen, stock)
    SELECT CASE WHEN g % 100 = 0 THEN 'small' ELSE 'big' END, 's', 'sku' || g, '商品' || g, '类' || (g % 30), 1000 + g, 5 FROM generate_series(1, ${N}) g`);
  await db.query(`INSERT INTO product_embeddings (product_id, shop_id, embedder, dim, embedding, content_hash)
    SELECT p.id, p.shop_id, 'local-hash-v1', 256, (SELECT array_agg(random() - 0.5 + g * 0 * p.id) FROM generate_series(1, 256) g)::vector, 'h' FROM products p`);
  await db.query('ANALYZE');
  const q = '[' + Array.from({ length: 256 }, () => (Math.random() - 0.5).toFixed(4)).join(',') + ']';
  for (const shop of ['big']) {
    const r = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT a.product_id AS id FROM (
      SELECT product_id FROM product_embeddings
       WHERE dim = 256 AND shop_id = $1 AND embedder = $2
       ORDER BY embedding::vector(256) <=> $3::vector(256)
       LIMIT 40) AS a
    JOIN products p ON p.id = a.product_id
   WHERE p.shop_id = $4 AND p.status = 'on_sale' AND p.stock > 0`, [shop, 'local-hash-v1', q, shop]);
    console.log(db.driver, shop, '\n' + r.rows.map((x) => x['QUERY PLAN']).join('\n'));
    const e = createLocalEmbedder();
    const orig = db.query.bind(db);
    (db as any).query = async (sql: string, params: unknown[]) => {
      if (sql.includes('WITH c AS')) {
        const r = await orig<{ 'QUERY PLAN': string }>('EXPLAIN (ANALYZE, TIMING ON) ' + sql, params);
        console.log(r.rows.map((x) => x['QUERY PLAN']).filter((l) => !l.includes('Order By') && !l.includes("'[")).join('\n'));
      }
      return orig(sql, params);
    };
    let t = performance.now();
    const hits = await searchProducts(db, e, shop, { text: '商品' });
    console.log('search ms', (performance.now() - t).toFixed(1), hits.length);
    t = performance.now();
    const hits2 = await searchProducts(db, e, shop, { text: '商品', category: '类3' });
    console.log('search+filter ms', (performance.now() - t).toFixed(1), hits2.length);
  }
}
if (process.argv[2] === 'pg') {
  const schema = 'x_' + randomBytes(4).toString('hex');
  const db = await openPg(url, { schema });
  try { await run(db); } finally { await db.close(); const c = new pg.Client(url); await c.connect(); await c.query(`DROP SCHEMA ${schema} CASCADE`); await c.end(); }
} else {
  const db = await openPglite(); await run(db); await db.close();
}
