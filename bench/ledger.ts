// The reward ledger under load: a synthetic referral forest, paid orders priced through the set-based
// batch path (applyPaidOrdersBatch), then settled (settleDue); a sample also through onOrderPaid one
// by one for comparison. Prints orders/s and the peak RSS of the process per driver.
//
//   npm run bench:ledger -- [--orders 1000000] [--shoppers 100000] [--batch 5000] [--driver pglite|pg|both]
//
// Each driver runs in a child process of its own so that its peak RSS is its own (PostgreSQL's own
// memory is the server's, not counted). Besides wall-clock rates it prints CPU-second rates — this
// process plus the PostgreSQL backend when the server is on this host — which is what an idle machine
// would reach; the shared CI machines are rarely idle. PostgreSQL is
// BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local test server; the bench works in a schema
// of its own, dropped at the end. The synthetic data is written with SQL here: it is test data, not
// business logic (the business SQL lives in src/domain/referral).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Db } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPg } from '../src/db/pg.ts';
import { openPglite } from '../src/db/pglite.ts';
import { applyPaidOrdersBatch, ledgerBalances, onOrderPaid, settleDue } from '../src/domain/referral/index.ts';
import { emitResult } from './lib/result.ts';
import { BENCH_PG_URL } from './lib/pgUrl.ts';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000000' },
    shoppers: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '5000' },
    driver: { type: 'string', default: 'both' },
    sample: { type: 'string', default: '2000' },
  },
});
const ORDERS = Number(args.orders);
const SHOPPERS = Number(args.shoppers);
const BATCH = Number(args.batch);
const SAMPLE = Math.min(Number(args.sample), ORDERS);
const URL = BENCH_PG_URL;
const SHOP = 'bench-ledger';
const PAID_FROM = new Date('2026-01-01T00:00:00Z');
const NOW = new Date('2026-06-01T00:00:00Z');
const CHUNK = 100_000;

const seconds = (t0: number) => (performance.now() - t0) / 1000;
// The machines are shared: wall-clock rates there depend on the neighbours. CPU seconds (this process,
// plus the PostgreSQL backend when it runs on the same host) give the rate on an idle machine.
const CLOCK_TICKS = 100;
function backendCpuSeconds(pid: number | null): number {
  if (pid === null) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
  } catch {
    return 0; // the server is elsewhere
  }
}
const processCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');

