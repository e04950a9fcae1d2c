import { expect, it } from 'vitest';
import { similarShoppers } from '../../src/domain/lifecycle/profile.ts';
import { reevaluateShop } from '../../src/domain/lifecycle/refresh.ts';
import { currentRules, DEFAULT_RULES, lifecycleRulesSchema, saveRules } from '../../src/domain/lifecycle/rules.ts';
import type { ShopperTags } from '../../src/domain/lifecycle/tags.ts';
import { describeDb } from '../helpers/db.ts';
import { addProduct, ev, ingest, lifecycleShop, shopperIdOf, tierOf } from './lifecycleFixtures.ts';

const NOW = '2026-03-15T02:00:00Z';

describeDb('tags, potential scoring and tiers', (db) => {
  async function shopWithProducts(): Promise<string> {
    const shop = await lifecycleShop(db());
    await addProduct(db(), shop, { sku: 'MASK', category: '面膜', priceFen: 8_800 });
    await addProduct(db(), shop, { sku: 'MASK-2', category: '面膜' });
    await addProduct(db(), shop, { sku: 'LIP', category: '口红' });
    await addProduct(db(), shop, { sku: 'CHEAP', category: '小样', priceFen: 3_000 });
    await addProduct(db(), shop, { sku: 'MID', category: '面膜', priceFen: 7_000 });
    return shop;
  }

  async function stored(shop: string, openid: string) {
    const { rows } = await db().query<{ tags: ShopperTags; potential_score: string | null; tier: string; profile_summary: string }>(
      'SELECT tags, potential_score, tier, profile_summary FROM shoppers WHERE shop_id = $1 AND openid = $2',
      [shop, openid],
    );
    return rows[0]!;
  }

  it('computes the three tag dimensions and preferences from the events', async () => {
    const shop = await shopWithProducts();
    await ingest(db(), shop, [
      ev.registered('a', '2026-03-01T01:00:00Z', { skinType: 'oily' }),
      ev.behaviour('viewed', 'a', '2026-03-10T01:00:00Z', { sku: 'MASK', dwellSeconds: 300 }),
      ev.behaviour('viewed', 'a', '2026-03-10T02:00:00Z', { sku: 'LIP', dwellSeconds: 200 }),
      ev.behaviour('viewed', 'a', '2026-01-10T02:00:00Z', { sku: 'LIP', dwellSeconds: 10 }),
      ev.behaviour('favourited', 'a', '2026-03-10T03:00:00Z', { sku: 'MASK' }),
      ev.behaviour('favourited', 'a', '2026-03-10T03:01:00Z', { sku: 'MASK' }),
      ev.behaviour('favourited', 'a', '2026-03-10T03:02:00Z', { sku: 'MASK-2' }),
      ev.behaviour('favourited', 'a', '2026-03-10T03:03:00Z', { sku: 'LIP' }),
      ev.behaviour('followed', 'a', '2026-03-10T04:00:00Z'),
      ev.behaviour('consulted', 'a', '2026-03-10T05:00:00Z', { topic: '敏感肌能用吗' }),
      ev.purchase('a', 'A-1', 'MASK', 8_800, '2026-03-11T01:00:00Z'),
    ], NOW);
    const { tags } = await stored(shop, 'a');
    expect(tags.consumption).toMatchObject({
      orderCount: 1,
      repurchaseCount: 0,
      firstOrderFen: 8_800,
      aovFen: 8_800,
      aovVsShopPct: 135, // 88 of the shop's default 65 yuan
      daysSinceLastPaid: 4,
      ordersLast30d: 1,
      lastPaidAt: '2026-03-11T01:00:00.000Z',
    });
    expect(tags.interaction).toEqual({
      viewsLast30d: 2,
      newProductViewsLast30d: 0,
      dwellMinutes: 8, // 510 s
      favourites: 3, // distinct products
      followed: true,
      consults: 1,
      shares: 0,
      feedbacks: 0,
    });
    expect(tags.referral).toEqual({ referredUsers: 0, referredBuyers: 0, conversionPct: null });
    expect(tags.preference).toEqual({ categories: ['面膜', '口红'], skinType: 'oily' });
  });

  it('scores converted shoppers high, mid or low by the case defaults', async () => {
    const shop = await shopWithProducts();
    const dwellAndFavourites = (openid: string, dwell: number) => [
      ev.behaviour('viewed', openid, '2026-03-10T01:00:00Z', { sku: 'MASK', dwellSeconds: dwell }),
      ...['MASK', 'MASK-2', 'LIP'].map((sku, i) => ev.behaviour('favourited', openid, `2026-03-10T02:0${i}:00Z`, { sku })),
    ];
    await ingest(db(), shop, [
      // high: first order 88 ≥ 80 yuan AND dwell 8 min AND 3 favourites
      ev.registered('high', '2026-03-01T01:00:00Z'),
      ...dwellAndFavourites('high', 480),
      ev.purchase('high', 'H-1', 'MASK', 8_800, '2026-03-11T01:00:00Z'),
      // the same with 7 minutes of dwell: not high; above average + favourites: mid
      ev.registered('almost', '2026-03-01T01:00:00Z'),
      ...dwellAndFavourites('almost', 479),
      ev.purchase('almost', 'AL-1', 'MASK', 8_800, '2026-03-11T01:00:00Z'),
      // mid: first order 70 > 65 yuan average, and followed
      ev.registered('mid', '2026-03-01T01:00:00Z'),
      ev.behaviour('followed', 'mid', '2026-03-10T01:00:00Z'),
      ev.purchase('mid', 'M-1', 'MID', 7_000, '2026-03-11T01:00:00Z'),
      // low: a cheap first order and nothing else
      ev.registered('low', '2026-03-01T01:00:00Z'),
      ev.purchase('low', 'L-1', 'CHEAP', 3_000, '2026-03-11T01:00:00Z'),
      ev.registered('none', '2026-03-01T01:00:00Z'),
    ], NOW);
    expect((await stored(shop, 'high')).potential_score).toBe('high');
    expect((await stored(shop, 'almost')).potential_score).toBe('mid');
    expect((await stored(shop, 'mid')).potential_score).toBe('mid');
    expect((await stored(shop, 'low')).potential_score).toBe('low');
    expect(await stored(shop, 'none')).toMatchObject({ potential_score: null, tier: 'new' });
    expect((await stored(shop, 'high')).tier).toBe('converted');
  });

  it('promotes step by step from the first paid order to 老铁, recording each step with its reason and rule version', async () => {
    const shop = await shopWithProducts();
    await ingest(db(), shop, [ev.registered('l', '2026-02-01T01:00:00Z')], NOW);
    await ingest(db(), shop, [ev.purchase('l', 'L-1', 'MASK', 8_800, '2026-03-01T01:00:00Z')], NOW);
    expect(await tierOf(db(), shop, 'l')).toBe('converted');
    await ingest(db(), shop, [ev.purchase('l', 'L-2', 'MASK', 8_800, '2026-03-05T01:00:00Z')], NOW);
    expect(await tierOf(db(), shop, 'l')).toBe('potential');
    await ingest(db(), shop, [ev.purchase('l', 'L-3', 'MASK', 8_800, '2026-03-10T01:00:00Z')], NOW);
    expect(await tierOf(db(), shop, 'l')).toBe('core');
    // 老铁 needs ≥ 2 orders in 30 days plus two markers: AOV above the shop's already holds; a share makes two.
    await ingest(db(), shop, [ev.behaviour('shared', 'l', '2026-03-12T01:00:00Z', { sku: 'MASK' })], NOW);
    expect(await tierOf(db(), shop, 'l')).toBe('laotie');

    const id = await shopperIdOf(db(), shop, 'l');
    const { rows } = await db().query<{ from_tier: string; to_tier: string; reason: string; rule_version: number }>(
      'SELECT from_tier, to_tier, reason, rule_version FROM tier_changes WHERE shopper_id = $1 ORDER BY id',
      [id],
    );
    expect(rows.map((r) => `${r.from_tier}→${r.to_tier}`)).toEqual(['new→converted', 'converted→potential', 'potential→core', 'core→laotie']);
    expect(rows.every((r) => r.rule_version === 0)).toBe(true);
    expect(rows[0]!.reason).toBe('首单转化为转化用户：orderCount 1 ≥ 1');
    expect(rows[1]!.reason).toBe('晋升为潜力用户：repurchaseCount 1 ≥ 1');
    expect(rows[2]!.reason).toBe('晋升为核心用户：orderCount 3 ≥ 3；ordersLast30d 3 ≥ 1');
    expect(rows[3]!.reason).toBe('晋升为老铁：ordersLast30d 3 ≥ 2；shares 1 ≥ 1；aovVsShopPct 135 > 100');
    // scored while converted (one marker: a first order above the shop's average), then kept
    expect((await stored(shop, 'l')).potential_score).toBe('low');
  });

  it('demotes inactive shoppers one step at a time and does not bounce them back up', async () => {
    const shop = await shopWithProducts();
    await ingest(db(), shop, [
      ev.registered('d', '2026-02-01T01:00:00Z'),
      ev.purchase('d', 'D-1', 'MASK', 8_800, '2026-03-01T01:00:00Z'),
      ev.purchase('d', 'D-2', 'MASK', 8_800, '2026-03-05T01:00:00Z'),
      ev.purchase('d', 'D-3', 'MASK', 8_800, '2026-03-10T01:00:00Z'),
      ev.behaviour('shared', 'd', '2026-03-12T01:00:00Z', { sku: 'MASK' }),
    ], NOW);
    expect(await tierOf(db(), shop, 'd')).toBe('laotie');
    // 95 days after the last order: 老铁 (> 60 days) and core (> 90 days) both lapse; potential holds (≤ 120).
    const later = new Date('2026-06-13T02:00:00Z');
    const moved = await reevaluateShop(db(), shop, later);
    expect(moved.map((m) => m.steps.map((s) => `${s.from}→${s.to}`))).toEqual([['laotie→core', 'core→potential']]);
    expect(moved[0]!.steps[0]!.reason).toBe('降级为核心用户：daysSinceLastPaid 95 > 60');
    expect(await tierOf(db(), shop, 'd')).toBe('potential');
    expect(await reevaluateShop(db(), shop, later)).toEqual([]);
  });

  it('versions the rules: each save is a new version, and changes record the version they were decided under', async () => {
    const shop = await shopWithProducts();
    expect(await currentRules(db(), shop)).toMatchObject({ version: 0, rules: DEFAULT_RULES });
    const easierCore = structuredClone(DEFAULT_RULES);
    easierCore.tiers.core.promote = { all: [{ metric: 'orderCount', op: 'gte', value: 2 }], any: [], minAny: 1 };
    expect((await saveRules(db(), shop, easierCore, 'admin-1', 0)).version).toBe(1);
    expect((await saveRules(db(), shop, easierCore, 'admin-1', 1)).version).toBe(2);
    expect((await currentRules(db(), shop)).version).toBe(2);
    // An editor who read version 1 cannot overwrite version 2.
    await expect(saveRules(db(), shop, DEFAULT_RULES, 'admin-2', 1)).rejects.toMatchObject({ code: 'conflict', details: { version: 2 } });

    await ingest(db(), shop, [
      ev.registered('v', '2026-02-01T01:00:00Z'),
      ev.purchase('v', 'V-1', 'CHEAP', 3_000, '2026-03-01T01:00:00Z'),
      ev.purchase('v', 'V-2', 'CHEAP', 3_000, '2026-03-05T01:00:00Z'),
    ], NOW);
    const id = await shopperIdOf(db(), shop, 'v');
    const { rows } = await db().query<{ to_tier: string; rule_version: number }>(
      'SELECT to_tier, rule_version FROM tier_changes WHERE shopper_id = $1 ORDER BY id',
      [id],
    );
    expect(rows).toEqual([
      { to_tier: 'converted', rule_version: 2 },
      { to_tier: 'potential', rule_version: 2 },
      { to_tier: 'core', rule_version: 2 },
    ]);

    // A document saved before a section of the rules existed reads with that section's defaults.
    const { community: _, ...older } = easierCore;
    await db().query('INSERT INTO tier_rules (shop_id, version, rules) VALUES ($1, 3, $2)', [shop, JSON.stringify(older)]);
    expect(await currentRules(db(), shop)).toMatchObject({ version: 3, rules: { ...easierCore, community: DEFAULT_RULES.community } });
  });

  it('refuses rules that cannot be evaluated, and rules that leave a setting out or add one it does not know', () => {
    const one = { all: [{ metric: 'favourites', op: 'gte', value: 1 }], any: [], minAny: 1 };
    const bad = [
      { tiers: { ...DEFAULT_RULES.tiers, core: { promote: { all: [], any: [], minAny: 1 }, demote: null } } },
      { potential: { ...DEFAULT_RULES.potential, mid: { all: [], any: [{ metric: 'favourites', op: 'gte', value: 1 }], minAny: 2 } } },
      { potential: { ...DEFAULT_RULES.potential, high: { ...one, all: [{ metric: 'salary', op: 'gte', value: 1 }] } } },
      { tasks: [DEFAULT_RULES.tasks[0], DEFAULT_RULES.tasks[0]] },
      { community: { ...DEFAULT_RULES.community, feedbackRewardFen: { min: 200_000, max: 50_000 } } },
      { potential: { ...DEFAULT_RULES.potential, high: { all: one.all, any: [] } } },
      { tiers: { ...DEFAULT_RULES.tiers, core: { promote: one } } },
      { tasks: [{ ...DEFAULT_RULES.tasks[0], bonus: 5 }] },
      { community: { ...DEFAULT_RULES.community, vote: { ...DEFAULT_RULES.community.vote, secret: true } } },
      { referral: { rewardFen: 100 } },
    ];
    expect(lifecycleRulesSchema.safeParse(DEFAULT_RULES).success).toBe(true);
    for (const change of bad) expect(lifecycleRulesSchema.safeParse({ ...DEFAULT_RULES, ...change }).success, JSON.stringify(change)).toBe(false);
    const { tasks: _, ...withoutTasks } = DEFAULT_RULES;
    expect(lifecycleRulesSchema.safeParse(withoutTasks).success).toBe(false);
  });

  it('keeps a short Chinese profile summary and a profile vector, and finds similar shoppers', async () => {
    const shop = await shopWithProducts();
    await ingest(db(), shop, [
      ev.registered('p1', '2026-03-01T01:00:00Z', { skinType: 'oily' }),
      ev.registered('p2', '2026-03-01T01:00:00Z', { skinType: 'oily' }),
      ev.registered('p3', '2026-03-01T01:00:00Z', { skinType: 'dry' }),
      ev.purchase('p1', 'P1-1', 'MASK', 8_800, '2026-03-11T01:00:00Z'),
      ev.purchase('p2', 'P2-1', 'MASK-2', 8_800, '2026-03-12T01:00:00Z'),
      ev.purchase('p3', 'P3-1', 'LIP', 8_800, '2026-03-12T01:00:00Z'),
      ev.behaviour('favourited', 'p3', '2026-03-12T02:00:00Z', { sku: 'LIP' }),
    ], NOW);
    expect((await stored(shop, 'p1')).profile_summary).toBe('肤质：油性；偏好：面膜；已下单1次，最近一次4天前；等级：转化用户（潜力低）');
    const p1 = await shopperIdOf(db(), shop, 'p1');
    const p2 = await shopperIdOf(db(), shop, 'p2');
    const { rows } = await db().query<{ embedder: string; dim: number }>('SELECT embedder, dim FROM shopper_profile_embeddings WHERE shopper_id = $1', [p1]);
    expect(rows[0]).toEqual({ embedder: 'local-hash-v1', dim: 256 });
    const similar = await similarShoppers(db(), shop, p1, 2);
    expect(similar.map((s) => s.shopperId)[0]).toBe(p2);
    expect(similar[0]!.similarity).toBeGreaterThan(similar[1]!.similarity);
  });
});
