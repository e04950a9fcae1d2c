// Rewards settle: after the return window and not before, reversed instead when the order is refunded in
// the window, held while an after-sales request is open; by the daily job in the shop's own time zone,
// and by hand (dry or not); replicas running at once settle each reward once.
import { expect, it } from 'vitest';
import { fixedClock } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { openPg } from '../../src/db/pg.ts';
import { ledgerEntries, rewardTotals, settleRewards } from '../../src/domain/referral/index.ts';
import { createSettlementJobs } from '../../src/jobs/settlement.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { describeDb } from '../helpers/db.ts';
import {
  createReferralOrder,
  createReferralShop,
  createReferralShopper,
  daysAfter,
  deliverOrder,
  payOrder,
  refundOrder,
  type ReferralShop,
} from './referralFixtures.ts';

// 10:00 in Shanghai.
const T0 = new Date('2026-03-10T02:00:00Z');
const at = (t: Date) => ({ clock: fixedClock(t), log: silentLogger });

/** A boss, an agent the boss referred, and `n` buyers the agent referred, each with one paid order delivered at `deliveredAt`. */
async function teamWithOrders(db: Db, shop: ReferralShop, n: number, deliveredAt: Date) {
  const boss = await createReferralShopper(db, shop.id, { identity: 'boss', nickname: '老板阿May' });
  const agent = await createReferralShopper(db, shop.id, { identity: 'agent', referrerId: boss, nickname: '代理桃子' });
  const orders: number[] = [];
  for (let i = 0; i < n; i++) {
    const buyer = await createReferralShopper(db, shop.id, { referrerId: agent });
    const o = await createReferralOrder(db, shop, { buyerId: buyer, payFen: 10_000 });
    await payOrder(db, shop.id, o, T0);
    await deliverOrder(db, shop.id, o, deliveredAt);
    orders.push(o);
  }
  return { boss, agent, orders };
}

async function statesOf(db: Db, shopId: string) {
  return (await ledgerEntries(db, shopId)).map((e) => e.state);
}

