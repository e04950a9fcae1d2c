import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Db } from './db.ts';
import { openPg } from './pg.ts';
import { openPglite } from './pglite.ts';

/** DATABASE_URL set: the real server; otherwise the embedded PGlite under DATA_DIR. */
export function openDb(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_POOL_SIZE'>): Promise<Db> {
  if (config.DATABASE_URL) return openPg(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
  return openPglite({ dataDir: join(config.DATA_DIR, 'pglite') });
}
