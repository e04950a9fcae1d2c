import { mkdirSync } from 'node:fs';
import { PGlite, protocol, parse as pgliteParse, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { lockDataDir, type DataDirLock } from './dataDirLock.ts';
import { HNSW_EF_SEARCH, parseVector, TYPE_PARSERS, type Db, type Queryable, type QueryResult } from './db.ts';

// PGlite runs a statement on this thread and settles its promise without any I/O. Under load the
// statements of many requests, and the work each request does after one, then fill a turn of the
// event loop for hundreds of milliseconds (p50 400 ms measured), and the server accepted waiting
// connections at about two a second: with 200 shoppers half of the first requests waited 20-30 s in
// the kernel's accept queue. The top-level operations therefore run one after another in arrival
// order (PGlite is one connection: they did anyway), and once a turn of the loop has spent
// FAIR_SLICE_MS on them the rest wait for the next turn, so sockets are accepted and read in between.
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
type Parsers = Record<number, (v: string) => unknown>;

// PGlite's own query() plans the statement anew on every call and crosses into WebAssembly six
// times (parse, describe, bind, describe, execute, sync). Here each text is prepared once under a
// name of its own and then runs as one message: bind, describe, execute, sync. A chat turn's
// statement went from 0.8 ms to 0.3 ms in a side-by-side measurement on this VM.
const STATEMENTS_KEPT = 500;
// PostgreSQL refuses to run a prepared SELECT * whose table has since changed its columns.
const STALE_PLAN = /cached plan must not change result type/;

/** Named prepared statements on PGlite's one connection, by text, with their parameter types. */
function createStatements(pg: PGlite, parsers: Parsers) {
  const { serialize } = protocol;
  const kept = new Map<string, { name: string; types: number[] }>();
  let closing: Uint8Array[] = [];
  let next = 0;

  async function prepare(sql: string) {
    const name = `lt_${next++}`;
    const r = await pg.execProtocol(concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]), {
      syncToFs: false,
    });
    const statement = { name, types: pgliteParse.parseDescribeStatementResults(r.messages) };
    kept.set(sql, statement);
    if (kept.size > STATEMENTS_KEPT) {
      const [oldest, { name: evicted }] = kept.entries().next().value!;
      kept.delete(oldest);
      closing.push(serialize.close({ type: 'S', name: evicted }));
    }
    return statement;
  }

  async function run<T>(sql: string, params: readonly unknown[]): Promise<QueryResult<T>> {
    const statement = kept.get(sql) ?? (await prepare(sql));
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serializer = pg.serializers[statement.types[i]!];
      return serializer ? serializer(v) : String(v);
    });
    const parts = [...closing, serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()];
    closing = [];
    const r = await pg.execProtocol(concat(parts), { syncToFs: false });
    const [result] = pgliteParse.parseResults(r.messages, pg.parsers, { parsers }) as unknown as Array<{ rows: T[]; rowCount?: number; affectedRows?: number }>;
    // The command tag's count, as pg gives it: rows changed, or rows returned by a SELECT.
    return { rows: result?.rows ?? [], rowCount: result?.rowCount ?? result?.affectedRows ?? result?.rows.length ?? 0 };
  }

  return async function query<T>(sql: string, params: readonly unknown[]): Promise<QueryResult<T>> {
    try {
      return await run<T>(sql, params);
    } catch (e) {
      if (!STALE_PLAN.test(String((e as Error).message))) throw e;
      const stale = kept.get(sql);
      kept.delete(sql);
      if (stale) closing.push(serialize.close({ type: 'S', name: stale.name }));
      return run<T>(sql, params);
    }
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

type StatementQuery = ReturnType<typeof createStatements>;

/**
 * Statements outside a transaction take PGlite's transaction lock, as its query() does, then its
 * query lock; inside one (the transaction holds the first) only the second. Both are held briefly.
 */
function wrap(pg: PGlite, q: PGlite | Transaction, query: StatementQuery, inTransaction: boolean, run: Run = direct): Queryable {
  const statement = <T>(sql: string, params: readonly unknown[]) => pg._runExclusiveQuery(() => query<T>(sql, params));
  return {
    query<T>(sql: string, params: readonly unknown[] = []) {
      return run(async () => {
        if (inTransaction) return statement<T>(sql, params);
        const r = await pg._runExclusiveTransaction(() => statement<T>(sql, params));
        await pg.syncToFs();
        return r;
      });
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
  // One process at a time on a data directory (dataDirLock.ts says why); in memory there is nothing to share.
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lock = dataDir ? await lockDataDir(dataDir) : null;
  try {
    return await openLocked({ dataDir, loadDataDir }, lock);
  } catch (e) {
    lock?.release();
    throw e;
  }
}

async function openLocked({ dataDir, loadDataDir }: PgliteOptions, lock: DataDirLock | null): Promise<Db & { pglite: PGlite }> {
  const pg = await PGlite.create({ dataDir, loadDataDir, extensions: { vector }, parsers: TYPE_PARSERS });
  await pg.exec('CREATE EXTENSION IF NOT EXISTS vector');
  await pg.exec(SEARCH_SESSION);
  const { rows } = await pg.query<{ oid: number }>("SELECT oid::int AS oid FROM pg_type WHERE typname = 'vector'");
  const parsers = { ...TYPE_PARSERS, ...(rows[0] ? { [rows[0].oid]: parseVector } : {}) };
  // A transaction takes its turn in the queue as a whole; its own statements do not queue again.
  const run = createFairQueue();
  const statements = createStatements(pg, parsers);
  const base = wrap(pg, pg, statements, false, run);
  return {
    driver: 'pglite',
    pglite: pg,
    ...base,
    transaction: (fn) => run(() => pg.transaction((tx) => fn(wrap(pg, tx, statements, true)))),
    async listen(channel, onPayload) {
      const unlisten = await pg.listen(channel, onPayload);
      return () => unlisten();
    },
    async ping() {
      await base.query('SELECT 1');
    },
    async close() {
      try {
        await pg.close();
      } finally {
        lock?.release();
      }
    },
  };
}
