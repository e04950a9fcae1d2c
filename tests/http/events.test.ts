import { beforeAll, expect, it } from 'vitest';
import { callerOf, type Role } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { createIntegrationKey } from '../../src/domain/events/integrationKeys.ts';
import { addProduct, ev, lifecycleShop, shopperIdOf } from '../db/lifecycleFixtures.ts';
import { buildTestApp, testTokens } from '../helpers/app.ts';
import { describeDb } from '../helpers/db.ts';

const NOW = '2026-03-15T02:00:00Z';
const tokens = testTokens;
const buildApp = (db: Db) => buildTestApp(db, NOW);

describeDb('POST /v1/events', (db) => {
  let shop: string;
  let other: string;
  let app: ReturnType<typeof buildApp>;
  const token = (shopId: string, role: Role) => tokens.mint(callerOf(shopId, role, 7)!);
  const post = async (body: unknown, headers: Record<string, string>) => {
    const res = await app.request('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const asStaff = async (shopId: string) => ({ authorization: `Bearer ${await token(shopId, 'staff')}` });

  beforeAll(async () => {
    shop = await lifecycleShop(db());
    other = await lifecycleShop(db());
    await addProduct(db(), shop, { sku: 'MASK' });
    app = buildApp(db());
  });

  it("applies the events of a staff or admin token to the token's shop and reports each one", async () => {
    const r = await post(
      {
        events: [
          ev.registered('h1', '2026-03-01T01:00:00Z', {}, 'h-reg'),
          ev.behaviour('viewed', 'h1', '2026-03-10T01:00:00Z', { sku: 'MASK', dwellSeconds: 30 }, 'h-view'),
          ev.behaviour('viewed', 'h1', '2026-03-10T01:00:00Z', { sku: 'NOPE' }, 'h-bad'),
        ],
      },
      await asStaff(shop),
    );
    expect(r).toEqual({
      status: 200,
      body: { accepted: ['h-reg', 'h-view'], duplicate: [], rejected: [{ id: 'h-bad', index: 2, reason: 'unknown sku NOPE' }] },
    });
    const again = await post({ events: [ev.registered('h1', '2026-03-01T01:00:00Z', {}, 'h-reg')] }, {
      authorization: `Bearer ${await token(shop, 'admin')}`,
    });
    expect(again.body).toEqual({ accepted: [], duplicate: ['h-reg'], rejected: [] });
  });

  it('takes the shop from the credentials only, never from the events', async () => {
    // The shopper h1 exists in `shop`; a token of `other` cannot reach them.
    const r = await post({ events: [ev.behaviour('viewed', 'h1', '2026-03-10T02:00:00Z', {}, 'h-cross')] }, await asStaff(other));
    expect(r.body.rejected).toEqual([{ id: 'h-cross', index: 0, reason: expect.stringMatching(/unknown shopper h1/) }]);
    // The same event id is free in another shop: ids are unique per shop.
    const own = await post({ events: [ev.registered('h1', '2026-03-01T01:00:00Z', {}, 'h-reg')] }, await asStaff(other));
    expect(own.body.accepted).toEqual(['h-reg']);
  });

  it('accepts a shop integration key instead of a token, and refuses shoppers, strangers and wrong keys', async () => {
    const { key } = await createIntegrationKey(db(), shop, 'mall');
    const viaKey = await post({ events: [ev.behaviour('followed', 'h1', '2026-03-11T01:00:00Z', {}, 'h-follow')] }, { 'x-integration-key': key });
    expect(viaKey).toEqual({ status: 200, body: { accepted: ['h-follow'], duplicate: [], rejected: [] } });
    expect((await post({ events: [] }, { 'x-integration-key': `${key}x` })).status).toBe(401);
    expect((await post({ events: [] }, {})).status).toBe(401);
    expect((await post({ events: [] }, { authorization: `Bearer ${await token(shop, 'shopper')}` })).status).toBe(403);
  });

  it('answers an invalid envelope with 400', async () => {
    const staff = await asStaff(shop);
    for (const body of ['[1, 2]', '{"events": "x"}', '{"events":', '"hello"']) expect((await post(body, staff)).status).toBe(400);
    const tooMany = Array.from({ length: 501 }, (_, i) => ev.behaviour('viewed', 'h1', '2026-03-10T01:00:00Z', {}, `many-${i}`));
    const r = await post({ events: tooMany }, staff);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/at most 500/);
  });

  it('applies an event id sent in two concurrent requests once', async () => {
    const staff = await asStaff(shop);
    const batch = { events: [ev.purchase('h1', 'H-1', 'MASK', 8_800, '2026-03-12T01:00:00Z', 'h-paid'), ev.behaviour('shared', 'h1', '2026-03-12T02:00:00Z', { sku: 'MASK' }, 'h-share')] };
    const [a, b] = await Promise.all([post(batch, staff), post(batch, staff)]);
    expect([...a.body.accepted, ...b.body.accepted].sort()).toEqual(['h-paid', 'h-share']);
    expect([...a.body.duplicate, ...b.body.duplicate].sort()).toEqual(['h-paid', 'h-share']);
    const id = await shopperIdOf(db(), shop, 'h1');
    const { rows } = await db().query<{ orders: number; points: number }>(
      `SELECT (SELECT count(*) FROM orders WHERE shopper_id = $1) AS orders,
              (SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE shopper_id = $1) AS points`,
      [id],
    );
    expect(rows[0]).toEqual({ orders: 1, points: 100 });
  });
});
