// One small database interface with two drivers (PGlite embedded, PostgreSQL through pg) that run
// the same SQL. Domain modules take a `Queryable`, so they work inside or outside a transaction.
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements without parameters (migrations). */
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
  close(): Promise<void>;
}

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
