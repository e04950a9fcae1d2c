import { Hono } from 'hono';
import type { Db } from '../db/db.ts';
import { migrationsApplied } from '../db/migrate.ts';
import { errorBody } from './errors.ts';

// Readiness probes time out in a second or two: answer "not ready" before they do, even when the
// database hangs instead of refusing (the pg pool's own connect timeout is longer).
const READY_TIMEOUT_MS = 2_000;

function withinBound<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Liveness (the process answers) and readiness (the database answers and is migrated). */
export function healthRoutes(db: Db) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    let migrated: boolean;
    try {
      migrated = await withinBound(
        db.ping().then(() => migrationsApplied(db)),
        READY_TIMEOUT_MS,
      );
    } catch {
      return c.json(errorBody('db_unavailable', 'database unreachable'), 503);
    }
    if (!migrated) return c.json(errorBody('unavailable', 'migrations not applied'), 503);
    return c.json({ status: 'ready', driver: db.driver });
  });
  return app;
}
