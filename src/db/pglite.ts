import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { parseVector, TYPE_PARSERS, type Db, type Queryable } from './db.ts';

function wrap(q: PGlite | Transaction, parsers: Record<number, (v: string) => unknown>): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const r = await q.query<T>(sql, params as unknown[], { parsers });
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

/**
 * How deep an HNSW scan searches, on every connection of both drivers (pg.ts passes the same values
 * as connection options). pgvector's default of 40 found 0.87 of the exact 10 nearest in 100k
 * products (npm run bench:search); with the denser graph of migration 0007 a raw scan found 0.957
 * at 100 and 0.969 at 200, and searchProducts 0.966 at 150, still 9× faster than the exact scan.
 * strict_order lets a scan whose rows a WHERE drops (another shop's products) go on until LIMIT is
 * met, still in exact distance order.
 */
export const SEARCH_SESSION = 'SET hnsw.ef_search = 150; SET hnsw.iterative_scan = strict_order';

export interface PgliteOptions {
  /** Directory of the database files; in memory when omitted (tests). */
  dataDir?: string;
  /** A dumpDataDir() snapshot to start from (tests skip initdb and migrations with it). */
  loadDataDir?: Blob;
}

/** The embedded default: PGlite with pgvector, file-backed under dataDir, or in memory. */
export async function openPglite({ dataDir, loadDataDir }: PgliteOptions = {}): Promise<Db & { pglite: PGlite }> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create({ dataDir, loadDataDir, extensions: { vector }, parsers: TYPE_PARSERS });
  await pg.exec('CREATE EXTENSION IF NOT EXISTS vector');
  await pg.exec(SEARCH_SESSION);
  const { rows } = await pg.query<{ oid: number }>("SELECT oid::int AS oid FROM pg_type WHERE typname = 'vector'");
  const parsers = { ...TYPE_PARSERS, ...(rows[0] ? { [rows[0].oid]: parseVector } : {}) };
  const base = wrap(pg, parsers);
  return {
    driver: 'pglite',
    pglite: pg,
    ...base,
    // PGlite is one connection: its own mutex queues other queries while a transaction runs.
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx, parsers))),
    async listen(channel, onPayload) {
      const unlisten = await pg.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => pg.close(),
  };
}
