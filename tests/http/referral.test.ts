// The admin route that settles the 链动 rewards by hand: only an admin, only their own shop's rewards,
// a strict body (400 on anything else), a dry run that changes nothing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../src/context.ts';
import { ledgerEntries } from '../../src/domain/referral/index.ts';
import { describeDb } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createReferralOrder, createReferralShop, createReferralShopper, daysAfter, deliverOrder, payOrder } from '../db/referralFixtures.ts';

// 10:00 in Shanghai; the server's clock is 8 days after delivery, the return window (7 days) past.
const T0 = new Date('2026-03-10T02:00:00Z');

describeDb('reward settlement route', (db) => {
  let server: TestServer;
  let shopA: string;
  let shopB: string;

  beforeAll(async () => {
    server = await startTestServer(db(), { clock: fixedClock(daysAfter(T0, 8)) });
    const team = async () => {
      const shop = await createReferralShop(db());
      const boss = await createReferralShopper(db(), shop.id, { identity: 'boss', nickname: '老板阿May' });
      const agent = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: boss, nickname: '代理桃子' });
      const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
      const order = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 10_000 });
      await payOrder(db(), shop.id, order, T0);
      await deliverOrder(db(), shop.id, order, T0);
      return shop.id;
    };
    shopA = await team();
    shopB = await team();
  });
  afterAll(() => server?.close());

  async function settle(body: unknown, o: { shop?: string; role?: 'admin' | 'staff' | 'shopper'; raw?: string } = {}) {
    const token = await server.token('7', { shop: o.shop ?? shopA, role: o.role ?? 'admin' });
    const res = await fetch(`${server.url}/v1/admin/referral/settle`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: o.raw ?? JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  const states = async (shop: string) => (await ledgerEntries(db(), shop)).map((e) => e.state);

  it('admits only an admin', async () => {
    const anonymous = await fetch(`${server.url}/v1/admin/referral/settle`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    expect((await settle({}, { role: 'staff' })).status).toBe(403);
    expect((await settle({}, { role: 'shopper' })).status).toBe(403);
    expect(await states(shopA)).toEqual(['pending', 'pending']);
  });

  it('answers 400 to a body that is not exactly { date?, dryRun? }', async () => {
    for (const body of [{ dryRun: 'yes' }, { date: '2026-02-30' }, { date: '17/03/2026' }, { shopId: shopB }, { dryrun: true }, [], null]) {
      const r = await settle(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid');
    }
    expect((await settle(undefined, { raw: '{"dryRun": tru' })).status).toBe(400);
    // A day after today in the shop's calendar can be looked at, not settled.
    const ahead = await settle({ date: '2026-04-01' });
    expect(ahead.status).toBe(400);
    expect(ahead.body.error.message).toMatch(/after today/);
    expect(await states(shopA)).toEqual(['pending', 'pending']);
  });

  it("shows in a dry run what would settle, then settles the admin's own shop only", async () => {
    const dry = await settle({ dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ shopId: shopA, date: '2026-03-18', dryRun: true, settled: 2, settledFen: 1500, held: { count: 0, fen: 0 } });
    expect(dry.body.entries.map((e: { beneficiary: string; amountFen: number }) => [e.beneficiary, e.amountFen])).toEqual([
      ['代理桃子', 1000],
      ['老板阿May', 500],
    ]);
    expect(await states(shopA)).toEqual(['pending', 'pending']);

    const real = await settle({});
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ shopId: shopA, dryRun: false, settled: 2, settledFen: 1500 });
    expect(await states(shopA)).toEqual(['settled', 'settled']);
    expect(await states(shopB)).toEqual(['pending', 'pending']);
    expect((await settle({ date: '2026-03-18' })).body).toMatchObject({ settled: 0 });
  });
});
