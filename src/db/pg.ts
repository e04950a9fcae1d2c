import pg from 'pg';
import pgvector from 'pgvector/pg';
import { TYPE_PARSERS, type Db, type Queryable } from './db.ts';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const custom = TYPE_PARSERS[oid];
    if (custom && format !== 'binary') return custom;
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

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
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    // public stays on the path: the vector extension's types live there.
    ...(schema ? { options: `-c search_path=${pg.escapeIdentifier(schema)},public` } : {}),
  });
  // A pool emits 'error' when an idle client loses its server; without a listener Node would crash.
  pool.on('error', () => {});
  const probe = await pool.connect();
  try {
    await probe.query('CREATE EXTENSION IF NOT EXISTS vector');
    await pgvector.registerTypes(probe);
  } finally {
    probe.release();
  }
  pool.on('connect', (c) => {
    void pgvector.registerTypes(c).catch(() => {});
  });
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
