// The card's own reminder routes (docs/domain.md §8 Reminders): the reminders delivered into the card,
// wherever they landed, are shown once — GET /v1/reminders/unseen lists what the shopper has not seen
// (with its coupon), POST /v1/reminders/seen marks it, idempotently. Only the token says whose.
import { expect, it } from 'vitest';
import { reminderWriters } from '../../src/agent/reminderWriter.ts';
import { callerOf, fixedClock } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { appendMessage, startConversation } from '../../src/domain/conversations/repo.ts';
import { runOutboxOnce } from '../../src/domain/reminders/outbox.ts';
import { setReminderPreference } from '../../src/domain/reminders/preferences.ts';
import { saveReminderSettings } from '../../src/domain/reminders/repo.ts';
import { runReminders } from '../../src/domain/reminders/run.ts';
import { silentLogger } from '../../src/log.ts';
import { buildTestApp, testTokens } from '../helpers/app.ts';
import { describeDb } from '../helpers/db.ts';
import { createOrder, createProduct, createShop, createShopper } from '../helpers/fixtures.ts';

// The birthday run: 2026-09-17 10:00 in Shanghai; the card is opened an hour later.
const RUN_AT = '2026-09-17T02:00:00Z';
const OPENED_AT = '2026-09-17T03:00:00Z';

interface Unseen {
  id: number;
  occasion: string;
  label: string;
  sentAt: string;
  message: string;
  conversationId: string | null;
  messageId: number | null;
  coupon: { name: string; rule: string; validUntil: string; lastDay: string; status: string } | null;
}

