import { beforeAll, expect, it } from 'vitest';
import { resolvePeriod, tierReport } from '../../src/domain/lifecycle/reports.ts';
import { describeDb } from '../helpers/db.ts';
import { addProduct, ev, ingest, lifecycleShop, shopperIdOf } from './lifecycleFixtures.ts';

// Each event is sent a minute after it happened, as the mall would: tier changes carry those times.
type Event = { occurredAt: string };

describeDb('the tier report', (db) => {
  let shop: string;
  const live = async (events: Event[]) => {
    for (const e of events) {
      const r = await ingest(db(), shop, [e], new Date(new Date(e.occurredAt).getTime() + 60_000));
      expect(r.rejected).toEqual([]);
    }
  };

  // March 2026 (Asia/Shanghai), a small known shop:
  // A  registered in February, orders 25 Feb (50) and 10 Mar (100) → potential on 10 Mar
  // B  registered 2 Mar, referred by A (an agent), orders 3 Mar (80), views 10 Mar → retained
  // C  registered 5 Mar, order 6 Mar refunded 7 Mar, order 20 Mar (40), nothing after → not retained
  // D  registered 8 Mar, no order
  beforeAll(async () => {
    shop = await lifecycleShop(db());
    for (const [sku, price] of [['P50', 5_000], ['P100', 10_000], ['P80', 8_000], ['P60', 6_000], ['P40', 4_000]] as const) {
      await addProduct(db(), shop, { sku, priceFen: price });
    }
    await live([ev.registered('A', '2026-02-20T04:00:00Z'), ev.purchase('A', 'A-1', 'P50', 5_000, '2026-02-25T04:00:00Z')]);
    await db().query("UPDATE shoppers SET referral_identity = 'agent' WHERE id = $1", [await shopperIdOf(db(), shop, 'A')]);
    await live([
      ev.registered('B', '2026-03-02T04:00:00Z', { referrerOpenid: 'A' }),
      ev.purchase('B', 'B-1', 'P80', 8_000, '2026-03-03T04:00:00Z'),
      ev.registered('C', '2026-03-05T04:00:00Z'),
      ev.purchase('C', 'C-1', 'P60', 6_000, '2026-03-06T04:00:00Z'),
      ev.order('refunded', 'C-1', '2026-03-07T04:00:00Z'),
      ev.registered('D', '2026-03-08T04:00:00Z'),
      ev.purchase('A', 'A-2', 'P100', 10_000, '2026-03-10T04:00:00Z'),
      ev.behaviour('viewed', 'B', '2026-03-10T05:00:00Z', { sku: 'P100' }),
      ev.purchase('C', 'C-2', 'P40', 4_000, '2026-03-20T04:00:00Z'),
    ]);
  });

  it('reads local days as inclusive periods of the shop', async () => {
    expect(await resolvePeriod(db(), shop, { from: '2026-03-01', to: '2026-03-31' }, new Date())).toEqual({
      from: new Date('2026-02-28T16:00:00Z'),
      to: new Date('2026-03-31T16:00:00Z'),
    });
    await expect(resolvePeriod(db(), shop, { from: '2026-03-31', to: '2026-03-01' }, new Date())).rejects.toThrow(/before/);
    await expect(resolvePeriod(db(), shop, { from: '2026-02-30' }, new Date())).rejects.toThrow(/calendar day/);
  });

  it('computes distribution, movements and outcome metrics of March from the data', async () => {
    const period = await resolvePeriod(db(), shop, { from: '2026-03-01', to: '2026-03-31' }, new Date());
    const r = await tierReport(db(), shop, period);
    expect(r.distribution).toEqual([
      { tier: 'new', shoppers: 1, share: 0.25 },
      { tier: 'converted', shoppers: 2, share: 0.5 },
      { tier: 'potential', shoppers: 1, share: 0.25 },
      { tier: 'core', shoppers: 0, share: 0 },
      { tier: 'laotie', shoppers: 0, share: 0 },
    ]);
    expect(r.totalShoppers).toBe(4);
    expect(r.movements).toEqual([
      { from: 'converted', to: 'potential', direction: 'up', count: 1 },
      { from: 'new', to: 'converted', direction: 'up', count: 2 },
    ]);
    expect(r).toMatchObject({ promotions: 3, demotions: 0 });
    expect(r.outcomes).toEqual({
      orders: 3,
      gmvFen: 22_000,
      aovFen: 7_333,
      retention30d: { cohort: 2, retained: 1, rate: 0.5 },
      repurchase: { buyers: 3, repeatBuyers: 1, rate: 0.3333 },
      newShoppers: { total: 3, referred: 1, referralShare: 0.3333 },
      // B's 80 yuan earned A (an agent) the 10 % direct reward: 8 yuan
      referral: { gmvFen: 8_000, rewardCostFen: 800, roi: 10 },
    });
  });

  it('shows the distribution as it was at the end of an earlier period', async () => {
    const feb = await tierReport(db(), shop, await resolvePeriod(db(), shop, { from: '2026-02-01', to: '2026-02-28' }, new Date()));
    expect(feb.distribution.filter((d) => d.shoppers > 0)).toEqual([{ tier: 'converted', shoppers: 1, share: 1 }]);
    expect(feb.outcomes).toMatchObject({ orders: 1, gmvFen: 5_000, newShoppers: { total: 1, referred: 0, referralShare: 0 } });
  });
});
