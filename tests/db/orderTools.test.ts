import { beforeAll, expect, it } from 'vitest';
import { createAfterSales } from '../../tools/createAfterSales.ts';
import { runTool, toolError, type ToolDef } from '../../tools/defineTool.ts';
import { getOrder } from '../../tools/getOrder.ts';
import { listOrders } from '../../tools/listOrders.ts';
import { trackShipment } from '../../tools/trackShipment.ts';
import { describeDb } from '../helpers/db.ts';
import { createOrder, createProduct, createShop, createShopper } from '../helpers/fixtures.ts';
import { shopperContext } from '../helpers/toolContext.ts';

// "Now" is 2026-03-15T02:00Z (10:00 in Shanghai); the shop promises shipping within 48 h.
describeDb('order tools', (db) => {
  const NOT_FOUND = toolError('not_found', 'order not found');
  let shopA: string;
  let shopB: string;
  let alice: number;
  let bob: number;
  let carol: number;
  const o = {} as Record<'delivered' | 'transit' | 'onTrack' | 'atRisk' | 'late' | 'cancelled' | 'unpaid' | 'bobs' | 'carolsLate', string>;

  beforeAll(async () => {
    shopA = (await createShop(db())).id;
    shopB = (await createShop(db(), { settings: { shippingPromiseHours: 24 } })).id;
    alice = (await createShopper(db(), { shopId: shopA, phone: '13812345678' })).id;
    bob = (await createShopper(db(), { shopId: shopA })).id;
    carol = (await createShopper(db(), { shopId: shopB })).id;
    const serum = await createProduct(db(), { shopId: shopA, name: '修护精华', priceFen: 12_900 });
    const mask = await createProduct(db(), { shopId: shopA, name: '补水面膜', category: '面膜', priceFen: 5_900 });
    const mine = { shopId: shopA, shopperId: alice };

    o.delivered = (
      await createOrder(db(), {
        ...mine,
        orderNo: 'LT-SAME-0001',
        status: 'delivered',
        createdAt: '2026-03-08T02:00:00Z',
        items: [
          { productId: serum.id, name: serum.name, unitPriceFen: 12_900, quantity: 1 },
          { productId: mask.id, name: mask.name, unitPriceFen: 5_900, quantity: 2 },
        ],
        discountFen: 3_000,
        shipment: { carrier: '顺丰速运', trackingNo: 'SF1000000001', events: [{ at: '2026-03-09T03:00:00Z', description: '已揽收' }] },
      })
    ).orderNo;
    o.transit = (
      await createOrder(db(), {
        ...mine,
        status: 'shipped',
        createdAt: '2026-03-13T02:00:00Z',
        shipment: {
          carrier: '中通快递',
          trackingNo: 'ZT2000000002',
          eta: new Date('2026-03-16T10:00:00Z'),
          // Recorded out of order: the trail is still told in time order.
          events: [
            { at: '2026-03-14T12:00:00Z', location: '杭州', description: '到达杭州转运中心' },
            { at: '2026-03-14T03:00:00Z', location: '杭州', description: '已揽收' },
            { at: '2026-03-15T00:30:00Z', location: '杭州', description: '离开杭州，发往上海' },
          ],
        },
      })
    ).orderNo;
    o.onTrack = (await createOrder(db(), { ...mine, status: 'paid', createdAt: '2026-03-14T19:55:00Z', paidAt: '2026-03-14T20:00:00Z' })).orderNo;
    o.atRisk = (await createOrder(db(), { ...mine, status: 'paid', createdAt: '2026-03-13T11:55:00Z', paidAt: '2026-03-13T12:00:00Z' })).orderNo;
    o.late = (
      await createOrder(db(), {
        ...mine,
        status: 'paid',
        createdAt: '2026-03-12T19:55:00Z',
        paidAt: '2026-03-12T20:00:00Z',
        // Booked with the carrier but not picked up; the supplier's recorded ship_by wins.
        shipment: { carrier: '圆通速递', trackingNo: 'YT3000000003', status: 'pending', shipBy: new Date('2026-03-14T22:00:00Z') },
      })
    ).orderNo;
    o.cancelled = (await createOrder(db(), { ...mine, status: 'cancelled', createdAt: '2026-02-01T02:00:00Z' })).orderNo;
    o.unpaid = (await createOrder(db(), { ...mine, status: 'created', createdAt: '2026-03-15T01:00:00Z' })).orderNo;

    o.bobs = (await createOrder(db(), { shopId: shopA, shopperId: bob, status: 'delivered', items: [{ name: '补水面膜' }] })).orderNo;
    // Order numbers are unique per shop only: shop B has an order with the same number as Alice's.
    await createOrder(db(), { shopId: shopB, shopperId: carol, orderNo: 'LT-SAME-0001', items: [{ unitPriceFen: 9_900 }] });
    o.carolsLate = (await createOrder(db(), { shopId: shopB, shopperId: carol, status: 'paid', createdAt: '2026-03-14T00:00:00Z', paidAt: '2026-03-14T00:00:00Z' })).orderNo;
  });

  const asAlice = () => shopperContext(db(), shopA, alice);

  it("never shows another shopper's order, even by number", async () => {
    const ctx = await asAlice();
    for (const tool of [getOrder, trackShipment] as ToolDef[]) {
      const theirs = await runTool(tool, ctx, { orderNo: o.bobs });
      const missing = await runTool(tool, ctx, { orderNo: 'LT99999999' });
      expect(theirs).toEqual(NOT_FOUND);
      expect(missing).toEqual(NOT_FOUND);
    }
    const request = { kind: 'return', reason: '不想要了' };
    expect(await runTool(createAfterSales, ctx, { orderNo: o.bobs, ...request })).toEqual(NOT_FOUND);
    expect(await runTool(createAfterSales, ctx, { orderNo: 'LT99999999', ...request })).toEqual(NOT_FOUND);
    const { rows } = await db().query<{ n: number }>('SELECT count(*) AS n FROM after_sales');
    expect(rows[0]!.n).toBe(0);
  });

  it("keeps another shop's orders out of reach, even with the same number", async () => {
    const carolCtx = await shopperContext(db(), shopB, carol);
    expect(await runTool(getOrder, carolCtx, { orderNo: o.transit })).toEqual(NOT_FOUND);
    expect(await runTool(trackShipment, carolCtx, { orderNo: o.transit })).toEqual(NOT_FOUND);

    const carols = (await runTool(getOrder, carolCtx, { orderNo: 'LT-SAME-0001' })) as { amounts: { pay: string } };
    const alices = (await runTool(getOrder, await asAlice(), { orderNo: 'LT-SAME-0001' })) as { amounts: { pay: string } };
    expect(carols.amounts.pay).toBe('¥99.00');
    expect(alices.amounts.pay).toBe('¥217.00');

    const list = (await runTool(listOrders, await asAlice(), { limit: 20 })) as { orders: { orderNo: string }[] };
    expect(list.orders.map((x) => x.orderNo)).not.toContain(o.carolsLate);
  });

  it('lists only the caller\'s orders, most recent first, five by default', async () => {
    const list = (await runTool(listOrders, await asAlice(), {})) as { orders: { orderNo: string }[]; hasMore: boolean };
    expect(list.orders.map((x) => x.orderNo)).toEqual([o.unpaid, o.onTrack, o.atRisk, o.transit, o.late]);
    expect(list.hasMore).toBe(true);

    const all = (await runTool(listOrders, await asAlice(), { limit: 20 })) as { orders: { orderNo: string }[]; hasMore: boolean };
    expect(all.orders).toHaveLength(7);
    expect(all.orders.map((x) => x.orderNo)).not.toContain(o.bobs);
    expect(all.hasMore).toBe(false);
  });

  it('describes each listed order with its label, money, items and parcel', async () => {
    const list = (await runTool(listOrders, await asAlice(), { limit: 20 })) as { orders: Record<string, unknown>[] };
    expect(list.orders.find((x) => x.orderNo === o.delivered)).toEqual({
      orderNo: o.delivered,
      status: 'delivered',
      statusLabel: '已签收',
      createdAt: '2026-03-08T02:00:00.000Z',
      payFen: 21_700,
      pay: '¥217.00',
      items: '修护精华 ×1、补水面膜 ×2',
      products: [
        { productId: expect.any(Number), name: '修护精华', category: '精华', quantity: 1, page: expect.stringMatching(/^\/pages\/goods\/detail\?id=\d+$/) },
        { productId: expect.any(Number), name: '补水面膜', category: '面膜', quantity: 2, page: expect.stringMatching(/^\/pages\/goods\/detail\?id=\d+$/) },
      ],
      shipment: { status: 'delivered', statusLabel: '已签收' },
      afterSales: { open: true, kinds: ['return', 'exchange', 'refund'], note: '可以申请退货、换货或退款，售后期到 2026-03-18 为止。' },
    });
    expect(list.orders.find((x) => x.orderNo === o.transit)!.shipment).toEqual({ status: 'in_transit', statusLabel: '运输中' });
    expect(list.orders.find((x) => x.orderNo === o.onTrack)!.shipment).toBeNull();
  });

  it('filters orders by status, status group, start day in the shop\'s timezone and product keyword', async () => {
    const ctx = await asAlice();
    const numbers = async (input: object) =>
      ((await runTool(listOrders, ctx, { limit: 20, ...input })) as { orders: { orderNo: string }[] }).orders.map((x) => x.orderNo);

    expect(await numbers({ status: 'to_ship' })).toEqual([o.onTrack, o.atRisk, o.late]);
    expect(await numbers({ status: 'cancelled' })).toEqual([o.cancelled]);
    expect(await numbers({ status: 'closed' })).toEqual([o.cancelled]);
    // 2026-03-13 starts at 2026-03-12T16:00Z in Shanghai, so the order placed at 19:55Z on the 12th counts.
    expect(await numbers({ since: '2026-03-13' })).toEqual([o.unpaid, o.onTrack, o.atRisk, o.transit, o.late]);
    expect(await numbers({ since: '2026-03-14T00:00:00+08:00' })).toEqual([o.unpaid, o.onTrack]);
    expect(await numbers({ productKeyword: '面膜' })).toEqual([o.delivered]);
    expect(await numbers({ productKeyword: '%' })).toEqual([]);
  });

  it("finds an order by its item's category when the item's name does not say it", async () => {
    // 洁颜粉 is a 洁面 (cleanser) though its name has no 洁面 in it: "洁面那单" must still find it.
    const cleanser = await createProduct(db(), { shopId: shopA, name: '酵素洁颜粉', category: '洁面', priceFen: 11_900 });
    const dan = (await createShopper(db(), { shopId: shopA })).id;
    const bought = (await createOrder(db(), { shopId: shopA, shopperId: dan, items: [{ productId: cleanser.id, name: cleanser.name }] })).orderNo;
    const ctx = await shopperContext(db(), shopA, dan);
    const numbers = async (input: object) =>
      ((await runTool(listOrders, ctx, { limit: 20, ...input })) as { orders: { orderNo: string }[] }).orders.map((x) => x.orderNo);

    expect(await numbers({ productKeyword: '洁面' })).toEqual([bought]);
    expect(await numbers({ productKeyword: '洁颜' })).toEqual([bought]);
    expect(await numbers({ productKeyword: '面霜' })).toEqual([]);
  });

  it('refuses malformed list filters before touching the database', async () => {
    const ctx = await asAlice();
    for (const bad of [{ limit: 50 }, { status: 'lost' }, { since: 'yesterday' }]) {
      const r = await runTool(listOrders, ctx, bad);
      expect(r).toMatchObject({ error: { code: 'invalid' } });
    }
  });

  it('shows an order in full with a masked phone, a timeline and after-sales eligibility', async () => {
    const r = (await runTool(getOrder, await asAlice(), { orderNo: o.delivered })) as Record<string, unknown>;
    expect(r).toMatchObject({
      orderNo: o.delivered,
      status: 'delivered',
      statusLabel: '已签收',
      amounts: { itemsFen: 24_700, items: '¥247.00', discountFen: 3_000, discount: '¥30.00', shippingFen: 0, payFen: 21_700, pay: '¥217.00' },
      address: { name: '王小红', phone: '138****5678', region: '浙江省杭州市西湖区' },
      shipment: { carrier: '顺丰速运', trackingNo: 'SF1000000001', status: 'delivered', statusLabel: '已签收' },
      afterSales: null,
      afterSalesEligible: true,
      afterSalesReason: { kinds: ['return', 'exchange', 'refund'], windowClosesAt: '2026-03-18T02:00:00.000Z' },
    });
    expect(r.items).toEqual([
      expect.objectContaining({ name: '修护精华', quantity: 1, unitPriceFen: 12_900, unitPrice: '¥129.00' }),
      expect.objectContaining({ name: '补水面膜', quantity: 2, unitPriceFen: 5_900, unitPrice: '¥59.00' }),
    ]);
    expect((r.timeline as { status: string }[]).map((s) => s.status)).toEqual(['created', 'paid', 'shipped', 'delivered']);
    expect(JSON.stringify(r)).not.toContain('13812345678');
    expect(r).not.toHaveProperty('id');
  });

  it('says why an order cannot get after-sales', async () => {
    const r = (await runTool(getOrder, await asAlice(), { orderNo: o.cancelled })) as Record<string, unknown>;
    expect(r.afterSalesEligible).toBe(false);
    expect(r.afterSalesReason).toMatchObject({ code: 'not_eligible_status', message: expect.stringContaining('已取消') });
  });

  it('tells the tracking trail in time order, newest last, with the latest event and ETA', async () => {
    const r = (await runTool(trackShipment, await asAlice(), { orderNo: o.transit })) as {
      shipment: { carrier: string; status: string; statusLabel: string; eta: string; latestEvent: { description: string }; trail: { description: string; at: string }[] };
      dispatch: unknown;
    };
    expect(r.shipment).toMatchObject({ carrier: '中通快递', trackingNo: 'ZT2000000002', status: 'in_transit', statusLabel: '运输中', eta: '2026-03-16T10:00:00.000Z' });
    expect(r.shipment.trail.map((e) => e.description)).toEqual(['已揽收', '到达杭州转运中心', '离开杭州，发往上海']);
    expect(r.shipment.latestEvent.description).toBe('离开杭州，发往上海');
    expect(r.dispatch).toBeNull();
  });

  it('tracks the most recent order with a parcel when no number is given', async () => {
    const r = (await runTool(trackShipment, await asAlice(), {})) as { orderNo: string };
    expect(r.orderNo).toBe(o.transit);
    const none = await runTool(trackShipment, await shopperContext(db(), shopA, bob), {});
    expect(none).toEqual(toolError('not_found', 'shipment not found'));
  });

  it('gives the promised ship-by time of a paid order that has not shipped yet', async () => {
    const r = (await runTool(trackShipment, await asAlice(), { orderNo: o.onTrack })) as Record<string, unknown>;
    expect(r.shipment).toBeNull();
    expect(r.dispatch).toEqual({ shipBy: '2026-03-16T20:00:00.000Z', promiseHours: 48, state: 'on_track', stateLabel: expect.any(String), hoursLeft: 42 });
    expect(r.note).toContain('2026-03-17 04:00');
  });

  it('warns when the 48 h promise is close or already broken', async () => {
    const ctx = await asAlice();
    const atRisk = (await runTool(trackShipment, ctx, { orderNo: o.atRisk })) as { dispatch: { state: string; hoursLeft: number } };
    expect(atRisk.dispatch).toMatchObject({ state: 'at_risk', hoursLeft: 10 });

    const late = (await runTool(trackShipment, ctx, { orderNo: o.late })) as { dispatch: { state: string; shipBy: string }; shipment: { status: string }; note: string };
    expect(late.dispatch).toMatchObject({ state: 'late', shipBy: '2026-03-14T22:00:00.000Z' });
    expect(late.shipment.status).toBe('pending');
    expect(late.note).toContain('超时');
  });

  it("holds each shop to its own shipping promise", async () => {
    // Shop B promises 24 h: paid 26 h ago is late there, though it would be on time under 48 h.
    const r = (await runTool(trackShipment, await shopperContext(db(), shopB, carol), { orderNo: o.carolsLate })) as { dispatch: { state: string; promiseHours: number } };
    expect(r.dispatch).toMatchObject({ state: 'late', promiseHours: 24 });
  });

  it('says an unpaid order will not ship until it is paid', async () => {
    const r = (await runTool(trackShipment, await asAlice(), { orderNo: o.unpaid })) as Record<string, unknown>;
    expect(r).toMatchObject({ orderStatus: 'created', shipment: null, dispatch: null, note: expect.stringContaining('还没有付款') });
  });
});
