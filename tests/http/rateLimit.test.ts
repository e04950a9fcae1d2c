// Rate limits on the chat endpoints, over real HTTP (per shopper and per IP), and the bucket's
// refill and proxy handling on a tiny app with an injected clock.
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../../src/auth/tokens.ts';
import type { Db } from '../../src/db/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { bearerAuth, type CallerEnv } from '../../src/http/auth.ts';
import { errorHandler } from '../../src/http/errors.ts';
import { signWithSub } from '../helpers/rawTokens.ts';
import { rateLimit } from '../../src/http/rateLimit.ts';
import { silentLogger } from '../../src/log.ts';
import { DEMO_SNAPSHOT_FILE } from '../helpers/paths.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('chat rate limits, over HTTP', () => {
  let db: Db;
  let server: TestServer;
  let a: string;
  let b: string;

  const post = (path: string, token: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const userMessages = async () =>
    Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM messages WHERE role = 'user'")).rows[0]!.n);

  beforeAll(async () => {
    db = await openPglite({ loadDataDir: new Blob([readFileSync(DEMO_SNAPSHOT_FILE)]) });
    await migrate(db);
    server = await startTestServer(db, { env: { RATE_LIMIT_SHOPPER_PER_MIN: '3', RATE_LIMIT_IP_PER_MIN: '12' } });
    a = await server.token((await findShopperIdByOpenid(db, 'demo', 'demo-openid-0001'))!);
    b = await server.token((await findShopperIdByOpenid(db, 'demo', 'demo-openid-0002'))!);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** Sends until the first 429 (turns are slow on a loaded machine, and the buckets refill meanwhile). */
  async function untilLimited(send: () => Promise<Response>, max: number) {
    const statuses: number[] = [];
    for (let i = 0; i < max; i++) {
      const res = await send();
      statuses.push(res.status);
      if (res.status === 429) return { statuses, res };
      await res.arrayBuffer();
    }
    return { statuses, res: null };
  }

  it('lets a shopper take a burst, then answers 429 rate_limited with Retry-After and runs no turn', async () => {
    const { statuses, res } = await untilLimited(() => post('/v1/chat', a, { message: '你好' }), 8);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(res?.status).toBe(429);
    const retryAfter = Number(res!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20); // 3 a minute: one token back every 20 s
    expect(await res!.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('retry in') } });
    // The limit holds on every chat endpoint, and the refused turn stored nothing.
    const before = await userMessages();
    expect((await post('/v1/chat/completions', a, { model: 'card:demo', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(429);
    expect(await userMessages()).toBe(before);
  });

  it('limits each shopper on their own, and each IP across shoppers and bad tokens', async () => {
    // Shopper a is out of turns; b is not.
    expect((await post('/v1/chat/stream', b, { message: '你好' })).status).toBe(200);
    // Before authentication: a flood of bad tokens from one address is cut too.
    const { statuses, res } = await untilLimited(() => post('/v1/chat', 'not-a-token', { message: '你好' }), 12);
    expect(res?.status).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    expect(Number(res!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Other routes are not limited.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('the token bucket', () => {
  const SECRET = 'y'.repeat(32);
  const tokens = createTokenIssuer(SECRET);
  let t = 0;
  const app = new Hono();
  app.use('/v1/chat', rateLimit({ tokens, perShopperPerMinute: 2, perIpPerMinute: 4, trustProxy: true, now: () => t }));
  app.post('/v1/chat', (c) => c.json({ ok: true }));
  let ips = 0;
  const send = (token: string, ip = `10.1.0.${++ips}`) =>
    app.request('/v1/chat', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': `1.2.3.4, ${ip}` } });

  it('refills over the minute and tells the client how long to wait', async () => {
    const token = await tokens.mint({ shopId: 'demo', role: 'shopper', shopperId: 7 });
    expect((await send(token)).status).toBe(200);
    expect((await send(token)).status).toBe(200);
    const refused = await send(token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    t += 29_000;
    expect((await send(token)).status).toBe(429);
    expect((await send(token)).headers.get('retry-after')).toBe('1');
    t += 1_000;
    expect((await send(token)).status).toBe(200);
  });

  it('keys a shopper on the one spelling of their id: a token for "07" is no second shopper 7 with turns of its own', async () => {
    const guarded = new Hono<CallerEnv>();
    guarded.use('/v1/chat', rateLimit({ tokens, perShopperPerMinute: 1, perIpPerMinute: 0, now: () => t }));
    guarded.post('/v1/chat', bearerAuth({ tokens }), (c) => c.json(c.get('caller')));
    guarded.onError(errorHandler(silentLogger));
    const chat = async (sub: string) =>
      (await guarded.request('/v1/chat', { method: 'POST', headers: { authorization: `Bearer ${await signWithSub(SECRET, sub)}` } })).status;
    t += 600_000;
    expect(await chat('7')).toBe(200);
    expect(await chat('7')).toBe(429);
    for (const spelling of ['07', '007', '7.0', '+7', ' 7', '7e0']) expect([spelling, await chat(spelling)]).toEqual([spelling, 401]);
  });

  it("keys the IP limit on the proxy's last X-Forwarded-For entry, not the client's own", async () => {
    const other = await tokens.mint({ shopId: 'demo', role: 'shopper', shopperId: 8 });
    t += 600_000;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(i % 2 ? other : 'x', '10.0.0.2')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const fresh = await tokens.mint({ shopId: 'demo', role: 'shopper', shopperId: 9 });
    expect((await send(fresh, '10.0.0.3')).status).toBe(200);
  });
});
