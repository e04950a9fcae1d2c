import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { listMigrations, migrate, migrationsApplied, statementsOf, toMigration } from '../../src/db/migrate.ts';
import { openPg } from '../../src/db/pg.ts';
import { describeDb } from '../helpers/db.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)("migrations on the service's connections [pg]", () => {
  it("outlast the service's bound on a query (an index build over a big catalog does), which still holds for queries", async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const db = await openPg(url!, { schema, poolSize: 2, queryTimeoutMs: 1_000 });
    try {
      await expect(db.query('SELECT pg_sleep(1.5)')).rejects.toThrow(/timeout/i);
      const slow = { version: '9998', name: '9998_slow_build', sql: 'SELECT pg_sleep(1.5)', checksum: 'slow' };
      const applied = await migrate(db, [...listMigrations(), slow]);
      expect(applied).toEqual([...listMigrations().map((m) => m.name), slow.name]);
    } finally {
      await db.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});

describeDb('migrations', (db) => {
  it('are all applied and recorded', async () => {
    expect(await migrationsApplied(db())).toBe(true);
    const { rows } = await db().query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
    expect(rows[0]!.n).toBe(listMigrations().length);
  });

  it('apply nothing when run again', async () => {
    expect(await migrate(db())).toEqual([]);
  });

  it('apply each migration once when two runs race', async () => {
    const extra = [
      ...listMigrations(),
      { version: '9999', name: '9999_race', sql: 'CREATE TABLE race_probe (id int)', checksum: 'x' },
    ];
    const results = await Promise.all([migrate(db(), extra), migrate(db(), extra)]);
    expect(results.flat()).toEqual(['9999_race']);
    await db().exec('DROP TABLE race_probe');
    await db().query("DELETE FROM schema_migrations WHERE version = '9999'");
  });

  it('refuse a migration that was edited after it was applied', async () => {
    const edited = listMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'changed' } : m));
    await expect(migrate(db(), edited)).rejects.toThrow(/changed after it was applied/);
  });

  it('accept a migration whose comments alone changed, and refuse one whose statements changed', async () => {
    const first = listMigrations()[0]!;
    const recommented = { ...first, sql: `-- a corrected comment\n${first.sql.replace(/--[^\n]*/g, '-- reworded')}` };
    expect(toMigration(`${first.name}.sql`, recommented.sql).checksum).toBe(first.checksum);
    expect(await migrate(db(), [toMigration(`${first.name}.sql`, recommented.sql)])).toEqual([]);
    const restated = toMigration(`${first.name}.sql`, first.sql.replace('CREATE TABLE', 'CREATE UNLOGGED TABLE'));
    expect(restated.checksum).not.toBe(first.checksum);
    await expect(migrate(db(), [restated])).rejects.toThrow(/changed after it was applied/);
  });

  it('keep "--" inside quotes and dollar-quoted bodies as statements', () => {
    expect(statementsOf("SELECT '--not a comment' -- a comment\n\n-- only a comment\nSELECT 1")).toBe("SELECT '--not a comment'\nSELECT 1");
    expect(statementsOf('DO $$ BEGIN\n  -- kept: inside the body\nEND $$;')).toBe('DO $$ BEGIN\n  -- kept: inside the body\nEND $$;');
  });

  it('take a database that recorded the whole file, and record it the current way', async () => {
    const first = listMigrations()[0]!;
    await db().query('UPDATE schema_migrations SET checksum = $2 WHERE version = $1', [first.version, first.legacyChecksum]);
    expect(await migrate(db())).toEqual([]);
    const { rows } = await db().query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [first.version]);
    expect(rows[0]!.checksum).toBe(first.checksum);
  });

  it('keep money as integers and dates as plain days on this driver', async () => {
    const { rows } = await db().query<{ a: number; s: number; d: string }>(
      "SELECT 12345678901::int8 AS a, sum(x)::numeric AS s, date '2026-09-17' AS d FROM (VALUES (1::int8), (2::int8)) v(x)",
    );
    expect(rows[0]).toEqual({ a: 12345678901, s: 3, d: '2026-09-17' });
  });

  it('run a kept (prepared) statement with each call’s own parameters, across the pool, and after the table changes', async () => {
    await db().exec('CREATE TABLE prepared_probe (id int PRIMARY KEY, name text)');
    await db().query("INSERT INTO prepared_probe VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    const byId = (id: number) =>
      db().query<{ name: string }>('SELECT name FROM prepared_probe WHERE id = $1', [id], { prepare: true }).then((r) => r.rows[0]?.name);
    // More calls than the pool has connections, at once: each connection prepares it on first use.
    expect(await Promise.all([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4].map(byId))).toEqual(['a', 'b', 'c', undefined, 'a', 'b', 'c', undefined, 'a', 'b', 'c', undefined]);
    await db().exec('ALTER TABLE prepared_probe ADD COLUMN note text');
    await db().query("UPDATE prepared_probe SET name = 'z' WHERE id = 3");
    expect(await byId(3)).toBe('z');
    // Another text is another statement, never the first one's plan.
    const other = await db().query<{ id: number }>('SELECT id FROM prepared_probe WHERE name = $1', ['b'], { prepare: true });
    expect(other.rows).toEqual([{ id: 2 }]);
    await db().exec('DROP TABLE prepared_probe');
  });
});