/** A random recursive forest (3 % roots), 10 % agents, 2 % bosses; the tier mix of docs/domain.md §13 Reports. */
async function generate(db: Db): Promise<{ orderIds: number[] }> {
  await db.query("INSERT INTO shops (id, name, advisor_name, settings) VALUES ($1, '压测店', '小美', '{}')", [SHOP]);
  await db.query("INSERT INTO suppliers (id, name) VALUES ('bench-supplier', '压测供应商') ON CONFLICT (id) DO NOTHING");
  const product = async (activation: boolean) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO products (shop_id, supplier_id, sku, name, category, price_fen, is_activation)
         VALUES ($1, 'bench-supplier', $2, $3, '精华', 9900, $4) RETURNING id`,
        [SHOP, activation ? 'ACT' : 'PLAIN', activation ? '激活体验装' : '修护精华', activation],
      )
    ).rows[0]!.id;
  const plain = await product(false);
  const activation = await product(true);

  await db.query(
    `INSERT INTO shoppers (shop_id, openid, nickname, tier, referral_identity)
     SELECT $1, 'bench-' || g, '顾客' || g,
       CASE WHEN h % 100 < 60 THEN 'converted' WHEN h % 100 < 80 THEN 'potential' WHEN h % 100 < 92 THEN 'core' ELSE 'laotie' END,
       CASE WHEN h2 % 100 < 2 THEN 'boss' WHEN h2 % 100 < 12 THEN 'agent' ELSE 'member' END
     FROM generate_series(1, $2::int) g,
          LATERAL (SELECT abs(hashint8(g)::bigint) AS h, abs(hashint8(g + 1000000007)::bigint) AS h2) x`,
    [SHOP, SHOPPERS],
  );
  await db.query(
    `WITH s AS (SELECT id, row_number() OVER (ORDER BY id) AS k, min(id) OVER () AS first FROM shoppers WHERE shop_id = $1)
     UPDATE shoppers t SET referrer_id = s.first + abs(hashint8(s.k * 31)::bigint) % (s.k - 1), referral_bound_at = $2
     FROM s WHERE t.id = s.id AND s.k > 1 AND abs(hashint8(s.k * 17)::bigint) % 100 >= 3`,
    [SHOP, PAID_FROM],
  );
  const { rows } = await db.query<{ first: number }>('SELECT min(id) AS first FROM shoppers WHERE shop_id = $1', [SHOP]);
  const first = rows[0]!.first;
  for (let from = 1; from <= ORDERS; from += CHUNK) {
    const to = Math.min(ORDERS, from + CHUNK - 1);
    await db.transaction(async (tx) => {
      const ids = await tx.query<{ lo: number; hi: number }>(
        `WITH o AS (
           INSERT INTO orders (shop_id, order_no, shopper_id, status, items_fen, pay_fen, created_at, paid_at, delivered_at)
           SELECT $1, 'B' || g, $2::bigint + abs(hashint8(g::bigint * 13)::bigint) % $3::int, 'delivered', pay, pay, t, t, t + interval '2 days'
           FROM generate_series($4::int, $5::int) g,
                LATERAL (SELECT 100 + abs(hashint8(g::bigint * 29)::bigint) % 49900 AS pay,
                                $6::timestamptz + g * interval '5 seconds' AS t) x
           RETURNING id)
         SELECT min(id) AS lo, max(id) AS hi FROM o`,
        [SHOP, first, SHOPPERS, from, to, PAID_FROM],
      );
      // 5 % of orders carry the activation product.
      await tx.query(
        `INSERT INTO order_items (shop_id, order_id, product_id, product_name, unit_price_fen, quantity)
         SELECT $1, o.id, CASE WHEN abs(hashint8(o.id * 37)::bigint) % 100 < 5 THEN $2::bigint ELSE $3::bigint END, '商品', o.pay_fen, 1
         FROM orders o WHERE o.shop_id = $1 AND o.id BETWEEN $4 AND $5`,
        [SHOP, activation, plain, ids.rows[0]!.lo, ids.rows[0]!.hi],
      );
    });
  }
  await db.exec('ANALYZE shops, shoppers, products, orders, order_items, reward_ledger, referral_paid_orders');
  const orders = await db.query<{ id: number }>('SELECT id FROM orders WHERE shop_id = $1 ORDER BY id', [SHOP]);
  return { orderIds: orders.rows.map((r) => r.id) };
}

async function runDriver(driver: 'pglite' | 'pg'): Promise<void> {
  const schema = `bench_ledger_${randomBytes(4).toString('hex')}`;
  // PGlite file-backed, as the service runs it (DATA_DIR), in a temporary directory removed at the end.
  // PostgreSQL on one connection: the bench is sequential, and its one backend's CPU time can be read.
  const dataDir = driver === 'pglite' ? mkdtempSync(join(tmpdir(), 'bench-ledger-')) : null;
  const db = dataDir ? await openPglite({ dataDir }) : await openPg(URL, { schema, poolSize: 1 });
  try {
    await migrate(db);
    let t = performance.now();
    const { orderIds } = await generate(db);
    console.log(`[${driver}] generated ${SHOPPERS.toLocaleString('en-US')} shoppers and ${ORDERS.toLocaleString('en-US')} orders in ${seconds(t).toFixed(1)} s`);

    const backend =
      driver === 'pg' ? (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid : null;
    const cpu = () => processCpuSeconds() + backendCpuSeconds(backend);

    // One by one, through onOrderPaid, on the first SAMPLE orders: the path of a live event.
    const sample = orderIds.slice(0, SAMPLE);
    t = performance.now();
    let c = cpu();
    for (const id of sample) await db.transaction((tx) => onOrderPaid(tx, SHOP, id, NOW));
    const single = seconds(t);
    const singleCpu = cpu() - c;

    // The rest through the set-based batch path (the sample is skipped there: already priced).
    t = performance.now();
    c = cpu();
    let credited = 0;
    for (let i = 0; i < orderIds.length; i += BATCH) {
      const ids = orderIds.slice(i, i + BATCH);
      credited += (await db.transaction((tx) => applyPaidOrdersBatch(tx, SHOP, ids, NOW))).credited;
    }
    const batched = seconds(t);
    const batchedCpu = cpu() - c;
    const batchedOrders = orderIds.length - sample.length;

    t = performance.now();
    c = cpu();
    const settled = await settleDue(db, SHOP, NOW);
    const settling = seconds(t);
    const settlingCpu = cpu() - c;
    const balances = await ledgerBalances(db, SHOP);

    console.log(
      JSON.stringify({
        driver,
        shoppers: SHOPPERS,
        orders: ORDERS,
        batchSize: BATCH,
        onOrderPaid: {
          orders: sample.length,
          seconds: +single.toFixed(2),
          ordersPerSecond: rate(sample.length, single),
          cpuSeconds: +singleCpu.toFixed(2),
          ordersPerCpuSecond: rate(sample.length, singleCpu),
        },
        applyPaidOrdersBatch: {
          orders: batchedOrders,
          entries: credited,
          seconds: +batched.toFixed(2),
          ordersPerSecond: rate(batchedOrders, batched),
          cpuSeconds: +batchedCpu.toFixed(2),
          ordersPerCpuSecond: rate(batchedOrders, batchedCpu),
        },
        settleDue: {
          entries: settled,
          seconds: +settling.toFixed(2),
          entriesPerSecond: rate(settled, settling),
          cpuSeconds: +settlingCpu.toFixed(2),
        },
        loadAverage: +(readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? 0),
        balanced: balances.balanced,
        payableFen: balances.shop.payableFen,
        peakRssMb: peakRssMb(),
      }),
    );
    // The ledger's throughput target, on the real server: ≥ 5,000 orders/s through the batch path (wall clock).
    const batchRate = Math.round(batchedOrders / batched);
    emitResult({
      bench: 'ledger',
      driver,
      figures: [
        {
          name: `orders/s, batch path (${ORDERS.toLocaleString('en-US')} orders, ${SHOPPERS.toLocaleString('en-US')} shoppers)`,
          value: batchRate,
          ...(driver === 'pg' ? { target: '≥ 5000', met: batchRate >= 5000 } : {}),
        },
        { name: 'orders per CPU-second, batch path', value: Math.round(batchedOrders / batchedCpu) },
        { name: 'orders/s, one by one (onOrderPaid)', value: Math.round(sample.length / single) },
        { name: 'settleDue', value: +settling.toFixed(2), unit: 's' },
        { name: 'ledger balanced', value: String(balances.balanced), target: 'true', met: balances.balanced },
      ],
    });
  } finally {
    await db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (driver === 'pg') {
      const c = new pg.Client({ connectionString: URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await c.end();
    }
  }
}

if (args.driver === 'both') {
  for (const driver of ['pglite', 'pg']) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--orders', String(ORDERS), '--shoppers', String(SHOPPERS), '--batch', String(BATCH), '--sample', String(SAMPLE), '--driver', driver],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  }
} else if (args.driver === 'pglite' || args.driver === 'pg') {
  await runDriver(args.driver);
} else {
  throw new Error(`--driver must be pglite, pg or both, not ${args.driver}`);
}
