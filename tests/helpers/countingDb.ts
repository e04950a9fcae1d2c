// A Db that passes every statement through to a real one and counts those matching a pattern: for
// tests that prove what something costs in statements (one read for a shop's event, not one per
// stream), with nothing stubbed.
import type { Db, Queryable, QueryOptions } from '../../src/db/db.ts';

export interface CountingDb {
  db: Db;
  /** Statements matching the pattern since the last reset. */
  readonly count: number;
  reset(): void;
}

export function countingDb(inner: Db, pattern: RegExp): CountingDb {
  let n = 0;
  const wrap = (q: Queryable): Queryable => ({
    query<T>(sql: string, params?: readonly unknown[], opts?: QueryOptions) {
      if (pattern.test(sql)) n++;
      return q.query<T>(sql, params, opts);
    },
    exec: (sql) => q.exec(sql),
  });
  const db: Db = {
    ...wrap(inner),
    driver: inner.driver,
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    listen: (channel, onPayload, onResume) => inner.listen(channel, onPayload, onResume),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return {
    db,
    get count() {
      return n;
    },
    reset() {
      n = 0;
    },
  };
}
