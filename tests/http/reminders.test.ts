// The admin routes of the reminders: only an admin, only of their own shop (another shop's shopper
// or delivery is a 404), validation as 400, stale settings as 409, the webhook secret never echoed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../src/context.ts';
import { describeDb } from '../helpers/db.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The routes as the service mounts them: the real app on a real port.
describeDb('reminder admin routes', (db) => {
  let server: TestServer;
  let shopA: string;
  let shopB: string;
  let shopperA: number;
  let shopperB: number;

  beforeAll(async () => {
    server = await startTestServer(db(), { clock: fixedClock('2026-09-17T02:00:00Z') });
    shopA = (await createShop(db())).id;
    shopB = (await createShop(db())).id;
    shopperA = (await createShopper(db(), { shopId: shopA, tier: 'core', nickname: '小雅' })).id;
    shopperB = (await createShopper(db(), { shopId: shopB, tier: 'core' })).id;
    await db().query(`UPDATE shoppers SET birthday = '1990-09-17', registered_at = '2024-01-01'`);
  });
  afterAll(() => server?.close());

  async function call(method: string, path: string, o: { shop?: string; role?: 'admin' | 'staff' | 'shopper'; body?: unknown } = {}) {
    const token = await server.token('7', { shop: o.shop ?? shopA, role: o.role ?? 'admin' });
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  it('admit only an admin', async () => {
    expect((await fetch(server.url + '/v1/admin/reminders/settings')).status).toBe(401);
    expect((await call('GET', '/v1/admin/reminders/settings', { role: 'staff' })).status).toBe(403);
    expect((await call('GET', '/v1/admin/reminders/settings', { role: 'shopper' })).status).toBe(403);
  });

  it('read and save the settings with a version, never echoing the webhook secret', async () => {
    const fresh = await call('GET', '/v1/admin/reminders/settings');
    expect(fresh.body).toMatchObject({ version: 0, webhook: null, settings: { caps: { perDay: 1, perWeek: 3 } } });
    const saved = await call('PUT', '/v1/admin/reminders/settings', {
      body: { version: 0, settings: { caps: { perDay: 1, perWeek: 2 } }, webhook: { url: 'https://mall.example.com/laotie/reminders', secret: 'whsec_0123456789abcdef' } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, webhook: { url: 'https://mall.example.com/laotie/reminders', hasSecret: true }, settings: { caps: { perWeek: 2 } } });
    expect(JSON.stringify(saved.body)).not.toContain('whsec_');
    const stale = await call('PUT', '/v1/admin/reminders/settings', { body: { version: 0, settings: {} } });
    expect(stale.status).toBe(409);
    const bad = await call('PUT', '/v1/admin/reminders/settings', { body: { settings: { caps: { perDay: 0, perWeek: 2 } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe('settings.caps.perDay');
    // Another shop still has its defaults.
    expect((await call('GET', '/v1/admin/reminders/settings', { shop: shopB })).body.version).toBe(0);
    await call('PUT', '/v1/admin/reminders/settings', { body: { version: 1, settings: {}, webhook: null } });
  });

  it('refuses a webhook inside the network, unless the operator allows the host in WEBHOOK_ALLOW_HOSTS', async () => {
    const webhook = { url: 'http://127.0.0.1:9/hook', secret: 'whsec_0123456789abcdef' };
    const refused = await call('PUT', '/v1/admin/reminders/settings', { body: { settings: {}, webhook } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields).toEqual([
      { path: 'webhook.url', message: expect.stringMatching(/^refused destination: 127\.0\.0\.1 is a loopback address .*WEBHOOK_ALLOW_HOSTS/) },
    ]);
    expect((await call('GET', '/v1/admin/reminders/settings')).body.webhook).toBeNull();
    const allowing = await startTestServer(db(), { env: { WEBHOOK_ALLOW_HOSTS: 'mall.internal, 127.0.0.1:9' } });
    try {
      const token = await allowing.token('7', { shop: shopA, role: 'admin' });
      const put = (url: string) =>
        fetch(`${allowing.url}/v1/admin/reminders/settings`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ settings: {}, webhook: { ...webhook, url } }),
        });
      expect((await put('http://127.0.0.1:9/hook')).status).toBe(200);
      expect((await put('http://mall.internal:8080/hook')).status).toBe(200);
      // Allowed is the listed host and port, not the address at large.
      expect((await put('http://127.0.0.1:10/hook')).status).toBe(400);
    } finally {
      await allowing.close();
    }
    await call('PUT', '/v1/admin/reminders/settings', { body: { settings: {}, webhook: null } });
  });

  it('runs a day dry, then for real, for the caller’s shop only', async () => {
    const bad = await call('POST', '/v1/admin/reminders/run', { body: { date: '2026-02-30' } });
    expect(bad.status).toBe(400);
    const dry = await call('POST', '/v1/admin/reminders/run', { body: { date: '2026-09-17', dryRun: true } });
    expect(dry.body).toMatchObject({ dryRun: true, planned: 1, shopId: shopA });
    expect(dry.body.sample[0].message).toContain('小雅');
    const real = await call('POST', '/v1/admin/reminders/run', { body: {} });
    expect(real.body).toMatchObject({ dryRun: false, date: '2026-09-17', planned: 1, queued: 1 });
    const { rows } = await db().query<{ shop_id: string }>('SELECT shop_id FROM reminders');
    expect(rows).toEqual([{ shop_id: shopA }]);
  });

  it('re-drives a dead delivery of the shop, and no other shop’s', async () => {
    const { rows } = await db().query<{ id: number }>(`UPDATE reminder_outbox SET state = 'dead', attempts = 5 RETURNING id`);
    const id = rows[0]!.id;
    expect((await call('POST', `/v1/admin/outbox/${id}/redrive`, { shop: shopB })).status).toBe(404);
    expect((await call('GET', '/v1/admin/outbox?state=dead')).body.deliveries).toMatchObject([{ id, state: 'dead', attempts: 5 }]);
    expect(await call('POST', `/v1/admin/outbox/${id}/redrive`)).toEqual({ status: 200, body: { id, state: 'pending' } });
    expect((await call('POST', `/v1/admin/outbox/${id}/redrive`)).status).toBe(409);
    expect((await call('POST', '/v1/admin/outbox/abc/redrive')).status).toBe(404);
  });

  it('erases a shopper of the shop (PIPL) and answers 404 for another shop’s, and for a second erasure', async () => {
    const shopperToken = await server.token(String(shopperA), { shop: shopA, role: 'shopper' });
    const asShopper = () => fetch(server.url + '/v1/models', { headers: { authorization: `Bearer ${shopperToken}` } });
    expect((await asShopper()).status).toBe(200);
    expect((await call('DELETE', `/v1/admin/shoppers/${shopperB}`)).status).toBe(404);
    const gone = await call('DELETE', `/v1/admin/shoppers/${shopperA}`);
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ shopperId: shopperA, removed: { reminders: 1, reminder_outbox: 1 }, deidentified: { shoppers: 1 } });
    // A token minted before the erasure names a shopper who is no more: the same 401 as an unknown one.
    expect((await asShopper()).status).toBe(401);
    expect((await call('GET', `/v1/admin/shoppers/${shopperA}/profile`, { role: 'staff' })).status).toBe(404);
    expect((await call('DELETE', `/v1/admin/shoppers/${shopperA}`)).status).toBe(404);
    const { rows } = await db().query('SELECT count(*)::int AS n FROM reminders');
    expect(rows[0]).toEqual({ n: 0 });
    expect((await call('DELETE', `/v1/admin/shoppers/${shopperB}`, { shop: shopB })).status).toBe(200);
  });
});
