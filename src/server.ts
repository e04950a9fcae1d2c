// Start-up wiring: config → db → migrations → demo seed → catalog index → app → listen.
// The only place where the long-lived dependencies are created; everything below receives them.
import { serve, type ServerType } from '@hono/node-server';
import { resolveAuthSecret } from './auth/secret.ts';
import { createTokenIssuer, type TokenIssuer } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './context.ts';
import type { Db } from './db/db.ts';
import { migrate } from './db/migrate.ts';
import { openDb } from './db/open.ts';
import { indexProducts } from './domain/catalog/indexer.ts';
import { DEMO_SHOP_ID, seedDemoShop } from './domain/seed/index.ts';
import { findShop } from './domain/shops/repo.ts';
import { createEmbedder } from './embed/index.ts';
import { createApp } from './http/app.ts';
import { createLogger, type Logger } from './log.ts';

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  tokens: TokenIssuer;
  log: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** An already open database (tests); otherwise opened from config. */
  db?: Db;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL === 'silent' ? 'silent' : config.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  const tokens = createTokenIssuer(resolveAuthSecret(config));
  const db = opts.db ?? (await openDb(config));
  const applied = await migrate(db);
  if (applied.length) log.info('migrations applied', { applied });
  const embedder = createEmbedder(config);

  if (config.SEED_DEMO && !(await findShop(db, DEMO_SHOP_ID))) {
    const summary = await seedDemoShop(db, { now: clock.now() });
    log.info('demo shop seeded', { products: summary.products, shoppers: summary.shoppers, orders: summary.orders });
  }
  const shops = await db.query<{ id: string }>('SELECT id FROM shops ORDER BY id');
  for (const { id } of shops.rows) {
    const r = await indexProducts(db, embedder, { shopId: id });
    if (r.embedded) log.info('catalog indexed', { shop: id, ...r });
  }

  const app = createApp({ db, embedder, clock, log, tokens, config });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    db,
    tokens,
    log,
    close() {
      // Stop accepting, let in-flight requests finish, then close the database.
      closing ??= new Promise<void>((resolve) => server.close(() => resolve())).then(() => db.close());
      return closing;
    },
  };
}
