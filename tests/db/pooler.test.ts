// The service's database layer through a real PgBouncer (Debian's 1.18) in transaction pooling, with
// fewer server connections than clients, so that consecutive statements of one client land on
// different server connections: what breaks there (named prepared statements, per-connection
// settings, LISTEN, session state between statements) must not be relied on.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { HNSW_SETTINGS, hnswDefaultsSql, openPg } from '../../src/db/pg.ts';
import { createDatabase, hasPgBouncer, runSql, startPgBouncer, type PgBouncer } from '../../scripts/lib/pgbouncer.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url || !hasPgBouncer())('the database layer through PgBouncer in transaction pooling [pg]', () => {
  let bouncer: PgBouncer;
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let name: string;
  let db: Db | undefined;

  beforeAll(async () => {
    name = `laotie_pooler_${randomBytes(4).toString('hex')}`;
    database = await createDatabase(url!, name);
    bouncer = await startPgBouncer(url!, { poolSize: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await bouncer?.stop();
    await database?.drop();
  });

  const open = () => openPg(bouncer.url(name), { poolSize: 8, poolMode: 'transaction', listenUrl: database.url });

  it("refuses to start while the database's defaults lack the search settings, naming the statements to run", async () => {
    await expect(open()).rejects.toThrow(`run once on the database: ${hnswDefaultsSql(name)}`);
  });

  it('starts once they are set, and every pooled statement sees them', async () => {
    await runSql(database.url, hnswDefaultsSql(name));
    // The pooler's server connections made before keep the old settings until made anew.
    await bouncer.admin(`RECONNECT ${name}`);
    db = await open();
    await migrate(db);
    const seen = await Promise.all(
      Array.from({ length: 20 }, () =>
        db!.transaction(async (tx) => {
          await tx.query("SELECT '[1]'::vector");
          const r = await tx.query<{ ef: string; scan: string }>(
            "SELECT current_setting('hnsw.ef_search') AS ef, current_setting('hnsw.iterative_scan') AS scan",
          );
          return r.rows[0]!;
        }),
      ),
    );
    expect(new Set(seen.map((s) => `${s.ef} ${s.scan}`))).toEqual(new Set([`${HNSW_SETTINGS['hnsw.ef_search']} ${HNSW_SETTINGS['hnsw.iterative_scan']}`]));
  });

  it('runs the statements the service would prepare from many clients on two server connections without error', async () => {
    // Two texts, each asked to be prepared, interleaved with transactions: a named statement made on
    // one server connection would be missing on the other ("prepared statement … does not exist").
    const a = 'SELECT $1::int + 1 AS n';
    const b = 'SELECT count(*)::int AS n FROM schema_migrations WHERE $1::int >= 0';
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 3 === 0
          ? db!.transaction(async (tx) => (await tx.query<{ n: number }>(a, [i], { prepare: true })).rows[0]!.n)
          : db!.query<{ n: number }>(i % 3 === 1 ? a : b, [i], { prepare: true }).then((r) => r.rows[0]!.n),
      ),
    );
    expect(results.filter((n, i) => i % 3 !== 2 && n !== i + 1)).toEqual([]);
    const pools = await bouncer.show('pools');
    expect(pools.find((p) => p.database === name)).toBeDefined();
  });

  it('hears a NOTIFY sent through the pooler on its direct LISTEN connection', async () => {
    const heard: string[] = [];
    const unlisten = await db!.listen('laotie_pooler_test', (p) => heard.push(p));
    try {
      await db!.transaction((tx) => tx.query("SELECT pg_notify('laotie_pooler_test', 'through the pooler')"));
      await expect.poll(() => heard, { timeout: 5_000 }).toEqual(['through the pooler']);
    } finally {
      await unlisten();
    }
  });
});
