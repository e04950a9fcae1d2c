import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { HNSW_EF_SEARCH, parseVector, TYPE_PARSERS, type Db, type Queryable } from './db.ts';

// PGlite runs a statement on this thread and settles its promise without any I/O. Under load the
// statements of many requests, and the work each request does after one, then fill a turn of the
// event loop for hundreds of milliseconds; Node accepts one waiting connection per turn, so with 200
// shoppers half of the first requests waited 20-30 s in the kernel's accept queue. The top-level
// operations therefore run one after another in arrival order (PGlite is one connection: they did
// anyway), and once a turn of the loop has spent FAIR_SLICE_MS on them the rest wait for the next
// turn, so sockets are accepted and read in between.
export const FAIR_SLICE_MS = 10;

/** Runs operations one at a time, first come first served, at most about sliceMs per event-loop turn. */
export function createFairQueue(sliceMs = FAIR_SLICE_MS): <T>(op: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  let turnStart: number | undefined;
  const endTurn = () => {
    turnStart = undefined;
  };
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  async function admit(): Promise<void> {
    // endTurn was queued before nextTurn's immediate, so the wait always ends in a new turn.
    if (turnStart !== undefined && performance.now() - turnStart >= sliceMs) await nextTurn();
    if (turnStart === undefined) {
      turnStart = performance.now();
      setImmediate(endTurn);
    }
  }
  return <T>(op: () => Promise<T>): Promise<T> => {
    const result = tail.then(async () => {
      await admit();
      return op();
    });
    tail = result.catch(() => {});
    return result;
  };
}

type Run = <T>(op: () => Promise<T>) => Promise<T>;
const direct: Run = (op) => op();

function wrap(q: PGlite | Transaction, parsers: Record<number, (v: string) => unknown>, run: Run = direct): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const r = await run(() => q.query<T>(sql, params as unknown[], { parsers }));
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) {
      await run(() => q.exec(sql));
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
  // A transaction takes its turn in the queue as a whole; its own statements do not queue again.
  const run = createFairQueue();
  const base = wrap(pg, parsers, run);
  return {
    driver: 'pglite',
    pglite: pg,
    ...base,
    // PGlite is one connection: its own mutex queues other queries while a transaction runs.
    transaction: (fn) => run(() => pg.transaction((tx) => fn(wrap(tx, parsers)))),
    async listen(channel, onPayload) {
      const unlisten = await pg.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => pg.close(),
  };
}
