// getMembership answers "我现在是什么等级 怎么升级" from the shopper's own data (docs/domain.md §3 Tiers):
// the tier and since when, the benefits the shop's settings give it, and the next tier's conditions
// from the shop's rules in force against the shopper's numbers now.
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { DEFAULT_RULES, saveRules } from '../../src/domain/lifecycle/rules.ts';
import { runTool, type ToolOutput } from '../../tools/defineTool.ts';
import { getMembership } from '../../tools/getMembership.ts';
import { describeDb } from '../helpers/db.ts';
import { createShopper } from '../helpers/fixtures.ts';
import { shopperContext, TEST_NOW } from '../helpers/toolContext.ts';
import { addProduct, ev, ingest, lifecycleShop, shopperIdOf } from './lifecycleFixtures.ts';

type Membership = ToolOutput<typeof getMembership>;

async function membership(db: Db, shopId: string, shopperId: number): Promise<Membership> {
  const out = await runTool(getMembership, await shopperContext(db, shopId, shopperId), {});
  if ('error' in out) throw new Error(`getMembership failed: ${out.error.message}`);
  // The tool's answer is what its output schema says it is.
  return getMembership.output.parse(out);
}

const keys = (benefits: { key: string }[]) => benefits.map((b) => b.key);

describeDb('getMembership', (db) => {
  /** A shop with a ¥50 product (below the shop's ¥65 average, so AOV is no 老铁 marker). */
  async function shop(settings: Record<string, unknown> = {}): Promise<string> {
    const id = await lifecycleShop(db(), settings);
    await addProduct(db(), id, { sku: 'CREAM', priceFen: 5_000 });
    return id;
  }

  /** Registers `openid` and pays one order at each of `paidAt`, each processed at its own time. */
  async function buyer(shopId: string, openid: string, paidAt: string[], extra: unknown[] = []): Promise<number> {
    await ingest(db(), shopId, [ev.registered(openid, '2026-01-01T01:00:00Z')], '2026-01-01T01:00:00Z');
    for (const [i, at] of paidAt.entries()) await ingest(db(), shopId, [ev.purchase(openid, `${openid}-${i}`, 'CREAM', 5_000, at)], at);
    if (extra.length) await ingest(db(), shopId, extra, TEST_NOW);
    return shopperIdOf(db(), shopId, openid);
  }

  it('tells a converted shopper the one condition left for potential, by the default rules', async () => {
    const s = await shop();
    const id = await buyer(s, 'conv', ['2026-03-01T02:00:00Z']);
    const m = await membership(db(), s, id);
    expect(m.tier).toEqual({ code: 'converted', label: '转化用户', since: '2026-03-01T02:00:00.000Z' });
    expect(m.history).toEqual([
      { from: 'new', fromLabel: '新用户', to: 'converted', toLabel: '转化用户', change: 'converted', at: '2026-03-01T02:00:00.000Z' },
    ]);
    expect(m.nextTier).toMatchObject({
      code: 'potential',
      label: '潜力用户',
      ready: false,
      blockedBy: [],
      requirements: {
        all: [{ metric: 'repurchaseCount', label: '复购次数', op: '≥', threshold: 1, current: 0, met: false, text: '复购次数 0/1' }],
        any: null,
        met: false,
      },
    });
    // What potential adds here: the discount day, the agent trial, a better place in the human queue.
    expect(keys(m.nextTier!.gains)).toEqual(expect.arrayContaining(['discountDay', 'agentTrial', 'handoffPriority']));
    expect(keys(m.nextTier!.gains)).not.toContain('secondPurchaseCoupon');
    expect(keys(m.benefits)).toEqual(expect.arrayContaining(['secondPurchaseCoupon', 'growthTasks', 'pointsRedeem', 'birthday']));
    expect(keys(m.benefits)).not.toContain('advisor');
    expect(m.benefits.find((b) => b.key === 'secondPurchaseCoupon')!.detail).toContain('满100减20');
    expect(m.demotion).toBeNull();
  });

  it("tells a core shopper what 老铁 takes — all of one list, 2 of the other — with the shopper's numbers now", async () => {
    const s = await shop();
    const id = await buyer(s, 'core', ['2026-02-01T02:00:00Z', '2026-02-20T02:00:00Z', '2026-03-10T02:00:00Z'], [
      ev.behaviour('shared', 'core', '2026-03-12T02:00:00Z', { sku: 'CREAM' }),
    ]);
    const m = await membership(db(), s, id);
    expect(m.tier).toEqual({ code: 'core', label: '核心用户', since: '2026-03-10T02:00:00.000Z' });
    expect(m.history.map((h) => [h.from, h.to, h.change])).toEqual([
      ['potential', 'core', 'promoted'],
      ['converted', 'potential', 'promoted'],
      ['new', 'converted', 'converted'],
    ]);
    const laotie = DEFAULT_RULES.tiers.laotie.promote;
    const next = m.nextTier!;
    expect(next.code).toBe('laotie');
    expect(next.requirements.all).toEqual([
      { metric: 'ordersLast30d', label: '近30天订单数', op: '≥', threshold: laotie.all[0]!.value, current: 2, met: true, text: '近30天订单数 2（要求 ≥ 2，已满足）' },
    ]);
    expect(next.requirements.any!.atLeast).toBe(laotie.minAny);
    expect(next.requirements.any!.of.map((r) => [r.metric, r.threshold, r.current, r.met])).toEqual([
      ['shares', 1, 1, true],
      ['referredUsers', 1, 0, false],
      ['feedbacks', 1, 0, false],
      ['newProductViewsLast30d', 3, 0, false],
      ['aovVsShopPct', 100, 77, false],
    ]);
    expect(next.requirements.any!.of.at(-1)!.text).toBe('客单价相对店铺平均 77%（需要 > 100%）');
    expect(next.requirements).toMatchObject({ any: { met: 1 }, met: false });
    expect(next.ready).toBe(false);
    expect(keys(next.gains)).toEqual(expect.arrayContaining(['productVotes', 'laotieLifetimeReward', 'laotieGreeting']));
    expect(m.demotion).toMatchObject({
      to: 'potential',
      label: '潜力用户',
      when: { all: [{ metric: 'daysSinceLastPaid', threshold: 90, current: 5, met: false, text: '距上次付款天数 5（> 90 时降级）' }], met: false },
    });
  });

  it("follows the shop's own rules once it saves them, not the defaults", async () => {
    const s = await shop();
    const id = await buyer(s, 'ruled', ['2026-02-01T02:00:00Z', '2026-02-20T02:00:00Z', '2026-03-10T02:00:00Z']);
    const rules = structuredClone(DEFAULT_RULES);
    rules.tiers.laotie.promote = {
      all: [{ metric: 'ordersLast30d', op: 'gte', value: 3 }, { metric: 'gmvFen', op: 'gte', value: 50_000 }],
      any: [],
      minAny: 1,
    };
    rules.tiers.core.demote = { all: [{ metric: 'daysSinceLastPaid', op: 'gt', value: 45 }], any: [], minAny: 1 };
    await saveRules(db(), s, rules, 'admin', 0);
    const m = await membership(db(), s, id);
    expect(m.nextTier!.requirements).toEqual({
      all: [
        { metric: 'ordersLast30d', label: '近30天订单数', op: '≥', threshold: 3, current: 2, met: false, text: '近30天订单数 2/3' },
        { metric: 'gmvFen', label: '累计消费', op: '≥', threshold: 50_000, current: 15_000, met: false, text: '累计消费 ¥150/¥500' },
      ],
      any: null,
      met: false,
    });
    expect(m.demotion!.when.all[0]).toMatchObject({ threshold: 45, text: '距上次付款天数 5（> 45 时降级）' });
  });

  it('says what a promotion waits for when the next tier’s own demotion rule holds', async () => {
    const s = await shop();
    // Two orders, the last 130 days ago: a repurchase, but potential is left after 120 days without one.
    const id = await buyer(s, 'lapsed', ['2025-10-01T02:00:00Z', '2025-11-05T02:00:00Z']);
    await db().query(`UPDATE shoppers SET tier = 'converted' WHERE id = $1`, [id]);
    const next = (await membership(db(), s, id)).nextTier!;
    expect(next.requirements.met).toBe(true);
    expect(next.blockedBy).toEqual([expect.objectContaining({ metric: 'daysSinceLastPaid', current: 130, met: true, text: '距上次付款天数 130（> 120 时不能升入）' })]);
    expect(next.ready).toBe(false);
  });

  it('gives a new shopper the first order as the way to converted', async () => {
    const s = await shop();
    const { id } = await createShopper(db(), { shopId: s, tier: 'new' });
    const m = await membership(db(), s, id);
    expect(m.tier.code).toBe('new');
    expect(m.tier.since).not.toBeNull();
    expect(m.nextTier).toMatchObject({ code: 'converted', requirements: { all: [{ metric: 'orderCount', current: 0, threshold: 1, text: '有效订单数 0/1' }] } });
    expect(m.demotion).toBeNull();
  });

  it('has no tier above 老铁, and lists what 老铁 get at this shop', async () => {
    const s = await shop();
    const { id } = await createShopper(db(), { shopId: s, tier: 'laotie' });
    const m = await membership(db(), s, id);
    expect(m.tier.code).toBe('laotie');
    expect(m.nextTier).toBeNull();
    expect(m.demotion).toMatchObject({ to: 'core', when: { all: [{ metric: 'daysSinceLastPaid', threshold: 60, current: null, met: false }] } });
    const detail = Object.fromEntries(m.benefits.map((b) => [b.key, b.detail]));
    expect(detail.advisor).toContain('小美');
    expect(detail.handoffPriority).toContain('3 分钟');
    expect(detail.productVotes).toContain('5 票');
    expect(detail.laotieLifetimeReward).toContain('3%');
    expect(detail.birthday).toContain('满150减50');
    expect(detail.referralBoost).toContain('7%');
  });

  it("states the benefits from the shop's settings: who votes, who is served first and how fast", async () => {
    const s = await shop({ handoff: { priorityTiers: ['laotie'], slaMinutes: { priority: 5 } } });
    const rules = structuredClone(DEFAULT_RULES);
    rules.community.vote.voterTiers = ['core', 'laotie'];
    await saveRules(db(), s, rules, 'admin', 0);
    const core = await createShopper(db(), { shopId: s, tier: 'core' });
    const laotie = await createShopper(db(), { shopId: s, tier: 'laotie' });
    const coreBenefits = Object.fromEntries((await membership(db(), s, core.id)).benefits.map((b) => [b.key, b.detail]));
    expect(coreBenefits.productVotes).toBeDefined();
    expect(coreBenefits.handoffPriority).not.toContain('分钟');
    expect(coreBenefits.handoffPriority).toContain('潜力用户');
    const laotieBenefits = Object.fromEntries((await membership(db(), s, laotie.id)).benefits.map((b) => [b.key, b.detail]));
    expect(laotieBenefits.handoffPriority).toContain('5 分钟');
  });

  it('reads only: asking writes no default coupon template and no tier change', async () => {
    const s = await shop();
    const id = await buyer(s, 'reader', ['2026-03-01T02:00:00Z']);
    const count = async () =>
      (await db().query<{ t: number; c: number }>(
        'SELECT (SELECT count(*) FROM coupon_templates WHERE shop_id = $1) AS t, (SELECT count(*) FROM tier_changes WHERE shop_id = $1) AS c',
        [s],
      )).rows[0];
    const before = await count();
    await membership(db(), s, id);
    expect(await count()).toEqual(before);
  });
});
