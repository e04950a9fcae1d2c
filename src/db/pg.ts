import { createHash } from 'node:crypto';
import pg from 'pg';
import pgvector from 'pgvector';
import { HNSW_EF_SEARCH, TYPE_PARSERS, type Db, type Queryable, type QueryOptions } from './db.ts';

function typeParsers(vectorOid: number | undefined) {
  const parsers: Record<number, (v: string) => unknown> = { ...TYPE_PARSERS };
  if (vectorOid) parsers[vectorOid] = (v) => pgvector.fromSql(v);
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      const custom = parsers[oid];
      if (custom && format !== 'binary') return custom;
      return pg.types.getTypeParser(oid, format);
    },
  } as unknown as pg.CustomTypesConfig;
}

// A prepared statement's name is its text's digest: the same text gets the same name on every
// connection, and two texts never share one (pg refuses a name reused for another text).
const statementName = (sql: string) => `laotie_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;

// exec runs DDL only (migrations, the vector index of a new dimension): an HNSW build over 100k
// products takes over a minute, past the service's bound on a query, and nobody waits on it but the
// start-up (or the reindex) that needs it. pg has no "no bound" per query, so this is setTimeout's
// largest delay (≈ 24 days).
const DDL_QUERY_TIMEOUT_MS = 2 ** 31 - 1;

function wrap(c: pg.Pool | pg.PoolClient, prepared: boolean): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = [], opts: QueryOptions = {}) {
      const r = opts.prepare && prepared
        ? await c.query({ name: statementName(sql), text: sql, values: params as unknown[] })
        : await c.query(sql, params as unknown[]);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string) {
      // query_timeout per query is honoured by pg's client, though its types leave it out.
      await c.query({ text: sql, query_timeout: DDL_QUERY_TIMEOUT_MS } as pg.QueryConfig);
    },
  };
}

export interface PgOptions {
  poolSize?: number;
  /** A schema to work in (created if missing); tests give each file its own. */
  schema?: string;
  /**
   * Client-side bound on one query (pg's query_timeout): a server that went silent mid-query fails the
   * request instead of hanging it. Off by default: benchmarks run long on purpose. exec (DDL) is
   * never bound.
   */
  queryTimeoutMs?: number;
  /** More session settings for every connection (tests: synchronous_commit off on a throwaway server). */
  settings?: Record<string, string>;
  /**
   * transaction: `url` is a transaction-pooling pooler (PgBouncer pool_mode=transaction), which hands
   * each transaction (each statement outside one) any server connection. A named prepared statement
   * would be missing on the next one (PgBouncer 1.18 keeps none), and PgBouncer refuses per-connection
   * settings (the `options` startup parameter): statements go unnamed, and the settings the service
   * needs must be the database's own defaults (checked here, see HNSW_SETTINGS).
   */
  poolMode?: 'session' | 'transaction';
  /** A direct connection for LISTEN (default `url`): a pooler in transaction mode cannot hold one. */
  listenUrl?: string;
}

/**
 * The HNSW scan settings of db.ts's HNSW_EF_SEARCH, on every connection: per connection as startup
 * options, or (through a transaction pooler) as the database's defaults, `ALTER DATABASE … SET`.
 */
export const HNSW_SETTINGS: Readonly<Record<string, string>> = {
  'hnsw.ef_search': String(HNSW_EF_SEARCH),
  'hnsw.iterative_scan': 'strict_order',
};

/** The statements that make HNSW_SETTINGS a database's defaults (the README's deployment recipe). */
export const hnswDefaultsSql = (database: string) =>
  Object.entries(HNSW_SETTINGS)
    .map(([k, v]) => `ALTER DATABASE ${pg.escapeIdentifier(database)} SET ${k} = '${v}';`)
    .join(' ');

/**
 * Through a transaction pooler the service cannot SET what its searches need, so it checks on a
 * pooled connection that the database's defaults carry it, and refuses to start otherwise: without
 * strict_order a search filtered to one shop can come back with fewer products than asked.
 */
async function checkPooledSettings(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  let database = '';
  const wrong: string[] = [];
  try {
    // In one transaction, so one server connection: the first statement loads pgvector, whose
    // settings are only defined once its library is.
    await client.query('BEGIN');
    await client.query("SELECT '[1]'::vector");
    const r = await client.query<{ name: string; setting: string | null; db: string }>(
      'SELECT name, current_setting(name, true) AS setting, current_database() AS db FROM unnest($1::text[]) AS name',
      [Object.keys(HNSW_SETTINGS)],
    );
    await client.query('COMMIT');
    for (const row of r.rows) {
      database = row.db;
      if (row.setting !== HNSW_SETTINGS[row.name]) wrong.push(`${row.name} is ${row.setting ?? 'unset'}, needs ${HNSW_SETTINGS[row.name]}`);
    }
  } finally {
    client.release();
  }
  if (wrong.length) {
    throw new Error(
      `through a transaction pooler the database's defaults must carry the search settings (${wrong.join('; ')}): ` +
        `run once on the database: ${hnswDefaultsSql(database)} (then let the pooler make its server connections anew: PgBouncer's RECONNECT)`,
    );
  }
}

