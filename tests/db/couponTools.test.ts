import { beforeAll, expect, it } from 'vitest';
import { claimCoupon } from '../../tools/claimCoupon.ts';
import { runTool, toolError } from '../../tools/defineTool.ts';
import { listCoupons } from '../../tools/listCoupons.ts';
import { describeDb } from '../helpers/db.ts';
import { createCoupon, createCouponTemplate, createShop, createShopper } from '../helpers/fixtures.ts';
import { shopperContext } from '../helpers/toolContext.ts';

interface Listed {
  usable: { name: string; rule: string; validUntil: string }[];
  claimable: { couponCode: string; name: string; rule: string; remaining: number | null }[];
}

// "Now" is 2026-03-15T02:00Z.
describeDb('coupon tools', (db) => {
  let shop: string;
  let otherShop: string;
  let converted: number;
  let core: number;
  const ctxOf = (shopperId: number) => shopperContext(db(), shop, shopperId);
  const couponsOfTemplate = async (code: string) =>
    (
      await db().query<{ n: number; issued: number }>(
        `SELECT (SELECT count(*) FROM coupons c WHERE c.template_id = t.id) AS n, t.issued_count AS issued
           FROM coupon_templates t WHERE t.shop_id = $1 AND t.code = $2`,
        [shop, code],
      )
    ).rows[0]!;

  beforeAll(async () => {
    shop = (await createShop(db())).id;
    otherShop = (await createShop(db())).id;
    converted = (await createShopper(db(), { shopId: shop, tier: 'converted' })).id;
    core = (await createShopper(db(), { shopId: shop, tier: 'core' })).id;
    await createCouponTemplate(db(), { shopId: shop, code: 'NEW30', name: '新客满减券', thresholdFen: 12_000, amountFen: 3_000, validDays: 7 });
    await createCouponTemplate(db(), { shopId: shop, code: 'VIP8', name: '会员8折券', kind: 'discount', percentOff: 20, audienceTiers: ['core', 'laotie'] });
    await createCouponTemplate(db(), { shopId: shop, code: 'SOON', startsAt: '2026-03-20T00:00:00Z' });
    await createCouponTemplate(db(), { shopId: shop, code: 'OVER', endsAt: '2026-03-01T00:00:00Z' });
    await createCouponTemplate(db(), { shopId: shop, code: 'OFF', active: false });
    await createCouponTemplate(db(), { shopId: shop, code: 'BDAY', name: '生日券', trigger: 'birthday', thresholdFen: 15_000, amountFen: 5_000 });
    await createCouponTemplate(db(), { shopId: otherShop, code: 'ELSEWHERE' });
  });

  it('lists the usable coupons with their rule and the ones that can be claimed now', async () => {
    const shopper = (await createShopper(db(), { shopId: shop })).id;
    const bday = (await db().query<{ id: number }>("SELECT id FROM coupon_templates WHERE shop_id = $1 AND code = 'BDAY'", [shop])).rows[0]!.id;
    const base = { shopId: shop, shopperId: shopper, templateId: bday };
    await createCoupon(db(), { ...base, validFrom: '2026-03-01T00:00:00Z', validUntil: '2026-03-31T00:00:00Z' });
    await createCoupon(db(), { ...base, validFrom: '2026-02-01T00:00:00Z', validUntil: '2026-03-01T00:00:00Z' });
    await createCoupon(db(), { ...base, status: 'used', validFrom: '2026-03-01T00:00:00Z', validUntil: '2026-03-31T00:00:00Z' });

    const r = (await runTool(listCoupons, await ctxOf(shopper), {})) as Listed;
    expect(r.usable).toEqual([{ name: '生日券', rule: '满150减50', minSpendFen: 15000, validUntil: '2026-03-31T00:00:00.000Z' }]);
    expect(r.claimable.map((t) => t.couponCode)).toEqual(['NEW30']);
    expect(r.claimable[0]).toMatchObject({ rule: '满120减30', remaining: null });
  });

  it('claims a coupon valid for its template\'s days and then lists it as usable, not claimable', async () => {
    const shopper = (await createShopper(db(), { shopId: shop })).id;
    const ctx = await ctxOf(shopper);
    expect(await runTool(claimCoupon, ctx, { couponCode: 'NEW30' })).toEqual({
      claimed: true,
      name: '新客满减券',
      rule: '满120减30',
      validFrom: '2026-03-15T02:00:00.000Z',
      validUntil: '2026-03-22T02:00:00.000Z',
    });
    const r = (await runTool(listCoupons, ctx, {})) as Listed;
    expect(r.usable.map((c) => c.rule)).toEqual(['满120减30']);
    expect(r.claimable).toEqual([]);
  });

  it('issues exactly one coupon when one shopper claims twenty times at once', async () => {
    const code = 'ONCE';
    await createCouponTemplate(db(), { shopId: shop, code, perShopperLimit: 1 });
    const ctx = await ctxOf(converted);
    const results = await Promise.all(Array.from({ length: 20 }, () => runTool(claimCoupon, ctx, { couponCode: code })));
    expect(results.filter((r) => 'claimed' in r && r.claimed)).toHaveLength(1);
    const refused = results.filter((r) => 'claimed' in r && !r.claimed);
    expect(refused).toHaveLength(19);
    expect(new Set(refused.map((r) => ('reason' in r ? r.reason : null)))).toEqual(new Set(['limit_reached']));
    expect(await couponsOfTemplate(code)).toEqual({ n: 1, issued: 1 });
  });

  it('never issues more than the total quantity when twenty shoppers claim at once', async () => {
    const code = 'FLASH5';
    await createCouponTemplate(db(), { shopId: shop, code, totalQuantity: 5 });
    const contexts = [];
    for (let i = 0; i < 20; i++) contexts.push(await ctxOf((await createShopper(db(), { shopId: shop })).id));
    const results = await Promise.all(contexts.map((ctx) => runTool(claimCoupon, ctx, { couponCode: code })));
    expect(results.filter((r) => 'claimed' in r && r.claimed)).toHaveLength(5);
    expect(results.filter((r) => 'reason' in r && r.reason === 'sold_out')).toHaveLength(15);
    expect(await couponsOfTemplate(code)).toEqual({ n: 5, issued: 5 });
  });

  it('keeps a tier-only coupon from shoppers outside its audience', async () => {
    const refused = await runTool(claimCoupon, await ctxOf(converted), { couponCode: 'VIP8' });
    expect(refused).toEqual({ claimed: false, reason: 'not_in_audience', message: expect.stringContaining('核心用户') });
    const listed = (await runTool(listCoupons, await ctxOf(converted), {})) as Listed;
    expect(listed.claimable.map((t) => t.couponCode)).not.toContain('VIP8');

    const coreList = (await runTool(listCoupons, await ctxOf(core), {})) as Listed;
    expect(coreList.claimable.find((t) => t.couponCode === 'VIP8')).toMatchObject({ rule: '8折' });
    expect(await runTool(claimCoupon, await ctxOf(core), { couponCode: 'VIP8' })).toMatchObject({ claimed: true, rule: '8折' });
    expect(await couponsOfTemplate('VIP8')).toEqual({ n: 1, issued: 1 });
  });

  it('refuses coupons outside their claiming period', async () => {
    const ctx = await ctxOf(converted);
    expect(await runTool(claimCoupon, ctx, { couponCode: 'SOON' })).toMatchObject({ claimed: false, reason: 'not_started', message: expect.stringContaining('2026-03-20') });
    expect(await runTool(claimCoupon, ctx, { couponCode: 'OVER' })).toMatchObject({ claimed: false, reason: 'ended' });
    expect(await runTool(claimCoupon, ctx, { couponCode: 'OFF' })).toMatchObject({ claimed: false, reason: 'ended' });
  });

  it("treats policy coupons and other shops' codes as unknown", async () => {
    const ctx = await ctxOf(converted);
    const unknown = toolError('not_found', 'coupon not found');
    expect(await runTool(claimCoupon, ctx, { couponCode: 'NOPE' })).toEqual(unknown);
    expect(await runTool(claimCoupon, ctx, { couponCode: 'BDAY' })).toEqual(unknown);
    expect(await runTool(claimCoupon, ctx, { couponCode: 'ELSEWHERE' })).toEqual(unknown);
  });

  it('validates the claim input', async () => {
    const ctx = await ctxOf(converted);
    expect(await runTool(claimCoupon, ctx, { couponCode: '' })).toMatchObject({ error: { code: 'invalid' } });
    expect(await runTool(claimCoupon, ctx, {})).toMatchObject({ error: { code: 'invalid' } });
  });
});
