// npm run reindex [-- --shop demo] [--force]
// Brings the search data of every shop (or one) up to date with the configured embedder. Without
// --force only new and changed products are embedded; --force re-embeds all (after an embedder
// switch that is automatic anyway: the content hash includes the embedder id). A shop that searches
// with its own embedding model (src/jobs/reembed.ts) is indexed with that model.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { openDbOrExit } from '../db/open.ts';
import { indexProducts, listCatalogShops } from '../domain/catalog/indexer.ts';
import { createModels } from '../agent/models.ts';
import { createShopModels } from '../agent/shopModels.ts';
import { resolveAuthSecret } from '../auth/secret.ts';
import { createSecretBox } from '../auth/secretBox.ts';
import { createEmbedder } from '../embed/index.ts';
import { createLogger } from '../log.ts';
import { createDestinationGuard } from '../net/destinationGuard.ts';

const { values } = parseArgs({
  options: {
    shop: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});

async function main() {
  const config = loadConfig();
  const db = await openDbOrExit(config);
  // A shop's model is called only where the service would call it (WEBHOOK_ALLOW_HOSTS).
  const guard = createDestinationGuard({ allowHosts: config.WEBHOOK_ALLOW_HOSTS });
  try {
    await migrate(db);
    const log = createLogger('warn');
    const service = createEmbedder(config);
    const keys = createSecretBox(resolveAuthSecret(config));
    const models = createModels(config, service, log);
    const perShop = createShopModels({ db, embedder: service, models, log, timeoutMs: config.MODEL_TIMEOUT_MS, keys, guard });
    const shops = values.shop ? [values.shop] : await listCatalogShops(db);
    if (!shops.length) console.log('no products to index');
    for (const shopId of shops) {
      const started = performance.now();
      const embedder = await perShop.embedderFor(shopId);
      const r = await indexProducts(db, embedder, { shopId, force: values.force });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${shopId}: ${r.embedded} embedded, ${r.skipped} unchanged (${embedder.id}, ${seconds} s)`);
    }
  } finally {
    await guard.close();
    await db.close();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : `reindex failed: ${e instanceof Error ? e.message : e}`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
