// Start-up wiring: config → db → migrations → demo seed → catalog index → app → listen → reminder
// and settlement jobs; and the graceful stop, in the reverse order.
// The only place where the long-lived dependencies are created; everything below receives them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { resolveAuthSecret } from './auth/secret.ts';
import { createSecretBox } from './auth/secretBox.ts';
import { createTokenIssuer, type TokenIssuer } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './context.ts';
import type { Db } from './db/db.ts';
import { migrate } from './db/migrate.ts';
import { openDb } from './db/open.ts';
import { indexProducts, listCatalogShops } from './domain/catalog/indexer.ts';
import { ingestDemoKnowledge } from './demo/knowledge.ts';
import { DEMO_SHOP_ID } from './demo/index.ts';
import { prepareDemoShop, type Progress } from './demo/prepare.ts';
import { findShop } from './domain/shops/repo.ts';
import { createEmbedder, type Embedder } from './embed/index.ts';
import { createApp } from './http/app.ts';
import { createLiveHub } from './domain/live/hub.ts';
import { createModels, type Models } from './agent/models.ts';
import { createShopModels } from './agent/shopModels.ts';
import { createReembedJobs } from './jobs/reembed.ts';
import { createReminderJobs } from './jobs/reminders.ts';
import { createSettlementJobs } from './jobs/settlement.ts';
import { createLogger, type Logger } from './log.ts';
import { createDestinationGuard, type DestinationGuard } from './net/destinationGuard.ts';
import { reminderWriters } from './agent/reminderWriter.ts';

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
  /** Lines for the person watching a first start, which seeds and indexes for a while. */
  progress?: Progress;
}

