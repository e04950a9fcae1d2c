// The red team on the web side: a shop admin points the reminders webhook at the service's own
// network (set through the API, or already stored and reached at delivery); API responses a browser
// could sniff into something else; tokens that spell a shopper's id another way; orders too large to
// be true from the mall's events; and, in the malicious-model suite, checks that now can fail.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { appendMessage, startConversation } from '../../src/domain/conversations/repo.ts';
import { runOutboxOnce } from '../../src/domain/reminders/outbox.ts';
import { runReminders } from '../../src/domain/reminders/run.ts';
import { silentLogger } from '../../src/log.ts';
import { addProduct, ev } from '../db/lifecycleFixtures.ts';
import { describeDb } from '../helpers/db.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { OWASP_WEB, scoreboard } from './lib.ts';
import { reminderWriters } from '../../src/agent/reminderWriter.ts';

const TEMPLATES = reminderWriters(undefined, silentLogger);

vi.setConfig({ testTimeout: 120_000 });

const SECRET = 'whsec_0123456789abcdef';
// 10:00 in Shanghai on the shoppers' birthday: the day's reminders are due.
const BIRTHDAY_MORNING = '2026-09-17T02:00:00Z';

/** A service on 127.0.0.1 that must never hear from the outbox: it records every request. */
async function listeningReceiver(): Promise<{ server: Server; port: number; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

/** A port on 127.0.0.1 nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describeDb('red team: the web side', (db) => {
  const board = scoreboard();
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof listeningReceiver>>;
  let closed: number;

  const req = async (path: string, init: RequestInit & { auth?: string; to?: TestServer } = {}) => {
    const headers = { 'content-type': 'application/json', ...(init.auth ? { authorization: `Bearer ${init.auth}` } : {}) };
    const res = await fetch(`${(init.to ?? server).url}${path}`, { ...init, headers });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };

  beforeAll(async () => {
    server = await startTestServer(db(), { env: { RATE_LIMIT_SHOPPER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' } });
    receiver = await listeningReceiver();
    closed = await closedPort();
  });
  afterAll(async () => {
    board.print('the web side');
    await server?.close();
    await new Promise<void>((resolve) => (receiver?.server ? receiver.server.close(() => resolve()) : resolve()));
  });

  it('A10: the reminders webhook cannot be set to an address inside the network', async () => {
    const { id: shopId } = await createShop(db());
    const admin = await server.token(1, { shop: shopId, role: 'admin' });
    const put = (url: string) =>
      req('/v1/admin/reminders/settings', { method: 'PUT', auth: admin, body: JSON.stringify({ settings: {}, webhook: { url, secret: SECRET } }) });
    const inside: Array<[string, string]> = [
      ['loopback on a listening port', `http://127.0.0.1:${receiver.port}/hook`],
      ['loopback on a closed port', `http://127.0.0.1:${closed}/hook`],
      ['localhost', 'http://localhost/hook'],
      ['localhost with a trailing dot', 'http://LOCALHOST./hook'],
      ['a name under .localhost', 'http://mall.localhost/hook'],
      ['IPv6 loopback', 'http://[::1]/hook'],
      ['hexadecimal IPv4', 'http://0x7f000001/hook'],
      ['decimal IPv4', 'http://2130706433/hook'],
      ['octal IPv4', 'http://0177.0.0.1/hook'],
      ['shortened IPv4', 'http://127.1/hook'],
      ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]/hook'],
      ['the cloud metadata service', 'http://169.254.169.254/latest/meta-data/iam/'],
      ['private 10/8', 'http://10.1.2.3/hook'],
      ['private 172.16/12', 'http://172.20.0.1/hook'],
      ['private 192.168/16', 'https://192.168.1.1/hook'],
      ['carrier-grade NAT 100.64/10', 'http://100.64.0.1/hook'],
      ['IPv6 link-local', 'http://[fe80::1]/hook'],
      ['IPv6 unique-local', 'http://[fd12:3456::1]/hook'],
      ['the unspecified IPv4 address', 'http://0.0.0.0/hook'],
      ['the unspecified IPv6 address', 'http://[::]/hook'],
      ['multicast', 'http://224.0.0.251/hook'],
      ['broadcast', 'http://255.255.255.255/hook'],
      ['a public name on a port of its own choosing', 'https://mall.example.com:6379/hook'],
    ];
    for (const [name, url] of inside) {
      await board.attack(OWASP_WEB.A10, `webhook set to ${name}: ${url}`, async () => {
        const r = await put(url);
        expect(r.status, r.text.slice(0, 200)).toBe(400);
        expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'invalid', message: expect.stringMatching(/webhook\.url.*refused destination: /) } });
      });
    }
    // What the shop's own mall backend looks like is still taken.
    const good = await put('https://mall.example.com/laotie/reminders');
    expect(good.status, good.text).toBe(200);
    const saved = JSON.parse((await req('/v1/admin/reminders/settings', { auth: admin })).text) as { webhook: { url: string } };
    expect(saved.webhook.url).toBe('https://mall.example.com/laotie/reminders');
    expect(receiver.requests).toHaveLength(0);
    board.assertAllSafe();
  });

  it('A10: a stored webhook inside the network is refused again at delivery, dead at once, the same for open and closed ports', async () => {
    const clock: Clock = { now: () => new Date(BIRTHDAY_MORNING) };
    /** A shop whose stored webhook (saved before this check, or changed in the database) is `url`. */
    const deliverTo = async (url: string) => {
      const { id: shopId } = await createShop(db());
      const { id: shopperId } = await createShopper(db(), { shopId, tier: 'core' });
      await db().query(`UPDATE shoppers SET birthday = '1990-09-17', registered_at = '2024-01-01' WHERE id = $1`, [shopperId]);
      await db().query(
        `INSERT INTO reminder_settings (shop_id, settings, version, webhook_url, webhook_secret, updated_at) VALUES ($1, '{}', 1, $2, $3, now())`,
        [shopId, url, SECRET],
      );
      await runReminders({ db: db(), clock, log: silentLogger, writers: TEMPLATES }, { shopId, date: '2026-09-17' });
      await runOutboxOnce({ db: db(), clock, log: silentLogger }, { workerId: 'redteam' });
      const admin = await server.token(1, { shop: shopId, role: 'admin' });
      const outbox = JSON.parse((await req('/v1/admin/outbox', { auth: admin })).text) as {
        deliveries: Array<{ channel: string; state: string; attempts: number; lastError: string | null }>;
      };
      return outbox.deliveries.find((d) => d.channel === 'webhook');
    };
    const errors: string[] = [];
    const urls = [
      `http://127.0.0.1:${receiver.port}/hook`,
      `http://127.0.0.1:${closed}/hook`,
      `http://localhost:${receiver.port}/hook`,
      `http://0x7f000001:${receiver.port}/hook`,
      `http://[::ffff:127.0.0.1]:${receiver.port}/hook`,
    ];
    for (const url of urls) {
      await board.attack(OWASP_WEB.A10, `stored webhook ${url} at delivery`, async () => {
        const hook = await deliverTo(url);
        expect(hook, 'a webhook delivery was queued').toBeDefined();
        // Refused for good on its first attempt: not retried, not a socket error to read ports by.
        expect(hook).toMatchObject({ state: 'dead', attempts: 1, lastError: expect.stringMatching(/^refused destination: /) });
        errors.push(hook!.lastError!);
      });
    }
    await board.attack(OWASP_WEB.A10, 'an open and a closed port look the same in lastError', async () => {
      expect(errors[0]).toBeDefined();
      expect(errors[1]).toBe(errors[0]);
    });
    await board.attack(OWASP_WEB.A10, 'the listening service heard nothing', async () => {
      expect(receiver.requests).toHaveLength(0);
    });
    board.assertAllSafe();
  });

  it('A05: every API response says nosniff, errors, 404s and event streams included', async () => {
    const { id: shopId } = await createShop(db());
    const { id: shopperId } = await createShopper(db(), { shopId });
    const shopper = await server.token(shopperId, { shop: shopId });
    const checks: Array<[string, string, RequestInit & { auth?: string }]> = [
      ['a JSON answer', '/healthz', {}],
      ['a 404', '/v1/no-such-route', {}],
      ['a 401', '/v1/admin/outbox', {}],
      ['a 400', '/v1/chat', { method: 'POST', auth: shopper, body: '{"message":' }],
      ['a 403', '/v1/admin/outbox', { auth: shopper }],
    ];
    for (const [name, path, init] of checks) {
      await board.attack(OWASP_WEB.A05, `${name}: ${path}`, async () => {
        const r = await req(path, init);
        expect(r.headers.get('content-type')).toContain('application/json');
        expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      });
    }
    await board.attack(OWASP_WEB.A05, 'the live event stream', async () => {
      const abort = new AbortController();
      const res = await fetch(`${server.url}/v1/live`, { headers: { authorization: `Bearer ${shopper}` }, signal: abort.signal });
      try {
        expect(res.headers.get('content-type')).toContain('text/event-stream');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      } finally {
        abort.abort();
        await res.body?.cancel().catch(() => {});
      }
    });
    await board.attack(OWASP_WEB.A05, 'a streamed chat turn', async () => {
      const res = await fetch(`${server.url}/v1/chat/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper}` },
        body: JSON.stringify({ message: '你好' }),
      });
      await res.text();
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });
    board.assertAllSafe();
  });

  it('A07: a token naming shopper N in another spelling is not shopper N, and does not get a rate limit of its own', async () => {
    const { id: shopId } = await createShop(db());
    const { id: n } = await createShopper(db(), { shopId });
    const conv = await startConversation(db(), shopId, n);
    await appendMessage(db(), shopId, conv.id, { role: 'user', content: '我的收货地址是幸福路 8 号' });
    const own = await req(`/v1/conversations/${conv.id}`, { auth: await server.token(n, { shop: shopId }) });
    expect(own.status, own.text).toBe(200);
    const spellings = [`0${n}`, `00${n}`, `${n}.0`, ` ${n}`, `${n} `, `+${n}`, `${n}e0`, `0x${n.toString(16)}`];
    for (const sub of spellings) {
      await board.attack(OWASP_WEB.A07, `sub ${JSON.stringify(sub)} reads shopper ${n}'s conversation`, async () => {
        const r = await req(`/v1/conversations/${conv.id}`, { auth: await server.token(sub, { shop: shopId }) });
        expect(r.status, r.text.slice(0, 120)).toBe(401);
        expect(r.text).not.toContain('幸福路');
      });
    }
    // One chat turn a minute for the shopper: spelling the id anew must not buy another.
    const limited = await startTestServer(db(), { env: { RATE_LIMIT_SHOPPER_PER_MIN: '1', RATE_LIMIT_IP_PER_MIN: '0' } });
    try {
      // An empty body is refused after the limiter has counted the request (400), without a turn.
      const chat = async (sub: string) =>
        (await req('/v1/chat', { method: 'POST', auth: await limited.token(sub, { shop: shopId }), body: '{}', to: limited })).status;
      expect(await chat(String(n))).toBe(400);
      expect(await chat(String(n))).toBe(429);
      for (const sub of spellings) {
        await board.attack(OWASP_WEB.A07, `sub ${JSON.stringify(sub)} past shopper ${n}'s spent rate limit`, async () => {
          expect([401, 429]).toContain(await chat(sub));
        });
      }
    } finally {
      await limited.close();
    }
    board.assertAllSafe();
  });

  it('A04: an order too large to be true is rejected at the events boundary, as one that will never apply', async () => {
    const { id: shopId } = await createShop(db());
    await addProduct(db(), shopId, { sku: 'CREAM', priceFen: 12_900 });
    const admin = await server.token(1, { shop: shopId, role: 'admin' });
    const post = async (events: unknown[]) =>
      JSON.parse((await req('/v1/events', { method: 'POST', auth: admin, body: JSON.stringify({ events }) })).text) as {
        accepted: string[];
        rejected: Array<{ id: string; reason: string }>;
      };
    const at = '2026-09-01T02:00:00Z';
    expect((await post([ev.registered('buyer', at, {}, 'reg-buyer')])).accepted).toEqual(['reg-buyer']);
    const order = (id: string, type: 'created' | 'paid', data: Record<string, unknown>) => ev.order(type, `LT-${id}`, at, { openid: 'buyer', ...data }, id);
    const huge: Array<[string, unknown]> = [
      ['9,999 × 10¹² fen', order('huge-1', 'created', { items: [{ sku: 'CREAM', quantity: 9999, unitPriceFen: 1e12 }] })],
      ['one item just over the ceiling', order('huge-2', 'created', { items: [{ sku: 'CREAM', quantity: 1, unitPriceFen: 10_000_001 }] })],
      ['many lines that add up past the ceiling', order('huge-3', 'paid', { items: Array.from({ length: 11 }, () => ({ sku: 'CREAM', quantity: 1, unitPriceFen: 1_000_000 })) })],
      ['a quantity no shopper buys', order('huge-4', 'created', { items: [{ sku: 'CREAM', quantity: 5000, unitPriceFen: 100 }] })],
      ['shipping of 10¹² fen', order('huge-5', 'created', { items: [{ sku: 'CREAM', quantity: 1, unitPriceFen: 12_900 }], amounts: { shippingFen: 1e12 } })],
    ];
    for (const [name, event] of huge) {
      await board.attack(OWASP_WEB.A04, `order.* with ${name}`, async () => {
        const r = await post([event]);
        expect(r.accepted).toEqual([]);
        expect(r.rejected).toHaveLength(1);
        expect(r.rejected[0]!.reason).toMatch(/never/);
      });
    }
    const rows = await db().query('SELECT 1 FROM orders WHERE shop_id = $1', [shopId]);
    expect(rows.rows).toHaveLength(0);
    // At the ceiling itself the order is taken.
    const atCeiling = await post([order('at-ceiling', 'created', { items: [{ sku: 'CREAM', quantity: 10, unitPriceFen: 1_000_000 }] })]);
    expect(atCeiling.accepted).toEqual(['at-ceiling']);
    board.assertAllSafe();
  });
});
