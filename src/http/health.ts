import { Hono } from 'hono';
import type { Db } from '../db/db.ts';
import { migrationsApplied } from '../db/migrate.ts';
import { errorBody } from './errors.ts';

/** Liveness (the process answers) and readiness (the database answers and is migrated). */
export function healthRoutes(db: Db) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await db.query('SELECT 1');
      if (!(await migrationsApplied(db))) {
        return c.json(errorBody('unavailable', 'migrations not applied'), 503);
      }
      return c.json({ status: 'ready', driver: db.driver });
    } catch {
      return c.json(errorBody('unavailable', 'database unreachable'), 503);
    }
  });
  return app;
}
