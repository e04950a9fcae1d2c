// The outbox (docs/domain.md §8 Reminders, delivered exactly once): in-card messages written in the same
// transaction that marks them sent; a worker that dies after claiming loses nothing; racing
// workers send nothing twice; the webhook is signed, retried with backoff, dead-lettered and
// re-driven; quiet hours and opt-outs hold at delivery time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { appendMessage, startConversation } from '../../src/domain/conversations/repo.ts';
import { claimDue, deliver, redrive, runOutboxOnce } from '../../src/domain/reminders/outbox.ts';
import { saveReminderSettings } from '../../src/domain/reminders/repo.ts';
import { runReminders } from '../../src/domain/reminders/run.ts';
import type { ReminderSettingsInput } from '../../src/domain/reminders/settings.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../src/domain/reminders/webhook.ts';
import { silentLogger } from '../../src/log.ts';
import { createDestinationGuard, type DestinationGuard } from '../../src/net/destinationGuard.ts';
import { describeDb } from '../helpers/db.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';
import { reminderWriters } from '../../src/agent/reminderWriter.ts';

const TEMPLATES = reminderWriters(undefined, silentLogger);

const SECRET = 'whsec_0123456789abcdef';

function clockAt(iso: string): Clock & { advance(ms: number): void; set(iso: string): void } {
  let t = new Date(iso).getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => (t += ms),
    set: (s) => (t = new Date(s).getTime()),
  };
}

