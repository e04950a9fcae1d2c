import { beforeAll, expect, it } from 'vitest';
import { callerOf, type Role } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { DEFAULT_RULES } from '../../src/domain/lifecycle/rules.ts';
import { addProduct, ev, lifecycleShop, shopperIdOf } from '../db/lifecycleFixtures.ts';
import { buildTestApp, testTokens } from '../helpers/app.ts';
import { describeDb } from '../helpers/db.ts';
import { createShopper } from '../helpers/fixtures.ts';

const NOW = '2026-03-15T02:00:00Z';
const tokens = testTokens;
const buildApp = (db: Db) => buildTestApp(db, NOW);

describeDb('/v1/admin lifecycle routes', (db) => {
  let shop: string;
  let other: string;
  let app: ReturnType<typeof buildApp>;
  // A shopper's token names a shopper id; staff and admins have names.
  const auth = async (role: Role, shopId = shop) => ({
    authorization: `Bearer ${await tokens.mint(callerOf(shopId, role, role === 'shopper' ? 1 : 'op-1')!)}`,
  });
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };

  beforeAll(async () => {
    shop = await lifecycleShop(db());
    other = await lifecycleShop(db());
    await addProduct(db(), shop, { sku: 'MASK', priceFen: 8_800 });
    app = buildApp(db());
  });

  it('reads and versions the rules for admins only, refusing invalid ones with the fields', async () => {
    const read = await call('GET', '/v1/admin/rules', await auth('admin'));
    expect(read).toMatchObject({ status: 200, body: { version: 0, rules: DEFAULT_RULES, createdAt: null, createdBy: null } });
    expect((await call('GET', '/v1/admin/rules', await auth('staff'))).status).toBe(403);
    expect((await call('PUT', '/v1/admin/rules', await auth('staff'), read.body)).status).toBe(403);
    const rules = structuredClone(DEFAULT_RULES);
    rules.potential.high.all[0]!.value = 12_000;
    const put = await call('PUT', '/v1/admin/rules', await auth('admin'), { version: 0, rules });
    expect(put).toMatchObject({ status: 200, body: { version: 1, createdBy: 'op-1', rules } });
    const patched = await call('PATCH', '/v1/admin/rules', await auth('admin'), { version: 1, set: { tasks: [] } });
    expect(patched).toMatchObject({ status: 200, body: { version: 2, rules: { ...rules, tasks: [] } } });
    const bad = await call('PUT', '/v1/admin/rules', await auth('admin'), {
      version: 2,
      rules: { ...rules, potential: { high: { all: [{ metric: 'iq', op: 'gte', value: 1 }], any: [], minAny: 1 }, mid: DEFAULT_RULES.potential.mid } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe('rules.potential.high.all.0.metric');
    const badPatch = await call('PATCH', '/v1/admin/rules', await auth('admin'), { version: 2, set: { community: { vote: { topN: 0 } } } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.details.fields[0].path).toBe('set.community.vote.topN');
    const stale = await call('PATCH', '/v1/admin/rules', await auth('admin'), { version: 1, set: { tasks: DEFAULT_RULES.tasks } });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'conflict', details: { version: 2 } } } });
    const now = await call('GET', '/v1/admin/rules', await auth('admin'));
    expect(now.body).toMatchObject({ version: 2, rules: { ...rules, tasks: [] } });
    // another shop still has the defaults
    expect((await call('GET', '/v1/admin/rules', await auth('admin', other))).body.version).toBe(0);
  });

  it("shows a shopper's profile to staff of the shop, and a 404 for another shop's shopper", async () => {
    const staff = await auth('staff');
    await call('POST', '/v1/events', staff, {
      events: [
        ev.registered('pf', '2026-03-01T01:00:00Z', { skinType: 'dry', phone: '13812345678' }),
        ev.purchase('pf', 'PF-1', 'MASK', 8_800, '2026-03-10T01:00:00Z'),
      ],
    });
    const id = await shopperIdOf(db(), shop, 'pf');
    const r = await call('GET', `/v1/admin/shoppers/${id}/profile`, staff);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id,
      tier: 'converted',
      tierLabel: '转化用户',
      phone: '138****5678',
      summary: '肤质：干性；偏好：面膜；已下单1次，最近一次5天前；等级：转化用户（潜力低）',
      tierHistory: [{ from: 'new', to: 'converted', ruleVersion: 2 }], // the version saved by the test above
    });
    expect(r.body.tags.consumption.orderCount).toBe(1);
    expect((await call('GET', `/v1/admin/shoppers/${id}/profile`, await auth('staff', other))).status).toBe(404);
    expect((await call('GET', '/v1/admin/shoppers/abc/profile', staff)).status).toBe(400);
    expect((await call('GET', `/v1/admin/shoppers/${id}/profile`, await auth('shopper'))).status).toBe(403);
  });

  it('reports tiers and outcomes for a period, refusing a backwards one', async () => {
    const r = await call('GET', '/v1/admin/reports/tiers?from=2026-03-01&to=2026-03-31', await auth('admin'));
    expect(r.status).toBe(200);
    expect(r.body.period).toEqual({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z' });
    expect(r.body.outcomes).toMatchObject({ orders: 1, gmvFen: 8_800, aovFen: 8_800 });
    expect(r.body.distribution.find((d: { tier: string }) => d.tier === 'converted').shoppers).toBe(1);
    expect((await call('GET', '/v1/admin/reports/tiers?from=2026-03-31&to=2026-03-01', await auth('admin'))).status).toBe(400);
  });

  it('creates integration keys that work on /v1/events until revoked', async () => {
    const created = await call('POST', '/v1/admin/integration-keys', await auth('admin'), { label: 'mall' });
    expect(created).toMatchObject({ status: 201, body: { label: 'mall', key: expect.stringMatching(/^ltk_/) } });
    const key = { 'x-integration-key': created.body.key };
    expect((await call('POST', '/v1/events', key, { events: [] })).status).toBe(200);
    expect((await call('DELETE', `/v1/admin/integration-keys/${created.body.id}`, await auth('admin'))).status).toBe(204);
    expect((await call('POST', '/v1/events', key, { events: [] })).status).toBe(401);
    expect((await call('DELETE', `/v1/admin/integration-keys/${created.body.id}`, await auth('admin', other))).status).toBe(404);
  });

  it('opens 老铁 votes of 10–20 candidates and lets staff adopt feedback with a reward in range', async () => {
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push(await addProduct(db(), shop, { sku: `V-${i}` }));
    const admin = await auth('admin');
    expect((await call('POST', '/v1/admin/votes', admin, { title: '太少', productIds: ids.slice(0, 9) })).status).toBe(400);
    const vote = await call('POST', '/v1/admin/votes', admin, { title: '下期上新', productIds: ids });
    expect(vote).toMatchObject({ status: 201, body: { status: 'open', topN: 5 } });
    expect(vote.body.candidates).toHaveLength(10);
    expect((await call('GET', `/v1/admin/votes/${vote.body.id}`, await auth('staff', other))).status).toBe(404);

    const { id: shopperId } = await createShopper(db(), { shopId: shop, tier: 'laotie' });
    const { rows } = await db().query<{ id: number }>(
      "INSERT INTO feedback (shop_id, shopper_id, text, created_at) VALUES ($1, $2, '出个旅行装', $3) RETURNING id",
      [shop, shopperId, NOW],
    );
    const staff = await auth('staff');
    const listed = await call('GET', '/v1/admin/feedback?status=submitted', staff);
    expect(listed.body.feedback.map((f: { id: number }) => f.id)).toContain(rows[0]!.id);
    expect((await call('POST', `/v1/admin/feedback/${rows[0]!.id}/adopt`, staff, { rewardFen: 300_000 })).status).toBe(400);
    const adopted = await call('POST', `/v1/admin/feedback/${rows[0]!.id}/adopt`, staff, { rewardFen: 50_000, badge: 'chief_experience_officer' });
    expect(adopted).toMatchObject({ status: 200, body: { status: 'adopted', rewardFen: 50_000, badge: 'chief_experience_officer' } });
    expect((await call('POST', `/v1/admin/feedback/${rows[0]!.id}/adopt`, staff, { rewardFen: 50_000 })).status).toBe(409);
    expect((await call('POST', `/v1/admin/shoppers/${shopperId}/badges`, staff, { badge: 'referral_pioneer', reason: '带来 5 位新朋友' })).status).toBe(201);
    expect((await call('POST', `/v1/admin/shoppers/${shopperId}/badges`, staff, { badge: 'nonsense' })).status).toBe(400);
  });
});
