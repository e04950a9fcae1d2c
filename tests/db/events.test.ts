import { beforeAll, expect, it } from 'vitest';
import { createIntegrationKey, revokeIntegrationKey, shopOfIntegrationKey } from '../../src/domain/events/integrationKeys.ts';
import { describeDb } from '../helpers/db.ts';
import { addProduct, ev, ingest, lifecycleShop, shopperIdOf } from './lifecycleFixtures.ts';

const NOW = '2026-03-15T02:00:00Z';

describeDb('events in', (db) => {
  let shop: string;
  beforeAll(async () => {
    shop = await lifecycleShop(db());
    await addProduct(db(), shop, { sku: 'MASK-1', priceFen: 4_400 });
    await addProduct(db(), shop, { sku: 'SERUM-1', priceFen: 12_900, category: '精华' });
  });

  it('applies a registration and an order through its life, with items, amounts and timestamps', async () => {
    const r = await ingest(db(), shop, [
      ev.registered('o-life', '2026-03-01T01:00:00Z', { birthday: '1996-03-20', skinType: 'oily' }),
      ev.order('created', 'N-LIFE', '2026-03-10T01:00:00Z', {
        openid: 'o-life',
        items: [{ sku: 'MASK-1', quantity: 2, unitPriceFen: 4_400 }],
        amounts: { discountFen: 800, shippingFen: 1_000, payFen: 9_000 },
      }),
      ev.order('paid', 'N-LIFE', '2026-03-10T01:05:00Z'),
      ev.order('shipped', 'N-LIFE', '2026-03-11T01:00:00Z'),
      ev.order('delivered', 'N-LIFE', '2026-03-12T01:00:00Z'),
    ], NOW);
    expect(r.rejected).toEqual([]);
    expect(r.accepted).toHaveLength(5);
    const { rows } = await db().query<{ status: string; items_fen: number; pay_fen: number; paid_at: Date; delivered_at: Date }>(
      "SELECT status, items_fen, pay_fen, paid_at, delivered_at FROM orders WHERE shop_id = $1 AND order_no = 'N-LIFE'",
      [shop],
    );
    expect(rows[0]).toMatchObject({ status: 'delivered', items_fen: 8_800, pay_fen: 9_000 });
    expect(rows[0]!.paid_at.toISOString()).toBe('2026-03-10T01:05:00.000Z');
    const items = await db().query('SELECT quantity FROM order_items WHERE shop_id = $1', [shop]);
    expect(items.rows).toEqual([{ quantity: 2 }]);
  });

  it("rejects an order over the operator's ceiling (ORDER_MAX_FEN) as one that will never apply, and takes one at it", async () => {
    const never = (what: string) => `data: ${what} fen is over the ceiling of 50000 fen per order (ORDER_MAX_FEN): this event will never apply`;
    const order = (no: string, data: Record<string, unknown>) => ev.order('created', no, '2026-03-10T01:00:00Z', { openid: 'o-big', ...data }, no);
    const r = await ingest(
      db(),
      shop,
      [
        ev.registered('o-big', '2026-03-01T01:00:00Z'),
        order('BIG-ITEMS', { items: [{ sku: 'SERUM-1', quantity: 4, unitPriceFen: 12_900 }] }),
        order('BIG-SHIPPING', { items: [{ sku: 'MASK-1', quantity: 1, unitPriceFen: 4_400 }], amounts: { shippingFen: 60_000 } }),
        order('BIG-TOTAL', { items: [{ sku: 'SERUM-1', quantity: 3, unitPriceFen: 12_900 }], amounts: { shippingFen: 15_000 } }),
        order('BIG-QUANTITY', { items: [{ sku: 'MASK-1', quantity: 1_000, unitPriceFen: 1 }] }),
        order('AT-CEILING', { items: [{ sku: 'SERUM-1', quantity: 1, unitPriceFen: 50_000 }] }),
      ],
      NOW,
      50_000,
    );
    expect(r.rejected).toEqual([
      { id: 'BIG-ITEMS', index: 1, reason: never('items total 51600') },
      { id: 'BIG-SHIPPING', index: 2, reason: never('amounts.shippingFen 60000') },
      { id: 'BIG-TOTAL', index: 3, reason: never('order total 53700') },
      { id: 'BIG-QUANTITY', index: 4, reason: 'data.items.0.quantity: at most 999 of one item in an order: this event will never apply' },
    ]);
    expect(r.accepted).toHaveLength(2);
    const { rows } = await db().query<{ order_no: string }>("SELECT order_no FROM orders WHERE shop_id = $1 AND order_no LIKE 'BIG-%'", [shop]);
    expect(rows).toEqual([]);
  });

  it('acknowledges a replayed event as duplicate and applies it only once', async () => {
    const view = ev.behaviour('viewed', 'o-life', '2026-03-13T01:00:00Z', { sku: 'SERUM-1', dwellSeconds: 60 }, 'view-once');
    const first = await ingest(db(), shop, [view], NOW);
    const again = await ingest(db(), shop, [view, view], NOW);
    expect(first.accepted).toEqual(['view-once']);
    expect(again).toEqual({ accepted: [], duplicate: ['view-once', 'view-once'], rejected: [] });
    const id = await shopperIdOf(db(), shop, 'o-life');
    const { rows } = await db().query<{ n: number }>("SELECT count(*) AS n FROM behaviour_events WHERE shopper_id = $1 AND kind = 'view'", [id]);
    expect(rows[0]!.n).toBe(1);
  });

  it('rejects bad events with their reason and still applies the valid ones around them', async () => {
    const r = await ingest(db(), shop, [
      { id: 'bad-type', type: 'order.exploded', occurredAt: '2026-03-13T01:00:00Z', data: {} },
      { type: 'shopper.viewed', occurredAt: '2026-03-13T01:00:00Z', data: { openid: 'o-life' } },
      'not an event',
      ev.behaviour('favourited', 'o-life', '2026-03-13T01:00:00Z', {}, 'fav-no-sku'),
      ev.behaviour('favourited', 'o-life', '2026-03-13T01:00:00Z', { sku: 'NOPE' }, 'fav-unknown-sku'),
      ev.behaviour('favourited', 'o-life', '2026-03-13T01:00:00Z', { sku: 'MASK-1' }, 'fav-ok'),
      ev.order('delivered', 'N-EARLY', '2026-03-13T01:00:00Z', {}, 'deliver-unknown'),
      ev.order('created', 'N-EARLY', '2026-03-13T01:00:00Z', { openid: 'o-life', items: [{ sku: 'MASK-1', quantity: 1, unitPriceFen: 4_400 }] }, 'create-early'),
      ev.order('delivered', 'N-EARLY', '2026-03-13T02:00:00Z', {}, 'deliver-before-paid'),
      ev.order('paid', 'N-EARLY', '2026-03-13T00:00:00Z', {}, 'paid-before-created'),
      ev.order('created', 'N-BADSUM', '2026-03-13T01:00:00Z', { openid: 'o-life', items: [{ sku: 'MASK-1', quantity: 1, unitPriceFen: 4_400 }], amounts: { payFen: 1 } }, 'bad-sum'),
      ev.behaviour('viewed', 'o-nobody', '2026-03-13T01:00:00Z', {}, 'unknown-shopper'),
      ev.behaviour('viewed', 'o-life', '2026-03-16T01:00:00Z', {}, 'future'),
      ev.order('paid', 'N-EARLY', '2026-03-13T03:00:00Z', {}, 'paid-ok'),
    ], NOW);
    expect(r.accepted).toEqual(['fav-ok', 'create-early', 'paid-ok']);
    expect(r.duplicate).toEqual([]);
    const reasons = Object.fromEntries(r.rejected.map((x) => [x.id ?? `#${x.index}`, x.reason]));
    expect(reasons['bad-type']).toMatch(/type/);
    expect(reasons['#1']).toMatch(/id/);
    expect(reasons['#2']).toBeDefined();
    expect(reasons['fav-no-sku']).toMatch(/sku is required/);
    expect(reasons['fav-unknown-sku']).toBe('unknown sku NOPE');
    expect(reasons['deliver-unknown']).toBe('unknown order N-EARLY');
    expect(reasons['deliver-before-paid']).toBe('order N-EARLY cannot become delivered from created');
    expect(reasons['paid-before-created']).toMatch(/before its last step/);
    expect(reasons['bad-sum']).toMatch(/payFen 1 is not/);
    expect(reasons['unknown-shopper']).toMatch(/unknown shopper o-nobody/);
    expect(reasons['future']).toMatch(/in the future/);
  });

  it('applies the same event id sent in two concurrent batches exactly once', async () => {
    await ingest(db(), shop, [ev.registered('o-race', '2026-03-01T01:00:00Z')], NOW);
    const batch = [
      ev.purchase('o-race', 'N-RACE', 'SERUM-1', 12_900, '2026-03-14T01:00:00Z', 'race-paid'),
      ev.behaviour('shared', 'o-race', '2026-03-14T02:00:00Z', { sku: 'MASK-1' }, 'race-share'),
      ev.behaviour('viewed', 'o-race', '2026-03-14T03:00:00Z', { sku: 'SERUM-1' }, 'race-view'),
    ];
    const results = await Promise.all([ingest(db(), shop, batch, NOW), ingest(db(), shop, batch, NOW), ingest(db(), shop, batch, NOW)]);
    const accepted = results.flatMap((r) => r.accepted).sort();
    const duplicate = results.flatMap((r) => r.duplicate);
    expect(accepted).toEqual(['race-paid', 'race-share', 'race-view']);
    expect(duplicate).toHaveLength(6);
    expect(results.flatMap((r) => r.rejected)).toEqual([]);
    const id = await shopperIdOf(db(), shop, 'o-race');
    const counts = await db().query<{ events: number; orders: number; points: number; coupons: number }>(
      `SELECT (SELECT count(*) FROM behaviour_events WHERE shopper_id = $1) AS events,
              (SELECT count(*) FROM orders WHERE shopper_id = $1) AS orders,
              (SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE shopper_id = $1) AS points,
              (SELECT count(*) FROM coupons WHERE shopper_id = $1) AS coupons`,
      [id],
    );
    // share → 100 points once; the first paid order → one second-purchase coupon
    expect(counts.rows[0]).toEqual({ events: 2, orders: 1, points: 100, coupons: 1 });
  });

  it('records tracking steps for a paid order and refuses them for an unpaid one', async () => {
    const step = (id: string, orderNo: string, status: string, at: string) => ({
      id,
      type: 'shipment.tracking',
      occurredAt: at,
      data: { orderNo, carrier: '顺丰速运', trackingNo: `SF-${orderNo}`, status, event: { at, location: '杭州', description: `${status} 杭州` } },
    });
    await ingest(db(), shop, [
      ev.order('created', 'N-SHIP', '2026-03-13T01:00:00Z', { openid: 'o-life', items: [{ sku: 'MASK-1', quantity: 1, unitPriceFen: 4_400 }] }),
    ], NOW);
    const early = await ingest(db(), shop, [step('t-unpaid', 'N-SHIP', 'in_transit', '2026-03-13T02:00:00Z')], NOW);
    expect(early.rejected[0]!.reason).toMatch(/never paid/);
    await ingest(db(), shop, [ev.order('paid', 'N-SHIP', '2026-03-13T01:10:00Z')], NOW);
    const r = await ingest(db(), shop, [
      step('t-1', 'N-SHIP', 'in_transit', '2026-03-13T06:00:00Z'),
      step('t-3', 'N-SHIP', 'delivered', '2026-03-14T06:00:00Z'),
      step('t-2', 'N-SHIP', 'out_for_delivery', '2026-03-14T01:00:00Z'),
    ], NOW);
    expect(r.accepted).toEqual(['t-1', 't-3', 't-2']);
    const { rows } = await db().query<{ status: string; ship_by: Date; steps: number }>(
      `SELECT s.status, s.ship_by, (SELECT count(*) FROM tracking_events t WHERE t.shipment_id = s.id) AS steps
         FROM shipments s WHERE s.shop_id = $1 AND s.tracking_no = 'SF-N-SHIP'`,
      [shop],
    );
    // a late step does not set the status back; ship-by is paid_at + the 48 h promise
    expect(rows[0]).toMatchObject({ status: 'delivered', steps: 3 });
    expect(rows[0]!.ship_by.toISOString()).toBe('2026-03-15T01:10:00.000Z');
  });

  it('binds referrers without cycles and hands paid and refunded orders to the referral engine', async () => {
    const r = await ingest(db(), shop, [
      ev.registered('o-boss', '2026-03-01T01:00:00Z'),
      ev.registered('o-fan', '2026-03-02T01:00:00Z', { referrerOpenid: 'o-boss' }),
      { id: 'cycle', type: 'referral.bound', occurredAt: '2026-03-03T01:00:00Z', data: { openid: 'o-boss', referrerOpenid: 'o-fan' } },
      { id: 'self', type: 'referral.bound', occurredAt: '2026-03-03T01:00:00Z', data: { openid: 'o-life', referrerOpenid: 'o-life' } },
    ], NOW);
    expect(r.rejected.map((x) => x.id)).toEqual(['cycle', 'self']);
    const boss = await shopperIdOf(db(), shop, 'o-boss');
    const fan = await shopperIdOf(db(), shop, 'o-fan');
    await db().query("UPDATE shoppers SET referral_identity = 'agent' WHERE id = $1", [boss]);
    await ingest(db(), shop, [ev.purchase('o-fan', 'N-FAN', 'SERUM-1', 12_900, '2026-03-14T01:00:00Z')], NOW);
    const credits = await db().query<{ beneficiary_id: number; amount_fen: number; state: string }>(
      'SELECT beneficiary_id, amount_fen, state FROM reward_ledger WHERE shop_id = $1 AND buyer_id = $2',
      [shop, fan],
    );
    expect(credits.rows).toContainEqual({ beneficiary_id: boss, amount_fen: 1_290, state: 'pending' });
    const boss_tags = await db().query<{ tags: { referral: { referredUsers: number; referredBuyers: number } } }>(
      'SELECT tags FROM shoppers WHERE id = $1',
      [boss],
    );
    expect(boss_tags.rows[0]!.tags.referral).toMatchObject({ referredUsers: 1, referredBuyers: 1 });
    await ingest(db(), shop, [ev.order('refunded', 'N-FAN', '2026-03-14T05:00:00Z')], NOW);
    const after = await db().query<{ state: string }>('SELECT state FROM reward_ledger WHERE shop_id = $1 AND buyer_id = $2', [shop, fan]);
    expect(after.rows.every((x) => x.state === 'reversed')).toBe(true);
  });

  it('authenticates integration keys by hash, per shop, until revoked', async () => {
    const k = await createIntegrationKey(db(), shop, 'mall');
    expect(k.key).toMatch(/^ltk_/);
    expect(await shopOfIntegrationKey(db(), k.key)).toBe(shop);
    expect(await shopOfIntegrationKey(db(), k.key + 'x')).toBeNull();
    const stored = await db().query<{ key_hash: string }>('SELECT key_hash FROM shop_integration_keys WHERE id = $1', [k.id]);
    expect(stored.rows[0]!.key_hash).not.toContain(k.key.slice(4));
    await revokeIntegrationKey(db(), shop, k.id, new Date(NOW));
    expect(await shopOfIntegrationKey(db(), k.key)).toBeNull();
  });
});
