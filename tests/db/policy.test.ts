import { expect, it } from 'vitest';
import { issueBirthdayCoupons } from '../../src/domain/policy/birthday.ts';
import { issueDiscountDayCoupons } from '../../src/domain/policy/discountDay.ts';
import { redeemPoints } from '../../src/domain/policy/points.ts';
import { runTool } from '../../tools/defineTool.ts';
import { listTasks } from '../../tools/listTasks.ts';
import { redeemPoints as redeemPointsTool } from '../../tools/redeemPoints.ts';
import { describeDb } from '../helpers/db.ts';
import { createPointsEntry, createShopper } from '../helpers/fixtures.ts';
import { shopperContext } from '../helpers/toolContext.ts';
import { addProduct, ev, ingest, lifecycleShop, shopperIdOf } from './lifecycleFixtures.ts';

const NOW = '2026-03-15T02:00:00Z';

describeDb('coupon and points policies', (db) => {
  async function couponsOf(shopperId: number) {
    const { rows } = await db().query<{ code: string; issue_key: string; valid_from: Date; valid_until: Date }>(
      `SELECT t.code, c.issue_key, c.valid_from, c.valid_until FROM coupons c JOIN coupon_templates t ON t.id = c.template_id
        WHERE c.shopper_id = $1 ORDER BY c.id`,
      [shopperId],
    );
    return rows.map((r) => ({ code: r.code, key: r.issue_key, from: r.valid_from.toISOString(), until: r.valid_until.toISOString() }));
  }

  it('issues the second-purchase coupon on the first paid order only, valid 7 days from the payment', async () => {
    const shop = await lifecycleShop(db());
    await addProduct(db(), shop, { sku: 'MASK' });
    const first = ev.purchase('s', 'S-1', 'MASK', 8_800, '2026-03-10T01:00:00Z');
    await ingest(db(), shop, [ev.registered('s', '2026-03-01T01:00:00Z'), first, first], NOW);
    await ingest(db(), shop, [ev.purchase('s', 'S-2', 'MASK', 8_800, '2026-03-12T01:00:00Z')], NOW);
    const id = await shopperIdOf(db(), shop, 's');
    expect(await couponsOf(id)).toEqual([
      { code: 'second-purchase', key: `second_purchase:${id}:S-1`, from: '2026-03-10T01:00:00.000Z', until: '2026-03-17T01:00:00.000Z' },
      // the second order made the shopper potential: the next discount day (the 15th, local) comes with it
      { code: 'discount-day', key: `discount_day:${id}:2026-03`, from: '2026-03-14T16:00:00.000Z', until: '2026-03-15T16:00:00.000Z' },
    ]);
    const t = await db().query<{ kind: string; threshold_fen: number; amount_fen: number; issued_count: number }>(
      "SELECT kind, threshold_fen, amount_fen, issued_count FROM coupon_templates WHERE shop_id = $1 AND code = 'second-purchase'",
      [shop],
    );
    expect(t.rows[0]).toEqual({ kind: 'threshold', threshold_fen: 10_000, amount_fen: 2_000, issued_count: 1 });
  });

  it('issues birthday coupons once a year to the tiers of the template, on the local day', async () => {
    const shop = await lifecycleShop(db());
    const make = async (tier: 'core' | 'laotie' | 'converted', birthday: string) => {
      const { id } = await createShopper(db(), { shopId: shop, tier });
      await db().query('UPDATE shoppers SET birthday = $2 WHERE id = $1', [id, birthday]);
      return id;
    };
    const core = await make('core', '1995-03-20');
    const laotie = await make('laotie', '1990-03-20');
    const converted = await make('converted', '1999-03-20');
    const leap = await make('core', '2000-02-29');
    await make('core', '1990-03-21');

    const r = await issueBirthdayCoupons(db(), shop, '2026-03-20', new Date('2026-03-19T23:00:00Z'));
    expect(r.issued.map((x) => x.shopperId)).toEqual([core, laotie]);
    expect(r.skipped).toEqual([{ shopperId: converted, reason: 'not_in_audience' }]);
    expect(await couponsOf(core)).toEqual([
      { code: 'birthday', key: `birthday:${core}:2026`, from: '2026-03-19T16:00:00.000Z', until: '2026-03-26T16:00:00.000Z' },
    ]);
    const again = await issueBirthdayCoupons(db(), shop, '2026-03-20');
    expect(again.issued).toEqual([]);
    expect(again.skipped.filter((s) => s.reason === 'duplicate').map((s) => s.shopperId)).toEqual([core, laotie]);
    // 29 February is celebrated on the 28th when the year has none
    expect((await issueBirthdayCoupons(db(), shop, '2027-02-28')).issued.map((x) => x.shopperId)).toEqual([leap]);
    expect((await issueBirthdayCoupons(db(), shop, '2028-02-28')).issued).toEqual([]);
  });

  it('issues the discount-day coupon of the coming discount day to potential shoppers only', async () => {
    const shop = await lifecycleShop(db(), { discountDay: 15 });
    const potential = (await createShopper(db(), { shopId: shop, tier: 'potential' })).id;
    await createShopper(db(), { shopId: shop, tier: 'core' });
    const r = await issueDiscountDayCoupons(db(), shop, '2026-03-16', new Date('2026-03-16T02:00:00Z'));
    expect(r.issued.map((x) => x.shopperId)).toEqual([potential]);
    expect(await couponsOf(potential)).toEqual([
      { code: 'discount-day', key: `discount_day:${potential}:2026-04`, from: '2026-04-14T16:00:00.000Z', until: '2026-04-15T16:00:00.000Z' },
    ]);
    expect((await issueDiscountDayCoupons(db(), shop, '2026-04-12', new Date('2026-04-12T02:00:00Z'))).skipped).toEqual([{ shopperId: potential, reason: 'duplicate' }]);
  });

  it('grants task points once per period: 3 new products browsed → 50, a product shared → 100', async () => {
    const shop = await lifecycleShop(db());
    for (const sku of ['NEW1', 'NEW2', 'NEW3']) await addProduct(db(), shop, { sku, launchedAt: '2026-03-01T00:00:00Z' });
    await addProduct(db(), shop, { sku: 'OLD', launchedAt: '2025-01-01T00:00:00Z' });
    const view = (sku: string, at: string) => ev.behaviour('viewed', 't', at, { sku });
    await ingest(db(), shop, [
      ev.registered('t', '2026-03-01T01:00:00Z'),
      view('NEW1', '2026-03-02T01:00:00Z'), // still a new shopper: tasks start with the first order
      ev.purchase('t', 'T-1', 'OLD', 8_800, '2026-03-03T01:00:00Z'),
      view('NEW1', '2026-03-04T01:00:00Z'),
      view('OLD', '2026-03-04T02:00:00Z'),
      view('NEW2', '2026-03-04T03:00:00Z'),
    ], NOW);
    const id = await shopperIdOf(db(), shop, 't');
    const ctx = await shopperContext(db(), shop, id, NOW);
    const before = (await runTool(listTasks, ctx, {})) as { balance: number; tasks: { code: string; progress: number; done: boolean }[] };
    expect(before.balance).toBe(0);
    expect(before.tasks.map((t) => [t.code, t.progress, t.done])).toEqual([
      ['browse-new-products', 2, false],
      ['share-product', 0, false],
    ]);
    await ingest(db(), shop, [
      view('NEW3', '2026-03-05T01:00:00Z'),
      view('NEW3', '2026-03-05T02:00:00Z'),
      ev.behaviour('shared', 't', '2026-03-06T01:00:00Z', { sku: 'OLD' }),
      ev.behaviour('shared', 't', '2026-03-07T01:00:00Z', { sku: 'NEW1' }),
      ev.behaviour('shared', 't', '2026-04-01T01:00:00Z', { sku: 'NEW1' }), // April 1st local: a new month
    ], '2026-04-01T02:00:00Z');
    const { rows } = await db().query<{ delta: number; ref_key: string }>(
      'SELECT delta, ref_key FROM points_ledger WHERE shopper_id = $1 ORDER BY id',
      [id],
    );
    expect(rows).toEqual([
      { delta: 50, ref_key: `task:browse-new-products:${id}:2026-03` },
      { delta: 100, ref_key: `task:share-product:${id}:2026-03` },
      { delta: 100, ref_key: `task:share-product:${id}:2026-04` },
    ]);
    const after = (await runTool(listTasks, ctx, {})) as { balance: number; tasks: { done: boolean }[]; redeem: { templateCode: string; pointsCost: number; affordable: boolean }[] };
    expect(after.balance).toBe(250);
    expect(after.tasks.map((t) => t.done)).toEqual([true, true]);
    expect(after.redeem).toEqual([expect.objectContaining({ templateCode: 'points-10-yuan', pointsCost: 100, affordable: true })]);
  });

  it('lets exactly the affordable number of 50 concurrent redemptions succeed, never going negative', async () => {
    const shop = await lifecycleShop(db());
    const { id } = await createShopper(db(), { shopId: shop, tier: 'converted' });
    await createPointsEntry(db(), { shopId: shop, shopperId: id, delta: 350, at: '2026-03-01T00:00:00Z' });
    const now = new Date(NOW);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => redeemPoints(db(), shop, id, { now })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/积分不足/);
    const { rows } = await db().query<{ balance: number; coupons: number; keys: string[] }>(
      `SELECT (SELECT sum(delta) FROM points_ledger WHERE shopper_id = $1) AS balance,
              (SELECT count(*) FROM coupons WHERE shopper_id = $1) AS coupons,
              (SELECT array_agg(issue_key ORDER BY issue_key) FROM coupons WHERE shopper_id = $1) AS keys`,
      [id],
    );
    expect(rows[0]).toEqual({ balance: 50, coupons: 3, keys: [1, 2, 3].map((n) => `redeem:${id}:${n}`) });
    // the running balance, in ledger order, never went below zero
    const running = await db().query<{ low: number }>(
      'SELECT min(b) AS low FROM (SELECT sum(delta) OVER (ORDER BY id) AS b FROM points_ledger WHERE shopper_id = $1) x',
      [id],
    );
    expect(running.rows[0]!.low).toBeGreaterThanOrEqual(0);
  });

  it('answers a redemption the shopper cannot make with a reason the agent can say', async () => {
    const shop = await lifecycleShop(db());
    const { id } = await createShopper(db(), { shopId: shop, tier: 'potential' });
    await createPointsEntry(db(), { shopId: shop, shopperId: id, delta: 800, at: '2026-03-01T00:00:00Z' });
    const ctx = await shopperContext(db(), shop, id, NOW);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await runTool(redeemPointsTool, ctx, { times: 1 }));
    expect(results.slice(0, 5).every((r) => (r as { redeemed: boolean }).redeemed)).toBe(true);
    expect(results[0]).toMatchObject({ redeemed: true, name: '积分兑换无门槛券', rule: '无门槛减10', pointsSpent: 100, balance: 700 });
    // the template lets a shopper hold 5 unused coupons at once
    expect(results[5]).toMatchObject({ redeemed: false, reason: 'conflict', message: expect.stringContaining('5 张未使用') });
    expect(await runTool(redeemPointsTool, ctx, { templateCode: 'nope' })).toMatchObject({ redeemed: false, reason: 'not_found' });
    expect(await runTool(redeemPointsTool, ctx, { times: 2 })).toMatchObject({ error: { code: 'invalid' } });
  });
});
