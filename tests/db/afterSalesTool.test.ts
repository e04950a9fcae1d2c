import { beforeAll, expect, it } from 'vitest';
import { createAfterSales } from '../../tools/createAfterSales.ts';
import { runTool } from '../../tools/defineTool.ts';
import { getOrder } from '../../tools/getOrder.ts';
import { describeDb } from '../helpers/db.ts';
import { createOrder, createShop, createShopper, type OrderSpec } from '../helpers/fixtures.ts';
import { shopperContext } from '../helpers/toolContext.ts';

// "Now" is 2026-03-15T02:00Z (10:00 in Shanghai); shop A keeps the default 7-day return window.
describeDb('after-sales tool', (db) => {
  let shopA: string;
  let alice: number;
  const asAlice = () => shopperContext(db(), shopA, alice);
  const requestsOf = async (orderNo: string) =>
    (
      await db().query<{ n: number }>(
        'SELECT count(*) AS n FROM after_sales a JOIN orders o ON o.id = a.order_id WHERE o.order_no = $1',
        [orderNo],
      )
    ).rows[0]!.n;
  const order = (o: Partial<OrderSpec>) =>
    createOrder(db(), { shopId: shopA, shopperId: alice, items: [{ unitPriceFen: 12_900 }], ...o });

  beforeAll(async () => {
    shopA = (await createShop(db())).id;
    alice = (await createShopper(db(), { shopId: shopA })).id;
  });

  it('accepts a return of a delivered order inside the window, for the amount paid', async () => {
    const { orderNo } = await order({ status: 'delivered', deliveredAt: '2026-03-12T02:00:00Z', discountFen: 1_000 });
    // An amount from the model is not part of the input: it is dropped, the stored pay_fen is used.
    const r = await runTool(createAfterSales, await asAlice(), { orderNo, kind: 'return', reason: '用了过敏', amountFen: 1 });
    expect(r).toMatchObject({
      accepted: true,
      requestNo: `AS${orderNo}-1`,
      kind: 'return',
      status: 'requested',
      amountFen: 11_900,
      amount: '¥119.00',
      needsStaffReview: false,
      next: expect.stringContaining('¥119.00'),
    });
    const { rows } = await db().query<{ amount_fen: number; reason: string; shopper_id: number }>(
      'SELECT amount_fen, reason, shopper_id FROM after_sales WHERE request_no = $1',
      [`AS${orderNo}-1`],
    );
    expect(rows).toEqual([{ amount_fen: 11_900, reason: '用了过敏', shopper_id: alice }]);
  });

  it('refuses after the return window with the date it closed', async () => {
    // Delivered 2026-03-07 18:00Z: the 7-day window closed 2026-03-14 18:00Z, i.e. 03-15 02:00 in Shanghai.
    const { orderNo } = await order({ status: 'delivered', deliveredAt: '2026-03-07T18:00:00Z' });
    const r = await runTool(createAfterSales, await asAlice(), { orderNo, kind: 'exchange', reason: '颜色不喜欢' });
    expect(r).toEqual({
      accepted: false,
      reason: 'window_closed',
      message: expect.stringContaining('2026-03-15'),
      windowClosedAt: '2026-03-14T18:00:00.000Z',
    });
    expect(await requestsOf(orderNo)).toBe(0);
  });

  it("uses the shop's own return window", async () => {
    const shop = (await createShop(db(), { settings: { returnWindowDays: 15 } })).id;
    const shopper = (await createShopper(db(), { shopId: shop })).id;
    const { orderNo } = await createOrder(db(), { shopId: shop, shopperId: shopper, status: 'completed', deliveredAt: '2026-03-07T18:00:00Z' });
    const r = await runTool(createAfterSales, await shopperContext(db(), shop, shopper), { orderNo, kind: 'return', reason: '质量问题' });
    expect(r).toMatchObject({ accepted: true });
  });

  it('refuses orders that are unpaid, cancelled, refunded or still on the way', async () => {
    const ctx = await asAlice();
    for (const status of ['created', 'cancelled', 'refunded', 'shipped'] as const) {
      const { orderNo } = await order({ status });
      const r = await runTool(createAfterSales, ctx, { orderNo, kind: 'refund', reason: '不想要了' });
      expect(r).toMatchObject({ accepted: false, reason: 'not_eligible_status', message: expect.any(String) });
      expect(await requestsOf(orderNo)).toBe(0);
    }
  });

  it('allows only a refund for a paid order that has not shipped', async () => {
    const ctx = await asAlice();
    const { orderNo } = await order({ status: 'paid', paidAt: '2026-03-15T01:00:00Z' });
    expect(await runTool(createAfterSales, ctx, { orderNo, kind: 'return', reason: '拍错了' })).toMatchObject({
      accepted: false,
      reason: 'not_eligible_status',
      message: expect.stringContaining('退款'),
    });
    expect(await runTool(createAfterSales, ctx, { orderNo, kind: 'refund', reason: '拍错了' })).toMatchObject({
      accepted: true,
      kind: 'refund',
      amountFen: 12_900,
      next: expect.stringContaining('停止发货'),
    });
  });

  it('sends a refund above the shop\'s threshold to a person for review', async () => {
    // Default threshold ¥500.00.
    const { orderNo } = await order({ status: 'paid', paidAt: '2026-03-15T01:00:00Z', items: [{ unitPriceFen: 60_000 }] });
    expect(await runTool(createAfterSales, await asAlice(), { orderNo, kind: 'refund', reason: '拍错了' })).toMatchObject({
      accepted: true,
      amount: '¥600.00',
      needsStaffReview: true,
    });
  });

  it('refuses a second request for the same order and shows the first one on the order', async () => {
    const ctx = await asAlice();
    const { orderNo } = await order({ status: 'delivered', deliveredAt: '2026-03-13T02:00:00Z' });
    expect(await runTool(createAfterSales, ctx, { orderNo, kind: 'exchange', reason: '尺码不对' })).toMatchObject({ accepted: true });
    expect(await runTool(createAfterSales, ctx, { orderNo, kind: 'return', reason: '还是退了吧' })).toMatchObject({
      accepted: false,
      reason: 'already_requested',
    });
    const detail = await runTool(getOrder, ctx, { orderNo });
    expect(detail).toMatchObject({
      afterSales: { kind: 'exchange', status: 'requested', statusLabel: expect.any(String) },
      afterSalesEligible: false,
      afterSalesReason: { code: 'already_requested' },
    });
  });

  it('lets exactly one of two concurrent requests on one order through', async () => {
    const ctx = await asAlice();
    const { orderNo } = await order({ status: 'delivered', deliveredAt: '2026-03-13T02:00:00Z' });
    const results = await Promise.all([
      runTool(createAfterSales, ctx, { orderNo, kind: 'return', reason: '破损' }),
      runTool(createAfterSales, ctx, { orderNo, kind: 'refund', reason: '破损' }),
    ]);
    expect(results.filter((r) => 'accepted' in r && r.accepted)).toHaveLength(1);
    expect(results.filter((r) => 'accepted' in r && !r.accepted)).toEqual([expect.objectContaining({ reason: 'already_requested' })]);
    expect(await requestsOf(orderNo)).toBe(1);
  });

  it('validates the input before acting', async () => {
    const ctx = await asAlice();
    const { orderNo } = await order({ status: 'delivered', deliveredAt: '2026-03-13T02:00:00Z' });
    for (const bad of [
      { orderNo, kind: 'steal', reason: '要钱' },
      { orderNo, kind: 'return', reason: '' },
      { orderNo, kind: 'return', reason: '太'.repeat(501) },
      { orderNo: '', kind: 'return', reason: '破损' },
    ]) {
      expect(await runTool(createAfterSales, ctx, bad)).toMatchObject({ error: { code: 'invalid' } });
    }
    expect(await requestsOf(orderNo)).toBe(0);
  });
});
