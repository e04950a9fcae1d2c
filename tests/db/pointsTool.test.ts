import { beforeAll, expect, it } from 'vitest';
import { runTool } from '../../tools/defineTool.ts';
import { getPoints } from '../../tools/getPoints.ts';
import { describeDb } from '../helpers/db.ts';
import { createCouponTemplate, createPointsEntry, createShop, createShopper } from '../helpers/fixtures.ts';
import { shopperContext } from '../helpers/toolContext.ts';

interface Points {
  balance: number;
  recent: { delta: number; reason: string; at: string }[];
  redeemable: { templateCode: string; name: string; rule: string; pointsCost: number; affordable: boolean }[];
}

// "Now" is 2026-03-15T02:00Z.
describeDb('points tool', (db) => {
  let shop: string;
  let alice: number;

  beforeAll(async () => {
    shop = (await createShop(db())).id;
    alice = (await createShopper(db(), { shopId: shop, tier: 'potential' })).id;
    const bob = (await createShopper(db(), { shopId: shop })).id;
    // Twelve entries for Alice, one a day in March: +100 each, the last one a -300 redemption.
    for (let day = 1; day <= 11; day++) {
      await createPointsEntry(db(), { shopId: shop, shopperId: alice, delta: 100, reason: '浏览新品任务', at: `2026-03-${String(day).padStart(2, '0')}T02:00:00Z` });
    }
    await createPointsEntry(db(), { shopId: shop, shopperId: alice, delta: -300, reason: '兑换优惠券', at: '2026-03-12T02:00:00Z' });
    await createPointsEntry(db(), { shopId: shop, shopperId: bob, delta: 5_000, at: '2026-03-12T02:00:00Z' });

    const redeem = { shopId: shop, trigger: 'points_redeem', kind: 'no_threshold' } as const;
    await createCouponTemplate(db(), { ...redeem, code: 'P10', name: '10元无门槛券', amountFen: 1_000, pointsCost: 100 });
    await createCouponTemplate(db(), { ...redeem, code: 'P100', name: '100元无门槛券', amountFen: 10_000, pointsCost: 1_000 });
    await createCouponTemplate(db(), { ...redeem, code: 'PCORE', name: '核心专享券', amountFen: 2_000, pointsCost: 100, audienceTiers: ['core'] });
    await createCouponTemplate(db(), { shopId: shop, code: 'CLAIM', name: '可领取券' });
  });

  it('sums the ledger into a balance and shows the ten latest entries, newest first', async () => {
    const r = (await runTool(getPoints, await shopperContext(db(), shop, alice), {})) as Points;
    expect(r.balance).toBe(800);
    expect(r.recent).toHaveLength(10);
    expect(r.recent[0]).toEqual({ delta: -300, reason: '兑换优惠券', at: '2026-03-12T02:00:00.000Z' });
    expect(r.recent.at(-1)!.at).toBe('2026-03-03T02:00:00.000Z');
  });

  it('shows what the points can buy for the caller\'s tier and whether they are enough', async () => {
    const r = (await runTool(getPoints, await shopperContext(db(), shop, alice), {})) as Points;
    expect(r.redeemable).toEqual([
      { templateCode: 'P10', name: '10元无门槛券', rule: '无门槛减10', pointsCost: 100, affordable: true },
      { templateCode: 'P100', name: '100元无门槛券', rule: '无门槛减100', pointsCost: 1_000, affordable: false },
    ]);
  });

  it('starts a shopper without entries at zero', async () => {
    const newcomer = (await createShopper(db(), { shopId: shop })).id;
    const r = (await runTool(getPoints, await shopperContext(db(), shop, newcomer), {})) as Points;
    expect(r).toMatchObject({ balance: 0, recent: [] });
  });
});