/** The port is taken by another process: said in one line, before anything is migrated or seeded. */
export class PortInUse extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is in use — set PORT`);
    this.name = 'PortInUse';
  }
}

function asPortInUse(e: unknown, port: number): unknown {
  return (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new PortInUse(port) : e;
}

/**
 * Fails fast when the port is taken, rather than after a first run's minute of seeding. A process
 * that takes the port in the moment between this and the real listen is still caught there.
 */
async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (e) => reject(asPortInUse(e, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL === 'silent' ? 'silent' : config.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  const authSecret = resolveAuthSecret(config);
  const tokens = createTokenIssuer(authSecret);
  // The database first: a second start on the same data directory is told which process has it.
  const db = opts.db ?? (await openDb(config));
  try {
    return await startOn(db, config, { ...opts, log, clock, tokens, authSecret });
  } catch (e) {
    // Not a database the caller handed in: closed here, which also frees the data directory's lock.
    if (!opts.db) await db.close().catch(() => {});
    throw e;
  }
}

async function startOn(
  db: Db,
  config: Config,
  { log, clock, tokens, authSecret, progress }: { log: Logger; clock: Clock; tokens: TokenIssuer; authSecret: string; progress?: Progress },
): Promise<RunningServer> {
  await checkPortFree(config.HOST, config.PORT);
  const applied = await migrate(db);
  if (applied.length) log.info('migrations applied', { applied });
  const embedder = createEmbedder(config);
  const models = createModels(config, embedder, log);
  // Shops' own models are called only where the reminders webhook may go (WEBHOOK_ALLOW_HOSTS).
  const modelGuard = createDestinationGuard({ allowHosts: config.WEBHOOK_ALLOW_HOSTS });
  try {
    return await serveOn(db, config, { log, clock, tokens, authSecret, progress, embedder, models, modelGuard });
  } catch (e) {
    await modelGuard.close();
    throw e;
  }
}

async function serveOn(
  db: Db,
  config: Config,
  { log, clock, tokens, authSecret, progress, embedder, models, modelGuard }: {
    log: Logger;
    clock: Clock;
    tokens: TokenIssuer;
    authSecret: string;
    progress?: Progress;
    embedder: Embedder;
    models: Models;
    modelGuard: DestinationGuard;
  },
): Promise<RunningServer> {
  const keys = createSecretBox(authSecret);
  const perShop = createShopModels({ db, embedder, models, log, timeoutMs: config.MODEL_TIMEOUT_MS, keys, guard: modelGuard });

  if (config.SEED_DEMO && !(await findShop(db, DEMO_SHOP_ID))) {
    progress?.(`Preparing the demo shop "${DEMO_SHOP_ID}" (first run only, about a minute):`);
    const summary = await prepareDemoShop(db, embedder, clock.now(), progress);
    log.info('demo shop seeded', { products: summary.products, shoppers: summary.shoppers, orders: summary.orders });
  } else if (config.SEED_DEMO) {
    // Picks up demo documents changed by an upgrade; unchanged ones are a no-op.
    await ingestDemoKnowledge(db, await perShop.embedderFor(DEMO_SHOP_ID), DEMO_SHOP_ID);
  }
  // Products changed since the last run (or embedded by another embedder) are indexed, each shop's
  // with the embedder its search uses; unchanged ones are skipped by their content hash, so a
  // restart writes nothing. A shop's own embedding service being down does not stop the start.
  for (const shopId of await listCatalogShops(db)) {
    const shopEmbedder = await perShop.embedderFor(shopId);
    const r = await indexProducts(db, shopEmbedder, { shopId }).catch((e: unknown) => {
      if (shopEmbedder === embedder) throw e;
      log.warn('catalog not indexed: the shop\'s embedding model failed', { shop: shopId, err: e as Error });
      return null;
    });
    if (r?.embedded) log.info('catalog indexed', { shop: shopId, ...r });
  }

  // One LISTEN per process; SSE clients of this replica wait on it.
  const live = createLiveHub({ db, log });
  await live.start();
  // Switches of shops' embedding models, resumed here after a restart; any replica may run them.
  const reembed = createReembedJobs({ db, keys, guard: modelGuard, embedder, clock, log, timeoutMs: config.MODEL_TIMEOUT_MS });
  const shopModels = { keys, guard: modelGuard, onEmbeddingSwitch: () => reembed.wake() };
  const app = createApp({ db, embedder, clock, log, tokens, config, models, live, shopModels });
  let server: ServerType;
  try {
    server = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
  } catch (e) {
    await live.stop();
    throw asPortInUse(e, config.PORT);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  // Started once the server listens, so a catch-up run at start does not delay serving.
  const webhookGuard = createDestinationGuard({ allowHosts: config.WEBHOOK_ALLOW_HOSTS });
  const writers = reminderWriters(models, log, perShop);
  reembed.start();
  const jobs = config.REMINDERS_SCHEDULER ? createReminderJobs({ db, clock, log, writers, webhookGuard }) : null;
  await jobs?.start();
  const settlement = config.SETTLEMENT_SCHEDULER ? createSettlementJobs({ db, clock, log }) : null;
  await settlement?.start();

  let closing: Promise<void> | undefined;
  // server.close() ends only the keep-alive connections idle at that moment: one whose request is
  // still running would then wait out the idle timeout (5 s) after its response. Closed as soon as
  // that response ends instead.
  const closeIdle = () => (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    res.once('finish', () => {
      if (closing) setImmediate(closeIdle);
    });
  });
  return {
    url,
    port,
    db,
    tokens,
    log,
    close() {
      closing ??= (async () => {
        // First the scheduler, so no daily run or outbox pass starts any more; the one in flight
        // (if any) finishes while the HTTP side drains.
        const jobsStopped = Promise.all([jobs?.stop(), settlement?.stop(), reembed.stop()]);
        // Stop accepting; resolves once every open connection has ended (in-flight requests,
        // streaming turns included, finish first).
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        // End the live streams, which would otherwise never end: their clients reconnect (to
        // another replica, or to this one restarted) and resume from Last-Event-ID.
        await live.stop();
        await Promise.all([jobsStopped, drained]);
        await Promise.all([webhookGuard.close(), modelGuard.close()]);
        await db.close();
      })();
      return closing;
    },
  };
}
