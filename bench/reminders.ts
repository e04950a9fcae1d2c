// npm run bench:reminders -- [--shoppers 1000000] [--date 2026-09-17] [--driver both|pg|pglite] [--profiles 0.05]
// The daily reminder run (plan + coupons + messages + outbox rows) of one generated shop, on the
// real PostgreSQL server (BENCH_DATABASE_URL / TEST_DATABASE_URL, in a schema of its own that is
// dropped at the end) and on the embedded PGlite (file-backed in a temporary directory, as the
// service runs it: in memory its files grow by copying). Each driver runs in a child process of its
// own, so the peak RSS printed is that driver's (the PostgreSQL server's own memory is not in it).
// Target on the real server: ≤ 60 s for 1,000,000 shoppers.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { fixedClock } from '../src/context.ts';
import type { Db } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPg } from '../src/db/pg.ts';
import { openPglite } from '../src/db/pglite.ts';
import { runReminders } from '../src/domain/reminders/run.ts';
import { silentLogger } from '../src/log.ts';
import { emitResult } from './lib/result.ts';
import { BENCH_PG_URL } from './lib/pgUrl.ts';
import { reminderWriters } from '../src/agent/reminderWriter.ts';

const { values } = parseArgs({
  options: {
    shoppers: { type: 'string', default: '1000000' },
    date: { type: 'string', default: '2026-09-17' },
    driver: { type: 'string', default: 'both' },
    profiles: { type: 'string', default: '0.05' },
  },
});
const N = Number(values.shoppers);
const DATE = values.date!;
const PROFILE_SHARE = Number(values.profiles);
const URL = BENCH_PG_URL;
const SHOP = 'bench';

const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

/** A shop as the article's case looks: tiers 20/40/20/13/7 %, birthdays all year, ~1.3 orders per buyer over 400 days. */
async function generate(db: Db): Promise<void> {
  await db.exec(`
    INSERT INTO shops (id, name, advisor_name) VALUES ('${SHOP}', '老铁美妆', '小美');
    INSERT INTO suppliers (id, name) VALUES ('bench-supplier', '供应链');
    INSERT INTO products (shop_id, supplier_id, sku, name, category, price_fen, usage_cycle_days, launched_at)
    SELECT '${SHOP}', 'bench-supplier', 'SKU' || k, '商品' || k, '护肤', 5000 + k * 100,
           CASE WHEN k % 2 = 0 THEN 30 + (k % 3) * 30 END,
           CASE WHEN k <= 5 THEN timestamptz '${DATE} 02:00+00' - interval '7 days' ELSE timestamptz '2025-01-01 00:00+00' END
      FROM generate_series(1, 200) k;
    INSERT INTO shoppers (shop_id, openid, nickname, birthday, tier, registered_at)
    SELECT '${SHOP}', 'o' || i, '顾客' || i, date '1990-01-01' + ((i::bigint * 7919) % 365)::int,
           CASE WHEN i % 100 < 20 THEN 'new' WHEN i % 100 < 60 THEN 'converted' WHEN i % 100 < 80 THEN 'potential'
                WHEN i % 100 < 93 THEN 'core' ELSE 'laotie' END,
           timestamptz '2024-01-01 00:00+00'
      FROM generate_series(1, ${N}) i;
    INSERT INTO orders (shop_id, order_no, shopper_id, status, items_fen, pay_fen, created_at, paid_at)
    SELECT '${SHOP}', 'A' || s.id, s.id, 'completed', 9900, 9900, t - interval '1 minute', t
      FROM (SELECT id, tier, timestamptz '${DATE} 02:00+00' - make_interval(days => (1 + (id * 104729) % 400)::int) AS t
              FROM shoppers WHERE shop_id = '${SHOP}') s
     WHERE s.tier <> 'new';
    INSERT INTO orders (shop_id, order_no, shopper_id, status, items_fen, pay_fen, created_at, paid_at)
    SELECT '${SHOP}', 'B' || o.shopper_id, o.shopper_id, 'completed', 9900, 9900, t - interval '1 minute', t
      FROM (SELECT shopper_id, paid_at + make_interval(days => (1 + (shopper_id * 31) % 120)::int) AS t FROM orders
             WHERE shop_id = '${SHOP}' AND shopper_id % 3 = 0) o
     WHERE o.t < timestamptz '${DATE} 00:00+00';
    INSERT INTO order_items (shop_id, order_id, product_id, product_name, unit_price_fen, quantity)
    SELECT '${SHOP}', o.id, p.id, p.name, 9900, 1
      FROM orders o JOIN products p ON p.shop_id = o.shop_id AND p.sku = 'SKU' || (6 + (o.id * 13) % 195)
     WHERE o.shop_id = '${SHOP}';
  `);
  // Profile vectors for a share of the buyers, drawn from 64 "tastes" (low-rank, like real profiles);
  // the 5 new products sit on 5 of them.
  await db.exec(`
    CREATE TEMP TABLE tastes AS
    SELECT k, ('[' || array_to_string(ARRAY(SELECT CASE WHEN j % 64 = k THEN 1 ELSE 0.05 END FROM generate_series(0, 255) j), ',') || ']')::vector AS v
      FROM generate_series(0, 63) k;
    INSERT INTO product_embeddings (product_id, shop_id, embedder, dim, embedding, content_hash)
    SELECT p.id, p.shop_id, 'local-hash-v1', 256, t.v, 'h' FROM products p JOIN tastes t ON t.k = (p.id % 64)
     WHERE p.shop_id = '${SHOP}' AND p.sku IN ('SKU1', 'SKU2', 'SKU3', 'SKU4', 'SKU5');
    INSERT INTO shopper_profile_embeddings (shopper_id, shop_id, embedder, dim, embedding, content_hash, updated_at)
    SELECT s.id, s.shop_id, 'local-hash-v1', 256, t.v, 'h', now() FROM shoppers s JOIN tastes t ON t.k = (s.id * 17) % 64
     WHERE s.shop_id = '${SHOP}' AND s.tier <> 'new' AND (s.id * 2654435761) % 1000 < ${Math.round(PROFILE_SHARE * 1000)};
    DROP TABLE tastes;
  `);
  // As a live database is: vacuumed (hint bits set, visibility map) and analysed. One statement a
  // call: VACUUM refuses to run inside the implicit transaction of a multi-statement query.
  for (const t of ['shoppers', 'orders', 'order_items', 'products', 'shopper_profile_embeddings', 'product_embeddings']) {
    await db.exec(`VACUUM ANALYZE ${t}`);
  }
}

