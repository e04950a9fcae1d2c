import pg from 'pg';
import pgvector from 'pgvector';
import { TYPE_PARSERS, type Db, type Queryable } from './db.ts';

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

function wrap(c: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const r = await c.query(sql, params as unknown[]);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  };
}

export interface PgOptions {
  poolSize?: number;
  /** A schema to work in (created if missing); tests give each file its own. */
  schema?: string;
}

/** A real PostgreSQL server with pgvector, through a pg Pool. */
export async function openPg(url: string, { poolSize = 10, schema }: PgOptions = {}): Promise<Db> {
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    } finally {
      await admin.end();
    }
  }
  // The vector type's oid is known once the extension exists; our type map parses it on every
  // connection (registering per connection would race the pool's first query on that client).
  const probe = new pg.Client({ connectionString: url });
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
    connectionString: url,
    max: poolSize,
    types: typeParsers(vectorOid),
    // public stays on the path: the vector extension's types live there.
    ...(schema ? { options: `-c search_path=${pg.escapeIdentifier(schema)},public` } : {}),
  });
  // A pool emits 'error' when an idle client loses its server; without a listener Node would crash.
  pool.on('error', () => {});
  const base = wrap(pool);
  return {
    driver: 'pg',
    ...base,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const client = await pool.connect();
      const handler = (m: pg.Notification) => {
        if (m.channel === channel) onPayload(m.payload ?? '');
      };
      client.on('notification', handler);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        client.off('notification', handler);
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        client.release();
      };
    },
    close: () => pool.end(),
  };
}
