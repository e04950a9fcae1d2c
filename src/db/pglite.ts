import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { HNSW_EF_SEARCH, parseVector, TYPE_PARSERS, type Db, type Queryable } from './db.ts';

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

/** Both drivers' HNSW session settings (db.ts says why), for PGlite's one connection. */
export const SEARCH_SESSION = `SET hnsw.ef_search = ${HNSW_EF_SEARCH}; SET hnsw.iterative_scan = strict_order`;

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