/** The application_name of LISTEN connections: operators (and the fault tests) can find them in pg_stat_activity. */
export const LISTEN_APPLICATION = 'laotie-listen';
// A server that does not answer fails a request within this bound (ECONNREFUSED and resets fail at once).
const CONNECT_TIMEOUT_MS = 5_000;
// LISTEN reconnects after a lost connection: fast first, then backing off while the server stays away.
const LISTEN_RETRY_MIN_MS = 100;
const LISTEN_RETRY_MAX_MS = 5_000;

function connectionSafety(queryTimeoutMs: number | undefined) {
  return {
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}),
  };
}

/**
 * One channel on a connection of its own, outside the pool (a pooled client would hold a pool slot
 * and die with its backend). A lost connection — a terminated backend, a restarted server, a network
 * cut — is reconnected with backoff and the channel LISTENed again; `onResume` then tells the caller
 * that NOTIFYs sent while it was away are lost, so it can catch up from its tables.
 */
async function listenResilient(
  config: pg.ClientConfig,
  channel: string,
  onPayload: (payload: string) => void,
  onResume: (() => void) | undefined,
): Promise<() => Promise<void>> {
  let current: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = LISTEN_RETRY_MIN_MS;

  async function connect(): Promise<void> {
    const client = new pg.Client(config);
    // 'error' and 'end' both mean the connection is gone; without an 'error' listener Node would crash.
    const lost = () => {
      if (current !== client) return;
      current = null;
      schedule();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (m) => {
      if (m.channel === channel) onPayload(m.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    if (stopped) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
    delay = LISTEN_RETRY_MIN_MS;
  }

  function schedule(): void {
    if (stopped) return;
    retry = setTimeout(() => {
      connect().then(
        () => {
          if (!stopped) onResume?.();
        },
        () => {
          delay = Math.min(delay * 2, LISTEN_RETRY_MAX_MS);
          schedule();
        },
      );
    }, delay);
  }

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const client = current;
    current = null;
    await client?.end().catch(() => {});
  };
}

/** A real PostgreSQL server with pgvector, through a pg Pool. */
export async function openPg(
  url: string,
  { poolSize = 10, schema, queryTimeoutMs, settings = {}, poolMode = 'session', listenUrl = url }: PgOptions = {},
): Promise<Db> {
  const pooled = poolMode === 'transaction';
  if (pooled && (schema || Object.keys(settings).length)) {
    throw new Error('a schema or settings per connection cannot be kept through a transaction pooler');
  }
  if (schema) {
    const admin = new pg.Client({ ...connectionSafety(undefined), connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    } finally {
      await admin.end();
    }
  }
  // The vector type's oid is known once the extension exists; our type map parses it on every
  // connection (registering per connection would race the pool's first query on that client).
  const probe = new pg.Client({ ...connectionSafety(undefined), connectionString: url });
  await probe.connect();
  let vectorOid: number | undefined;
  try {
    await probe.query('CREATE EXTENSION IF NOT EXISTS vector');
    const r = await probe.query<{ oid: number }>("SELECT oid::int AS oid FROM pg_type WHERE typname = 'vector'");
    vectorOid = r.rows[0]?.oid;
  } finally {
    await probe.end();
  }
  const pool = new pg.Pool({
    ...connectionSafety(queryTimeoutMs),
    connectionString: url,
    max: poolSize,
    types: typeParsers(vectorOid),
    // public stays on the path: the vector extension's types live there. The HNSW settings are
    // db.ts's HNSW_EF_SEARCH (PGlite SETs it on its one connection), per connection here (a SET would
    // reach one pooled client only); through a transaction pooler, the database's defaults.
    ...(pooled
      ? {}
      : {
          options: [
            ...(schema ? [`-c search_path=${pg.escapeIdentifier(schema)},public`] : []),
            ...Object.entries({ ...HNSW_SETTINGS, ...settings }).map(([k, v]) => `-c ${k}=${v}`),
          ].join(' '),
        }),
  });
  // A pool emits 'error' when an idle client loses its server; without a listener Node would crash.
  pool.on('error', () => {});
  if (pooled) {
    try {
      await checkPooledSettings(pool);
    } catch (e) {
      await pool.end();
      throw e;
    }
  }
  const listeners = new Set<() => Promise<void>>();
  const base = wrap(pool, !pooled);
  return {
    driver: 'pg',
    ...base,
    async transaction(fn) {
      const client = await pool.connect();
      // A client whose connection is lost (seen here, or by a failing ROLLBACK) is released with that
      // error, so the pool drops it. While checked out it has no pool listener: a connection lost
      // between two statements would otherwise be an uncaught 'error' that ends the process.
      let broken: Error | undefined;
      const onLost = (err: Error) => {
        broken = err;
      };
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client, !pooled));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        const rollback = await client.query('ROLLBACK').then(
          () => undefined,
          (err: Error) => err,
        );
        broken ??= rollback;
        throw e;
      } finally {
        client.off('error', onLost);
        client.release(broken);
      }
    },
    async listen(channel, onPayload, onResume) {
      const config = { ...connectionSafety(undefined), connectionString: listenUrl, application_name: LISTEN_APPLICATION };
      const unlisten = await listenResilient(config, channel, onPayload, onResume);
      const once = async () => {
        listeners.delete(once);
        await unlisten();
      };
      listeners.add(once);
      return once;
    },
    async ping() {
      await base.query('SELECT 1');
    },
    async close() {
      // Listen connections live outside the pool: left open, they would keep the process alive.
      await Promise.all([...listeners].map((u) => u()));
      await pool.end();
    },
  };
}
