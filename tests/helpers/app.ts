// The whole Hono app over a test database, called in-process (app.request): for route tests that
// need no socket. Tests of the transport itself use startTestServer (tests/helpers/server.ts).
import { createModels } from '../../src/agent/models.ts';
import { createTokenIssuer } from '../../src/auth/tokens.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { createApp } from '../../src/http/app.ts';
import { silentLogger } from '../../src/log.ts';

export const testTokens = createTokenIssuer('route-test-secret-'.padEnd(40, 'x'));

export function buildTestApp(db: Db, now: string) {
  const embedder = createLocalEmbedder();
  return createApp({
    db,
    log: silentLogger,
    tokens: testTokens,
    clock: fixedClock(now),
    embedder,
    config: { BODY_LIMIT_BYTES: 1024 * 1024 },
    models: createModels(loadConfig({}), embedder, silentLogger),
  });
}