/** A mall backend on 127.0.0.1 that fails the first `failFirst` requests with 503 and checks signatures. */
interface Receiver {
  url: string;
  failFirst: number;
  requests: { deliveryId: string; body: Record<string, unknown>; signed: boolean; timestamp: string }[];
}
let server: Server;
const receiver: Receiver = { url: '', failFirst: 0, requests: [] };
// The receiver is inside the network: allowed the way an operator would, in WEBHOOK_ALLOW_HOSTS.
let webhookGuard: DestinationGuard;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      receiver.requests.push({
        deliveryId: String(req.headers[DELIVERY_HEADER]),
        body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>,
        signed: verifySignature(SECRET, raw, req.headers[SIGNATURE_HEADER] as string),
        timestamp: String(req.headers[TIMESTAMP_HEADER]),
      });
      const fail = receiver.requests.length <= receiver.failFirst;
      res.writeHead(fail ? 503 : 200, { 'content-type': 'application/json' }).end(fail ? '{"error":"busy"}' : '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${port}/laotie/reminders`;
  webhookGuard = createDestinationGuard({ allowHosts: loadConfig({ WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${port}` }).WEBHOOK_ALLOW_HOSTS });
});
afterAll(async () => {
  await webhookGuard.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function shopWithBirthdays(db: Db, n: number, o: { settings?: ReminderSettingsInput; webhook?: boolean } = {}) {
  const { id: shopId } = await createShop(db);
  if (o.settings || o.webhook) {
    await saveReminderSettings(db, shopId, { settings: o.settings ?? {}, webhook: o.webhook ? { url: receiver.url, secret: SECRET } : undefined }, new Date(), webhookGuard);
  }
  const shoppers: number[] = [];
  for (let i = 0; i < n; i++) {
    const { id } = await createShopper(db, { shopId, tier: 'core', nickname: `顾客${i}` });
    await db.query(`UPDATE shoppers SET birthday = '1990-09-17', registered_at = '2024-01-01' WHERE id = $1`, [id]);
    shoppers.push(id);
  }
  return { shopId, shoppers };
}

async function plan(db: Db, shopId: string, clock: Clock) {
  return runReminders({ db, clock, log: silentLogger, writers: TEMPLATES }, { shopId, date: '2026-09-17' });
}

async function reminderMessages(db: Db, shopId: string) {
  const { rows } = await db.query<{ conversation_id: string; shopper_id: number; content: string; meta: Record<string, unknown> }>(
    `SELECT m.conversation_id, c.shopper_id, m.content, m.meta FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE c.shop_id = $1 AND m.meta->>'kind' = 'reminder' ORDER BY m.id`,
    [shopId],
  );
  return rows;
}

async function outboxRows(db: Db, shopId: string) {
  const { rows } = await db.query<{ id: number; channel: string; state: string; attempts: number; next_attempt_at: Date; last_error: string | null }>(
    'SELECT id, channel, state, attempts, next_attempt_at, last_error FROM reminder_outbox WHERE shop_id = $1 ORDER BY id',
    [shopId],
  );
  return rows;
}

describeDb('reminder delivery', (db) => {
  it('writes the reminder into the latest conversation once, with its meta, so a reply continues it', async () => {
    const clock = clockAt('2026-09-17T02:00:00Z');
    const { shopId, shoppers } = await shopWithBirthdays(db(), 2);
    const talk = await startConversation(db(), shopId, shoppers[0]!);
    await appendMessage(db(), shopId, talk.id, { role: 'user', content: '有适合干皮的面霜吗' });
    await plan(db(), shopId, clock);
    const deps = { db: db(), clock, log: silentLogger, webhookGuard };
    expect(await runOutboxOnce(deps, { workerId: 'w1' })).toMatchObject({ claimed: 2, sent: 2 });
    expect(await runOutboxOnce(deps, { workerId: 'w1' })).toMatchObject({ claimed: 0 });
    const msgs = await reminderMessages(db(), shopId);
    expect(msgs).toHaveLength(2);
    const first = msgs.find((m) => m.shopper_id === shoppers[0])!;
    expect(first.conversation_id).toBe(talk.id);
    expect(first.meta).toMatchObject({ kind: 'reminder', occasion: 'birthday', reminderId: expect.any(Number) });
    expect(first.content).toContain('顾客0');
    // The other shopper had no conversation: one was started for the reminder.
    expect(msgs.find((m) => m.shopper_id === shoppers[1])!.conversation_id).not.toBe(talk.id);
    expect((await outboxRows(db(), shopId)).map((r) => [r.state, r.attempts])).toEqual([['sent', 1], ['sent', 1]]);
  });

  it('a worker that dies between claim and send loses nothing: after the lease, another sends it once', async () => {
    const clock = clockAt('2026-09-17T02:00:00Z');
    const { shopId } = await shopWithBirthdays(db(), 1);
    await plan(db(), shopId, clock);
    const deps = { db: db(), clock, log: silentLogger, webhookGuard };
    const [claimedByA] = await claimDue(db(), 'worker-a', clock.now(), 10, 60_000);
    expect(claimedByA).toBeDefined();
    // A "dies" here. Within the lease nobody else takes the row.
    expect(await runOutboxOnce(deps, { workerId: 'worker-b', leaseMs: 60_000 })).toMatchObject({ claimed: 0 });
    clock.advance(61_000);
    expect(await runOutboxOnce(deps, { workerId: 'worker-b', leaseMs: 60_000 })).toMatchObject({ claimed: 1, sent: 1 });
    // A comes back to life and finishes its stale claim: nothing happens.
    expect(await deliver(deps, claimedByA!, { workerId: 'worker-a' })).toBe('lost');
    expect(await reminderMessages(db(), shopId)).toHaveLength(1);
    expect(await runOutboxOnce(deps, { workerId: 'worker-a' })).toMatchObject({ claimed: 0 });
  });

  it('racing workers deliver each reminder exactly once', async () => {
    const clock = clockAt('2026-09-17T02:00:00Z');
    const { shopId, shoppers } = await shopWithBirthdays(db(), 8);
    await Promise.all([plan(db(), shopId, clock), plan(db(), shopId, clock)]);
    const deps = { db: db(), clock, log: silentLogger, webhookGuard };
    for (let pass = 0; pass < 4; pass++) {
      await Promise.all([
        runOutboxOnce(deps, { workerId: 'w1', batchSize: 3 }),
        runOutboxOnce(deps, { workerId: 'w2', batchSize: 3 }),
        runOutboxOnce(deps, { workerId: 'w3', batchSize: 3 }),
      ]);
    }
    const msgs = await reminderMessages(db(), shopId);
    expect(msgs.map((m) => m.shopper_id).sort((a, b) => a - b)).toEqual(shoppers);
    expect((await outboxRows(db(), shopId)).every((r) => r.state === 'sent')).toBe(true);
  });

  it('signs the webhook, retries with backoff after failures and delivers with one delivery id', async () => {
    receiver.requests = [];
    receiver.failFirst = 2;
    const clock = clockAt('2026-09-17T02:00:00Z');
    const { shopId, shoppers } = await shopWithBirthdays(db(), 1, { webhook: true, settings: { subscribe: { templateIds: { birthday: 'tmpl-bday' } } } });
    await plan(db(), shopId, clock);
    const deps = { db: db(), clock, log: silentLogger, webhookGuard };
    expect(await runOutboxOnce(deps, { workerId: 'w' })).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    let hook = (await outboxRows(db(), shopId)).find((r) => r.channel === 'webhook')!;
    expect(hook).toMatchObject({ state: 'failed', attempts: 1, last_error: 'HTTP 503' });
    expect(hook.next_attempt_at).toEqual(new Date('2026-09-17T02:00:30Z'));
    expect(await runOutboxOnce(deps, { workerId: 'w' })).toMatchObject({ claimed: 0 });
    clock.set('2026-09-17T02:00:30Z');
    expect(await runOutboxOnce(deps, { workerId: 'w' })).toMatchObject({ failed: 1 });
    hook = (await outboxRows(db(), shopId)).find((r) => r.channel === 'webhook')!;
    expect(hook.next_attempt_at).toEqual(new Date('2026-09-17T02:01:30Z'));
    clock.set('2026-09-17T02:01:30Z');
    expect(await runOutboxOnce(deps, { workerId: 'w' })).toMatchObject({ sent: 1 });
    expect((await outboxRows(db(), shopId)).map((r) => [r.channel, r.state, r.attempts])).toEqual([
      ['in_card', 'sent', 1],
      ['webhook', 'sent', 3],
    ]);
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests.every((r) => r.signed && r.deliveryId === String(hook.id))).toBe(true);
    const body = receiver.requests[2]!.body as { subscribeMessage: Record<string, unknown>; timestamp: number; deliveryId: string };
    expect(String(body.timestamp)).toBe(receiver.requests[2]!.timestamp);
    const { rows } = await db().query<{ openid: string }>('SELECT openid FROM shoppers WHERE id = $1', [shoppers[0]]);
    expect(body.subscribeMessage).toMatchObject({
      template_id: 'tmpl-bday',
      touser: rows[0]!.openid,
      page: expect.stringMatching(/^pages\/card\/index\?reminderId=\d+$/),
      data: { thing1: { value: '生日祝福' }, thing2: { value: expect.any(String) }, time3: { value: '2026-09-17 10:00' } },
    });
    expect((body.subscribeMessage.data as { thing2: { value: string } }).thing2.value.length).toBeLessThanOrEqual(20);
  });

  it('dead-letters the webhook after 5 attempts and re-drives it', async () => {
    receiver.requests = [];
    receiver.failFirst = 1000;
    const clock = clockAt('2026-09-17T02:00:00Z');
    const { shopId } = await shopWithBirthdays(db(), 1, { webhook: true });
    await plan(db(), shopId, clock);
    const deps = { db: db(), clock, log: silentLogger, webhookGuard };
    for (let i = 0; i < 5; i++) {
      await runOutboxOnce(deps, { workerId: 'w' });
      clock.advance(3_600_000);
    }
    const hook = (await outboxRows(db(), shopId)).find((r) => r.channel === 'webhook')!;
    expect(hook).toMatchObject({ state: 'dead', attempts: 5, last_error: 'HTTP 503' });
    expect(await runOutboxOnce(deps, { workerId: 'w' })).toMatchObject({ claimed: 0 });
    await expect(redrive(db(), 'another-shop', hook.id, clock.now())).rejects.toMatchObject({ code: 'not_found' });
    receiver.failFirst = 0;
    await redrive(db(), shopId, hook.id, clock.now());
    await expect(redrive(db(), shopId, hook.id, clock.now())).rejects.toMatchObject({ code: 'conflict' });
    expect(await runOutboxOnce(deps, { workerId: 'w' })).toMatchObject({ sent: 1 });
    expect((await outboxRows(db(), shopId)).find((r) => r.channel === 'webhook')).toMatchObject({ state: 'sent', attempts: 1 });
    expect(receiver.requests).toHaveLength(6);
  });

  it('keeps the quiet hours at delivery: a retry due at night waits for 08:00, a late claim is deferred', async () => {
    receiver.requests = [];
    receiver.failFirst = 1;
    // 21:59:50 in Shanghai: the 30 s backoff would land at 22:00:20.
    const clock = clockAt('2026-09-17T13:59:50Z');
    const { shopId } = await shopWithBirthdays(db(), 1, { webhook: true });
    await plan(db(), shopId, clock);
    const deps = { db: db(), clock, log: silentLogger, webhookGuard };
    await runOutboxOnce(deps, { workerId: 'w' });
    const hook = (await outboxRows(db(), shopId)).find((r) => r.channel === 'webhook')!;
    expect(hook).toMatchObject({ state: 'failed', attempts: 1 });
    expect(hook.next_attempt_at).toEqual(new Date('2026-09-18T00:00:00Z'));
    // An operator re-drive at 23:00 is claimed but deferred to 08:00, without spending an attempt.
    await db().query(`UPDATE reminder_outbox SET state = 'dead' WHERE id = $1`, [hook.id]);
    clock.set('2026-09-17T15:00:00Z');
    await redrive(db(), shopId, hook.id, clock.now());
    expect(await runOutboxOnce(deps, { workerId: 'w' })).toMatchObject({ deferred: 1 });
    expect((await outboxRows(db(), shopId)).find((r) => r.id === hook.id)).toMatchObject({
      state: 'pending',
      attempts: 0,
      next_attempt_at: new Date('2026-09-18T00:00:00Z'),
    });
    clock.set('2026-09-18T00:00:00Z');
    expect(await runOutboxOnce(deps, { workerId: 'w' })).toMatchObject({ sent: 1 });
  });

  it('cancels a queued reminder when the shopper opts out before it goes', async () => {
    const clock = clockAt('2026-09-17T02:00:00Z');
    const { shopId, shoppers } = await shopWithBirthdays(db(), 1);
    await plan(db(), shopId, clock);
    await db().query(`UPDATE shoppers SET consent = '{"marketing": true, "reminders": {"birthday": false}}' WHERE id = $1`, [shoppers[0]]);
    expect(await runOutboxOnce({ db: db(), clock, log: silentLogger }, { workerId: 'w' })).toMatchObject({ cancelled: 1 });
    expect(await reminderMessages(db(), shopId)).toEqual([]);
  });
});
