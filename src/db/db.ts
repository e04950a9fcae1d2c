// One small database interface with two drivers (PGlite embedded, PostgreSQL through pg) that run
// the same SQL. Domain modules take a `Queryable`, so they work inside or outside a transaction.
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * A hot statement of fixed text (only its parameters vary): the server keeps it parsed and
   * planned per connection instead of planning it on every call (pg: a named prepared statement;
   * PGlite ignores it: it keeps every text prepared, see pglite.ts). Not for text that embeds values.
   */
  prepare?: boolean;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<QueryResult<T>>;
  /** Runs several statements without parameters: DDL (migrations, index builds), never bound in time. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly driver: 'pglite' | 'pg';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel; returns the unsubscribe function. A lost connection is re-made
   * on its own; `onResume` runs after each reconnect, since NOTIFYs sent meanwhile are lost.
   */
  listen(channel: string, onPayload: (payload: string) => void, onResume?: () => void): Promise<() => Promise<void>>;
  /** Answers when the database answers (a readiness probe), throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How deep an HNSW scan searches, on every connection of both drivers (PGlite with SET on its one
 * connection, pg as connection options). pgvector's default of 40 found 0.87 of the exact 10 nearest in 100k
 * products (npm run bench:search); with the denser graph of migration 0007 a raw scan found 0.957
 * at 100 and 0.969 at 200. Over the half-precision graph of migration 0009, searchProducts finds
 * 0.96 at 100 (0.95 at 60), 7× faster than the exact scan; 150 bought +0.005 for +40% time.
 * strict_order lets a scan whose rows a WHERE drops (another shop's products) go on until LIMIT is
 * met, still in exact distance order.
 */
export const HNSW_EF_SEARCH = 100;

// Both drivers parse these the same way, so code never sees a driver's own choice:
// int8 and numeric as JS numbers (fen amounts and counts stay far below 2^53), dates as 'YYYY-MM-DD'.
export const TYPE_PARSERS: Record<number, (v: string) => unknown> = {
  20: (v) => Number(v), // int8
  1700: (v) => Number(v), // numeric (sum(), avg())
  1082: (v) => v, // date
};

/** Parses pgvector's text form '[1,2,3]' into numbers (both drivers register it for the vector type). */
export function parseVector(v: string): number[] {
  return v.slice(1, -1).split(',').map(Number);
}

/** A pgvector literal: '[0.1,0.2,…]'. Both drivers accept vectors as text. */
export function toVector(v: ArrayLike<number>): string {
  return `[${Array.prototype.join.call(v, ',')}]`;
}

/**
 * A query vector as a statement parameter, for statements that cast it to vector where it first
 * appears. pg sends it in pgvector's binary form (toPostgres returns a Buffer, which pg binds as
 * binary): 1 KB copied instead of a 3 KB decimal text formatted here and parsed by the server.
 * PGlite, in this process, binds it as text (String()).
 */
export class VectorParam {
  constructor(readonly values: ArrayLike<number>) {}

  /** vector_recv's layout: int16 dimension, int16 zero, then float4s, all big-endian. */
  toPostgres(): Buffer {
    const n = this.values.length;
    const out = Buffer.allocUnsafe(4 + 4 * n);
    out.writeInt16BE(n, 0);
    out.writeInt16BE(0, 2);
    for (let i = 0; i < n; i++) out.writeFloatBE(this.values[i]!, 4 + 4 * i);
    return out;
  }

  toString(): string {
    return toVector(this.values);
  }
}