describeDb('reward settlement', (db, driver) => {
  it('settles a reward once the return window after delivery has passed, and not before', async () => {
    const shop = await createReferralShop(db(), { returnWindowDays: 7 });
    const { agent, boss, orders } = await teamWithOrders(db(), shop, 1, T0);
    const windowEnds = daysAfter(T0, 7);

    const early = await settleRewards({ db: db(), ...at(new Date(windowEnds.getTime() - 1)) }, { shopId: shop.id });
    expect(early).toMatchObject({ settled: 0, settledFen: 0, held: { count: 0 } });
    expect(await statesOf(db(), shop.id)).toEqual(['pending', 'pending']);

    const due = await settleRewards({ db: db(), ...at(windowEnds) }, { shopId: shop.id });
    const { rows } = await db().query<{ order_no: string }>('SELECT order_no FROM orders WHERE id = $1', [orders[0]]);
    expect(due).toMatchObject({ shopId: shop.id, date: '2026-03-17', dryRun: false, dueBy: windowEnds.toISOString(), settled: 2, settledFen: 1500 });
    expect(due.entries.map((e) => [e.orderNo, e.beneficiary, e.kind, e.level, e.amountFen, e.settleAfter])).toEqual([
      [rows[0]!.order_no, '代理桃子', 'direct', 1, 1000, windowEnds.toISOString()],
      [rows[0]!.order_no, '老板阿May', 'team', 2, 500, windowEnds.toISOString()],
    ]);
    expect(await rewardTotals(db(), shop.id, agent)).toEqual({ pendingFen: 0, settledFen: 1000, reversedFen: 0 });
    expect(await rewardTotals(db(), shop.id, boss)).toEqual({ pendingFen: 0, settledFen: 500, reversedFen: 0 });
    expect((await ledgerEntries(db(), shop.id)).map((e) => e.settledAt)).toEqual([windowEnds, windowEnds]);

    // The next day's run finds nothing left.
    expect((await settleRewards({ db: db(), ...at(daysAfter(T0, 8)) }, { shopId: shop.id })).settled).toBe(0);
  });

  it('reverses a reward whose order is refunded inside the window instead of settling it', async () => {
    const shop = await createReferralShop(db());
    const { agent, orders } = await teamWithOrders(db(), shop, 1, T0);
    await refundOrder(db(), shop.id, orders[0]!, daysAfter(T0, 3));
    const r = await settleRewards({ db: db(), ...at(daysAfter(T0, 8)) }, { shopId: shop.id });
    expect(r).toMatchObject({ settled: 0, held: { count: 0 } });
    expect(await statesOf(db(), shop.id)).toEqual(['reversed', 'reversed']);
    expect(await rewardTotals(db(), shop.id, agent)).toEqual({ pendingFen: 0, settledFen: 0, reversedFen: 1000 });
  });

  it('holds back a reward while an after-sales request of its order is open, and reports it', async () => {
    const shop = await createReferralShop(db());
    const { orders } = await teamWithOrders(db(), shop, 1, T0);
    await db().query(
      `INSERT INTO after_sales (shop_id, request_no, order_id, shopper_id, kind, reason)
       SELECT shop_id, 'AS-held-' || id, id, shopper_id, 'return', '不合适' FROM orders WHERE id = $1`,
      [orders[0]],
    );
    const r = await settleRewards({ db: db(), ...at(daysAfter(T0, 8)) }, { shopId: shop.id });
    expect(r).toMatchObject({ settled: 0, held: { count: 2, fen: 1500 } });
    expect(await statesOf(db(), shop.id)).toEqual(['pending', 'pending']);
  });

  it('shows in a dry run exactly what would settle, and changes nothing', async () => {
    const shop = await createReferralShop(db());
    await teamWithOrders(db(), shop, 3, T0);
    const before = await ledgerEntries(db(), shop.id);
    const dry = await settleRewards({ db: db(), ...at(daysAfter(T0, 8)) }, { shopId: shop.id, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, settled: 6, settledFen: 4500 });
    expect(await ledgerEntries(db(), shop.id)).toEqual(before);
    const real = await settleRewards({ db: db(), ...at(daysAfter(T0, 8)) }, { shopId: shop.id });
    expect({ ...real, dryRun: true }).toEqual(dry);
  });

  it("settles by the end of a past day of the shop's calendar, and looks ahead only in a dry run", async () => {
    const shop = await createReferralShop(db());
    // The window ends 2026-03-17 10:00 in Shanghai.
    await teamWithOrders(db(), shop, 1, T0);
    const now = { db: db(), ...at(new Date('2026-03-20T02:00:00Z')) };
    const day16 = await settleRewards(now, { shopId: shop.id, date: '2026-03-16' });
    expect(day16).toMatchObject({ settled: 0, dueBy: '2026-03-16T16:00:00.000Z' });

    const earlier = { db: db(), ...at(new Date('2026-03-12T02:00:00Z')) };
    await expect(settleRewards(earlier, { shopId: shop.id, date: '2026-03-17' })).rejects.toMatchObject({ code: 'invalid' });
    expect(await settleRewards(earlier, { shopId: shop.id, date: '2026-03-17', dryRun: true })).toMatchObject({ settled: 2, dueBy: '2026-03-17T16:00:00.000Z' });
    expect(await statesOf(db(), shop.id)).toEqual(['pending', 'pending']);

    expect(await settleRewards(now, { shopId: shop.id, date: '2026-03-17' })).toMatchObject({ settled: 2, dueBy: '2026-03-17T16:00:00.000Z' });
    await expect(settleRewards(now, { shopId: shop.id, date: '2026-02-30' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(settleRewards(now, { shopId: 'no-such-shop' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('settles each reward once when two runs go at once', async () => {
    const shop = await createReferralShop(db());
    await teamWithOrders(db(), shop, 10, T0);
    const deps = { db: db(), ...at(daysAfter(T0, 8)) };
    const [a, b] = await Promise.all([settleRewards(deps, { shopId: shop.id }), settleRewards(deps, { shopId: shop.id })]);
    expect(a.settled + b.settled).toBe(20);
    expect(a.settledFen + b.settledFen).toBe(15_000);
    const ids = [...a.entries, ...b.entries].map((e) => e.id);
    expect(new Set(ids).size).toBe(20);
    expect(new Set(await statesOf(db(), shop.id))).toEqual(new Set(['settled']));
  });

  it('settles each reward once when two replicas run the daily job on one database', async () => {
    const shop = await createReferralShop(db());
    await teamWithOrders(db(), shop, 10, T0);
    // On PostgreSQL the second replica has a pool of its own on the same schema; PGlite is one process's.
    let second: Db = db();
    if (driver === 'pg') {
      const { rows } = await db().query<{ schema: string }>('SELECT current_schema() AS schema');
      second = await openPg(process.env.TEST_DATABASE_URL!, { schema: rows[0]!.schema });
    }
    const lines: string[] = [];
    const replica = (d: Db) => createSettlementJobs({ db: d, clock: fixedClock(daysAfter(T0, 8)), log: createLogger('info', {}, (l) => lines.push(l)) });
    const replicas = [replica(db()), replica(second)];
    try {
      // 10:00 in Shanghai, past the 02:00 run: each replica settles the day on start.
      await Promise.all(replicas.map((r) => r.start()));
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
      if (second !== db()) await second.close();
    }
    const runs = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'rewards settled' && l.shop === shop.id);
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.settled).sort((x, y) => x - y)).toEqual([0, 20]);
    expect(new Set(await statesOf(db(), shop.id))).toEqual(new Set(['settled']));
  });

  it("runs the daily job at the shop's own 02:00: a shop where it is still night waits", async () => {
    const shanghai = await createReferralShop(db());
    const newYork = await createReferralShop(db());
    await db().query("UPDATE shops SET timezone = 'America/New_York' WHERE id = $1", [newYork.id]);
    await teamWithOrders(db(), shanghai, 1, T0);
    await teamWithOrders(db(), newYork, 1, T0);
    // 13:30 in Shanghai, 01:30 in New York (daylight saving time since 8 March).
    const jobs = createSettlementJobs({ db: db(), clock: fixedClock('2026-03-20T05:30:00Z'), log: silentLogger });
    await jobs.start();
    await jobs.stop();
    expect(await statesOf(db(), shanghai.id)).toEqual(['settled', 'settled']);
    expect(await statesOf(db(), newYork.id)).toEqual(['pending', 'pending']);
  });
});
