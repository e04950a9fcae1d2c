import { join } from 'node:path';
import type { Config } from '../config.ts';
import { DataDirInUse } from './dataDirLock.ts';
import type { Db } from './db.ts';
import { openPg } from './pg.ts';
import { openPglite } from './pglite.ts';

// The service's bound on one query: a server gone silent mid-query (a dead network path) fails the
// request with 503 after this instead of holding it open. DDL (db.exec: migrations, index builds)
// is not bound: an HNSW build over a big catalog takes longer.
const SERVICE_QUERY_TIMEOUT_MS = 60_000;

type DbConfig = Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_POOL_SIZE'> &
  Partial<Pick<Config, 'DATABASE_POOL_MODE' | 'DATABASE_LISTEN_URL'>>;

/**
 * DATABASE_URL set: the real server; otherwise the embedded PGlite under DATA_DIR, which one process
 * at a time may open (DataDirInUse names the one that has it).
 */
export function openDb(config: DbConfig): Promise<Db> {
  if (config.DATABASE_URL) {
    return openPg(config.DATABASE_URL, {
      poolSize: config.DATABASE_POOL_SIZE,
      queryTimeoutMs: SERVICE_QUERY_TIMEOUT_MS,
      poolMode: config.DATABASE_POOL_MODE,
      listenUrl: config.DATABASE_LISTEN_URL,
    });
  }
  return openPglite({ dataDir: join(config.DATA_DIR, 'pglite') });
}

/** For the commands: a database in use by another process ends this one with that one line, exit code 1, nothing changed. */
export async function openDbOrExit(config: DbConfig): Promise<Db> {
  try {
    return await openDb(config);
  } catch (e) {
    if (!(e instanceof DataDirInUse)) throw e;
    console.error(e.message);
    process.exit(1);
  }
}
