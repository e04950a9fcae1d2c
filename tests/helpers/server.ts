// A real HTTP server on 127.0.0.1:<random port> around the app, for tests that speak HTTP.
import { serve, type ServerType } from '@hono/node-server';
import { createModels, type Models } from '../../src/agent/models.ts';
import { createSecretBox } from '../../src/auth/secretBox.ts';
import { createTokenIssuer, type TokenIssuer } from '../../src/auth/tokens.ts';
import { createDestinationGuard } from '../../src/net/destinationGuard.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { callerOf, fixedClock, type Clock, type Role } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { signWithSub } from './rawTokens.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { createLiveHub, type LiveHub } from '../../src/domain/live/hub.ts';
import { createApp } from '../../src/http/app.ts';
import { createReembedJobs, type ReembedOptions } from '../../src/jobs/reembed.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { DEMO_NOW } from './demo.ts';

export interface TestServer {
  url: string;
  port: number;
  live: LiveHub;
  tokens: TokenIssuer;
  models: Models;
  logLines: string[];
  token(id: number | string, opts?: { shop?: string; role?: Role }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(
  db: Db,
  /** reembed: run switches of shops' embedding models as the service does (started by a PUT). */
  opts: { env?: Record<string, string>; clock?: Clock; log?: Logger; port?: number; reembed?: ReembedOptions } = {},
): Promise<TestServer> {
  const config: Config = loadConfig({ NODE_ENV: 'test', ...opts.env });
  const logLines: string[] = [];
  const log = opts.log ?? createLogger('info', {}, (l) => logLines.push(l));
  const secret = 'test-secret-'.padEnd(40, 'x');
  const tokens = createTokenIssuer(secret);
  const embedder = createLocalEmbedder();
  const models = createModels(config, embedder, log);
  // Like a replica: its own LISTEN, so events published through another server reach its streams.
  const live = createLiveHub({ db, log });
  await live.start();
  const modelGuard = createDestinationGuard({ allowHosts: config.WEBHOOK_ALLOW_HOSTS });
  const keys = createSecretBox(secret);
  const clock = opts.clock ?? fixedClock(DEMO_NOW);
  const reembed = opts.reembed && createReembedJobs({ db, keys, guard: modelGuard, embedder, clock, log, timeoutMs: config.MODEL_TIMEOUT_MS }, opts.reembed);
  reembed?.start();
  const shopModels = { keys, guard: modelGuard, onEmbeddingSwitch: () => reembed?.wake() };
  const app = createApp({ db, embedder, clock, log, tokens, config, models, live, shopModels });
  // A fixed port lets a test restart "the same" server: pages reconnect to the address they know.
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: opts.port ?? 0 }, () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    live,
    tokens,
    models,
    logLines,
    token: (id, o = {}) => {
      const caller = callerOf(o.shop ?? 'demo', o.role ?? 'shopper', id);
      // An id in a spelling no identity has ("07"): signed by hand, for the attacks that try one.
      return caller ? tokens.mint(caller) : signWithSub(secret, String(id), { shop: o.shop ?? 'demo', role: o.role ?? 'shopper' });
    },
    close: async () => {
      await reembed?.stop();
      await live.stop();
      await modelGuard.close();
      await new Promise<void>((r) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => r());
      });
    },
  };
}