async function bench(name: 'pg' | 'pglite'): Promise<void> {
  const schema = `bench_rem_${randomBytes(4).toString('hex')}`;
  const t0 = performance.now();
  const dataDir = name === 'pglite' ? mkdtempSync(join(os.tmpdir(), 'bench-reminders-')) : null;
  const db = dataDir ? await openPglite({ dataDir }) : await openPg(URL, { schema, poolSize: 4 });
  try {
    await migrate(db);
    const tGen = performance.now();
    await generate(db);
    const { rows } = await db.query<{ shoppers: number; orders: number; profiles: number }>(
      `SELECT (SELECT count(*) FROM shoppers) AS shoppers, (SELECT count(*) FROM orders) AS orders,
              (SELECT count(*) FROM shopper_profile_embeddings) AS profiles`,
    );
    console.log(`[${name}] generated ${JSON.stringify(rows[0])} in ${secs(tGen)} s, peak RSS ${mb()} MB`);
    const deps = { db, clock: fixedClock(`${DATE}T00:00:00Z`), log: silentLogger, writers: reminderWriters(undefined, silentLogger) };
    const tRun = performance.now();
    const report = await runReminders(deps, { shopId: SHOP, date: DATE, sampleSize: 3 });
    const runS = secs(tRun);
    for (const o of report.occasions) console.log(`[${name}]   ${o.occasion.padEnd(15)} candidates ${String(o.candidates).padStart(8)}  planned ${String(o.planned).padStart(8)}`);
    console.log(`[${name}] daily run: planned ${report.planned}, queued ${report.queued} in ${runS} s (plan ${report.durationsMs.plan} ms, write + queue ${report.durationsMs.write} ms); peak RSS ${mb()} MB`);
    const tAgain = performance.now();
    const again = await runReminders(deps, { shopId: SHOP, date: DATE, sampleSize: 0 });
    console.log(`[${name}] re-run of the same day: planned ${again.planned}, queued ${again.queued} in ${secs(tAgain)} s`);
    console.log(`[${name}] sample: ${report.sample[0]?.message ?? '-'}`);
    const runSeconds = Number(runS);
    emitResult({
      bench: 'reminders',
      driver: name,
      figures: [
        {
          name: `daily run, ${N.toLocaleString('en-US')} shoppers`,
          value: runSeconds,
          unit: 's',
          ...(name === 'pg' ? { target: '≤ 60 s', met: runSeconds <= 60 } : {}),
        },
        { name: 'reminders planned', value: report.planned },
        { name: 're-run of the same day plans', value: again.planned, target: '0', met: again.planned === 0 },
      ],
    });
  } finally {
    await db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (name === 'pg') {
      const c = new pg.Client({ connectionString: URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
  console.log(`[${name}] total ${secs(t0)} s; load average now ${os.loadavg()[0]!.toFixed(1)}`);
}

if (values.driver === 'both') {
  for (const driver of ['pg', 'pglite']) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--shoppers', String(N), '--date', DATE, '--profiles', String(PROFILE_SHARE), '--driver', driver],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  }
} else if (values.driver === 'pg' || values.driver === 'pglite') {
  console.log(`reminders bench: ${N} shoppers, day ${DATE}, profiles ${PROFILE_SHARE * 100}% of buyers; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores`);
  await bench(values.driver);
} else {
  throw new Error(`--driver must be pg, pglite or both, not ${values.driver}`);
}