describeDb('the card’s unseen reminders, over HTTP', (db) => {
  /** A shop whose shoppers all have their birthday today; the day planned, written and delivered in the card. */
  async function birthdayShop(n: number, o: { webhook?: boolean } = {}) {
    const { id: shopId } = await createShop(db());
    const shoppers: number[] = [];
    for (let i = 0; i < n; i++) {
      const { id } = await createShopper(db(), { shopId, tier: 'core', nickname: `顾客${i}` });
      await db().query(`UPDATE shoppers SET birthday = '1990-09-17', registered_at = '2024-01-01' WHERE id = $1`, [id]);
      shoppers.push(id);
    }
    if (o.webhook) await saveReminderSettings(db(), shopId, { settings: {}, webhook: { url: 'https://hooks.example.com/r', secret: 'whsec_0123456789abcdef' } }, new Date(RUN_AT));
    return { shopId, shoppers };
  }

  async function deliver(shopId: string, at = RUN_AT) {
    const clock = fixedClock(at);
    await runReminders({ db: db(), clock, log: silentLogger, writers: reminderWriters(undefined, silentLogger) }, { shopId, date: '2026-09-17' });
    await runOutboxOnce({ db: db(), clock, log: silentLogger }, { workerId: 'test' });
  }

  async function call(d: Db, shopId: string, shopperId: number, method: 'GET' | 'POST', path: string, body?: unknown, now = OPENED_AT) {
    const token = await testTokens.mint(callerOf(shopId, 'shopper', shopperId)!);
    const res = await buildTestApp(d, now).request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const unseen = async (shopId: string, shopperId: number, now = OPENED_AT): Promise<Unseen[]> => {
    const r = await call(db(), shopId, shopperId, 'GET', '/v1/reminders/unseen', undefined, now);
    expect(r.status).toBe(200);
    return r.body.reminders;
  };
  const markSeen = (shopId: string, shopperId: number, reminderIds: unknown) => call(db(), shopId, shopperId, 'POST', '/v1/reminders/seen', { reminderIds });

  it('shows a reminder delivered into an older conversation to the card opening a new one, with its coupon', async () => {
    const { shopId, shoppers } = await birthdayShop(1);
    const me = shoppers[0]!;
    // The shopper talked to the card last week: the reminder is written into that conversation.
    const earlier = await startConversation(db(), shopId, me);
    await appendMessage(db(), shopId, earlier.id, { role: 'user', content: '有适合干皮的面霜吗' });
    await deliver(shopId);

    const list = await unseen(shopId, me);
    expect(list).toHaveLength(1);
    const r = list[0]!;
    expect(r).toMatchObject({ occasion: 'birthday', label: '生日祝福', conversationId: earlier.id, messageId: expect.any(Number) });
    expect(r.message).toContain('顾客0');
    expect(r.message).toContain('生日快乐');
    // The coupon the reminder carries: the birthday coupon the run issued, as the shopper's coupon list has it.
    const { rows } = await db().query<{ name: string; valid_until: Date }>(
      `SELECT t.name, c.valid_until FROM coupons c JOIN coupon_templates t ON t.id = c.template_id WHERE c.shop_id = $1 AND c.shopper_id = $2`,
      [shopId, me],
    );
    expect(rows).toHaveLength(1);
    expect(r.coupon).toEqual({ name: rows[0]!.name, rule: '满150减50', validUntil: rows[0]!.valid_until.toISOString(), lastDay: '2026-09-23', status: 'unused' });
    expect(r.message).toContain(r.coupon!.rule);
  });

  it('marks reminders seen once: the next open shows none, and marking again changes nothing', async () => {
    const { shopId, shoppers } = await birthdayShop(1);
    const me = shoppers[0]!;
    await deliver(shopId);
    const [r] = await unseen(shopId, me);
    expect(await markSeen(shopId, me, [r!.id])).toEqual({ status: 200, body: { seen: [r!.id] } });
    expect(await unseen(shopId, me)).toEqual([]);
    const firstMark = (await db().query<{ seen_at: Date }>('SELECT seen_at FROM reminder_outbox WHERE reminder_id = $1', [r!.id])).rows[0]!.seen_at;
    expect(firstMark.toISOString()).toBe(new Date(OPENED_AT).toISOString());

    // A second tab, a retried request: the same answer, the first mark kept.
    const again = await call(db(), shopId, me, 'POST', '/v1/reminders/seen', { reminderIds: [r!.id, r!.id] }, '2026-09-18T03:00:00Z');
    expect(again).toEqual({ status: 200, body: { seen: [r!.id] } });
    const kept = (await db().query<{ seen_at: Date }>('SELECT seen_at FROM reminder_outbox WHERE reminder_id = $1', [r!.id])).rows[0]!.seen_at;
    expect(kept.toISOString()).toBe(firstMark.toISOString());
  });

  it("never shows nor marks another shopper's reminders", async () => {
    const { shopId, shoppers } = await birthdayShop(2);
    const [me, other] = shoppers as [number, number];
    await deliver(shopId);
    const mine = await unseen(shopId, me);
    const theirs = await unseen(shopId, other);
    expect(mine).toHaveLength(1);
    expect(theirs).toHaveLength(1);
    expect(mine[0]!.message).toContain('顾客0');
    expect(theirs[0]!.message).toContain('顾客1');
    // Their id in my request: answered as an unknown id, and still unseen for them.
    expect(await markSeen(shopId, me, [theirs[0]!.id])).toEqual({ status: 200, body: { seen: [] } });
    expect(await unseen(shopId, other)).toHaveLength(1);
    // Nor from another shop, with the same shopper id in the token.
    const { id: elsewhere } = await createShop(db());
    expect(await markSeen(elsewhere, me, [mine[0]!.id])).toMatchObject({ status: 401 });
    expect(await unseen(shopId, me)).toHaveLength(1);
  });

  it('shows only what reached the card: not a webhook delivery, not one still waiting, not one older than 30 days', async () => {
    const { shopId, shoppers } = await birthdayShop(1, { webhook: true });
    const me = shoppers[0]!;
    // Planned and written, but the outbox has not run yet: nothing reached the card.
    await runReminders({ db: db(), clock: fixedClock(RUN_AT), log: silentLogger, writers: reminderWriters(undefined, silentLogger) }, { shopId, date: '2026-09-17' });
    expect(await unseen(shopId, me)).toEqual([]);
    await db().query(
      `UPDATE reminder_outbox SET state = 'sent', sent_at = $2, result = '{"status":200}' WHERE shop_id = $1 AND channel = 'webhook'`,
      [shopId, RUN_AT],
    );
    expect(await unseen(shopId, me)).toEqual([]);
    await runOutboxOnce({ db: db(), clock: fixedClock(RUN_AT), log: silentLogger }, { workerId: 'test' });
    expect(await unseen(shopId, me)).toHaveLength(1);
    expect(await unseen(shopId, me, '2026-10-18T03:00:00Z')).toEqual([]);
  });

  it('leaves out what her orders have overtaken: the first-order question after another order, a refill after buying it again', async () => {
    const { id: shopId } = await createShop(db());
    const { id: me } = await createShopper(db(), { shopId, tier: 'converted' });
    await db().query(`UPDATE shoppers SET registered_at = '2024-01-01' WHERE id = $1`, [me]);
    const cleanser = await createProduct(db(), { shopId, name: '氨基酸洁面乳', category: '洁面' });
    await db().query('UPDATE products SET usage_cycle_days = 30 WHERE id = $1', [cleanser.id]);
    const buy = (paidAt: string) =>
      createOrder(db(), {
        shopId,
        shopperId: me,
        status: 'completed',
        createdAt: new Date(new Date(paidAt).getTime() - 60_000),
        paidAt,
        items: [{ productId: cleanser.id, quantity: 1, name: cleanser.name, unitPriceFen: 9_900 }],
      });
    const runDay = async (date: string) => {
      const clock = fixedClock(`${date}T02:00:00Z`);
      await runReminders({ db: db(), clock, log: silentLogger, writers: reminderWriters(undefined, silentLogger) }, { shopId, date });
      await runOutboxOnce({ db: db(), clock, log: silentLogger }, { workerId: 'test' });
    };
    // Her first order: asked on 08-03 whether it arrived; its refill is due 08-01 + 30 − 5 = 08-26.
    await buy('2026-08-01T02:00:00Z');
    await runDay('2026-08-03');
    expect((await unseen(shopId, me, '2026-08-03T03:00:00Z')).map((r) => r.occasion)).toEqual(['secondPurchase']);
    await runDay('2026-08-26');
    expect((await unseen(shopId, me, '2026-08-26T03:00:00Z')).map((r) => r.occasion)).toEqual(['secondPurchase', 'replenishment']);
    // She buys it again before opening the card: neither holds any more.
    await buy('2026-08-27T02:00:00Z');
    expect(await unseen(shopId, me, '2026-08-27T03:00:00Z')).toEqual([]);
  });

  it('leaves out the reminders of an occasion she switched off since, and shows them when she switches it back on', async () => {
    const { shopId, shoppers } = await birthdayShop(1);
    const me = shoppers[0]!;
    await deliver(shopId);
    expect(await unseen(shopId, me)).toHaveLength(1);
    await setReminderPreference(db(), shopId, me, 'birthday', false, new Date(RUN_AT));
    expect(await unseen(shopId, me)).toEqual([]);
    await setReminderPreference(db(), shopId, me, 'birthday', true, new Date(RUN_AT));
    expect(await unseen(shopId, me)).toHaveLength(1);
    await setReminderPreference(db(), shopId, me, 'all', false, new Date(RUN_AT));
    expect(await unseen(shopId, me)).toEqual([]);
  });

  it('refuses a bad body with 400 and a missing token with 401, marking nothing', async () => {
    const { shopId, shoppers } = await birthdayShop(1);
    const me = shoppers[0]!;
    await deliver(shopId);
    for (const body of [{}, { reminderIds: [] }, { reminderIds: ['1'] }, { reminderIds: [1.5] }, { reminderIds: [-1] }, { reminderIds: [1], extra: true }, 'not json', { reminderIds: Array.from({ length: 51 }, (_, i) => i + 1) }]) {
      const r = await call(db(), shopId, me, 'POST', '/v1/reminders/seen', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid');
    }
    const app = buildTestApp(db(), OPENED_AT);
    expect((await app.request('/v1/reminders/unseen')).status).toBe(401);
    expect((await app.request('/v1/reminders/seen', { method: 'POST', body: '{"reminderIds":[1]}' })).status).toBe(401);
    expect(await unseen(shopId, me)).toHaveLength(1);
  });
});
