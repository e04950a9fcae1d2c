// PGlite keeps every statement text prepared under a name of its own (src/db/pglite.ts). These prove
// that what a caller gets is what PGlite's own query() gives: parameters of every kind, results,
// errors that leave the connection usable, transactions, a table that changed under a kept
// statement, and more texts than are kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { openPglite } from '../../src/db/pglite.ts';

describe('PGlite statements', () => {
  let db: Db & { pglite: import('@electric-sql/pglite').PGlite };
  beforeAll(async () => {
    db = await openPglite();
    await db.exec(`CREATE TABLE probe (
      id int PRIMARY KEY, name text, tags text[], doc jsonb, ok boolean, at timestamptz, price int8, day date)`);
  });
  afterAll(async () => {
    await db.close();
  });

  it('binds parameters of every kind and reads them back as PGlite does', async () => {
    const row = { id: 1, name: '悦颜 "quoted" \\ back', tags: ['干皮', 'a,b', 'x"y'], doc: { a: [1, 2], b: '老铁' }, ok: true, at: new Date('2026-12-03T10:00:00Z'), price: 12345678901, day: '2026-09-17' };
    const insert = 'INSERT INTO probe VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id';
    const r = await db.query(insert, [row.id, row.name, row.tags, row.doc, row.ok, row.at, row.price, row.day]);
    expect(r).toEqual({ rows: [{ id: 1 }], rowCount: 1 });
    await db.query(insert, [2, null, null, null, null, null, null, null]);
    const ours = await db.query('SELECT * FROM probe ORDER BY id');
    const theirs = await db.pglite.query('SELECT * FROM probe ORDER BY id');
    expect(ours.rows).toEqual(theirs.rows);
    expect(ours.rows[0]).toMatchObject({ name: row.name, tags: row.tags, doc: row.doc, ok: true, price: row.price, day: row.day });
    expect(ours.rowCount).toBe(2);
  });

  it('reports changed rows for statements that return none', async () => {
    const r = await db.query('UPDATE probe SET ok = $1 WHERE id <= $2', [false, 2]);
    expect(r).toEqual({ rows: [], rowCount: 2 });
  });

  it('gives an error its code and stays usable after it', async () => {
    await expect(db.query('INSERT INTO probe (id) VALUES ($1)', [1])).rejects.toMatchObject({ code: '23505' });
    await expect(db.query('SELEKT 1')).rejects.toMatchObject({ code: '42601' });
    expect((await db.query('SELECT count(*)::int AS n FROM probe WHERE id = $1', [1])).rows).toEqual([{ n: 1 }]);
  });

  it('runs inside transactions, which commit or roll back whole', async () => {
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO probe (id, name) VALUES ($1, $2)', [10, 'kept']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO probe (id, name) VALUES ($1, $2)', [11, 'undone']);
        await tx.query('INSERT INTO probe (id, name) VALUES ($1, $2)', [10, 'duplicate']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const { rows } = await db.query<{ id: number }>('SELECT id FROM probe WHERE id >= $1 ORDER BY id', [10]);
    expect(rows).toEqual([{ id: 10 }]);
  });

  it('runs a kept SELECT * again after its table gained a column', async () => {
    const all = () => db.query<Record<string, unknown>>('SELECT * FROM probe WHERE id = $1', [10]);
    expect(Object.keys((await all()).rows[0]!)).not.toContain('note');
    await db.exec('ALTER TABLE probe ADD COLUMN note text');
    expect((await all()).rows[0]).toMatchObject({ id: 10, note: null });
  });

  it('keeps working with more statement texts than it keeps prepared', async () => {
    const first = 'SELECT $1::int + 0 AS n';
    expect((await db.query(first, [7])).rows).toEqual([{ n: 7 }]);
    for (let i = 1; i <= 520; i++) {
      expect((await db.query(`SELECT $1::int + ${i} AS n`, [1])).rows).toEqual([{ n: 1 + i }]);
    }
    expect((await db.query(first, [8])).rows).toEqual([{ n: 8 }]);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'lt\\_%'");
    expect(rows[0]!.n).toBeLessThanOrEqual(501);
  });
});
