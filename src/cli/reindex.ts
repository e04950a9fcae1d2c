// npm run reindex [-- --shop demo] [--force]
// Brings the search data of every shop (or one) up to date with the configured embedder. Without
// --force only new and changed products are embedded; --force re-embeds all (after an embedder
// switch that is automatic anyway: the content hash includes the embedder id).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { openDbOrExit } from '../db/open.ts';
import { indexProducts, listCatalogShops } from '../domain/catalog/indexer.ts';
import { createEmbedder } from '../embed/index.ts';

const { values } = parseArgs({
  options: {
    shop: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});

async function main() {
  const config = loadConfig();
  const db = await openDbOrExit(config);
  try {
    await migrate(db);
    const embedder = createEmbedder(config);
    const shops = values.shop ? [values.shop] : await listCatalogShops(db);
    if (!shops.length) console.log('no products to index');
    for (const shopId of shops) {
      const started = performance.now();
      const r = await indexProducts(db, embedder, { shopId, force: values.force });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${shopId}: ${r.embedded} embedded, ${r.skipped} unchanged (${embedder.id}, ${seconds} s)`);
    }
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : `reindex failed: ${e instanceof Error ? e.message : e}`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
