// The database going away under a running server (PostgreSQL, reached through a proxy the test cuts):
// requests get 503 db_unavailable JSON within a bound, never a 500 or a hang; /readyz says not ready;
// when the database is back the same process serves again, no restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { openPg } from '../../src/db/pg.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';
import { pgDriver } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually } from '../helpers/sse.ts';
import { startTcpProxy, type TcpProxy } from './tcpProxy.ts';

const url = process.env.TEST_DATABASE_URL;
// Longer than the pool's 5 s connect timeout plus a loaded machine's slack; a hang shows as an abort.
const ANSWER_WITHIN_MS = 15_000;

describe.skipIf(!url)('the database going away under a running server [pg]', () => {
  let direct: { db: Db; dispose(): Promise<void> };
  let proxy: TcpProxy;
  let viaProxy: Db;
  let server: TestServer;
  let shopperToken: string;
  let staffToken: string;
  const SHOP = `fault-outage-${Math.random().toString(36).slice(2, 7)}`;

  async function call(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const chat = (message: string, conversationId?: string) => call('POST', '/v1/chat', shopperToken, { message, conversationId });
  const ready = () => call('GET', '/readyz', '');
  const DB_DOWN = { error: { code: 'db_unavailable', message: expect.any(String) } };

  beforeAll(async () => {
    direct = await pgDriver.open();
    await createShop(direct.db, { id: SHOP });
    const shopper = await createShopper(direct.db, { shopId: SHOP });
    const { rows } = await direct.db.query<{ schema: string }>('SELECT current_schema() AS schema');
    const target = new URL(url!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    viaProxy = await openPg(proxy.url(url!), { schema: rows[0]!.schema, poolSize: 4 });
    server = await startTestServer(viaProxy, { env: { RATE_LIMIT_SHOPPER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' } });
    shopperToken = await server.token(shopper.id, { shop: SHOP });
    staffToken = await server.token('ops', { shop: SHOP, role: 'staff' });
  });
  afterAll(async () => {
    await server?.close();
    await viaProxy?.close();
    await proxy?.close();
    await direct?.dispose();
  });

  it('answers 503 db_unavailable while the database is away, reports not ready, and serves again once it is back', async () => {
    const before = await chat('你好');
    expect(before.status).toBe(200);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready' } });

    await proxy.cut();
    expect(await chat('在吗', before.body.conversationId)).toEqual({ status: 503, body: DB_DOWN });
    expect(await call('GET', `/v1/conversations/${before.body.conversationId}`, shopperToken)).toEqual({ status: 503, body: DB_DOWN });
    expect(await call('POST', '/v1/events', staffToken, { events: [] })).toEqual({ status: 503, body: DB_DOWN });
    expect(await ready()).toEqual({ status: 503, body: DB_DOWN });
    expect((await call('GET', '/healthz', '')).status).toBe(200);

    await proxy.restore();
    await eventually(async () => ((await ready()).status === 200 ? true : undefined), 10_000, 'ready again');
    const after = await chat('我回来了', before.body.conversationId);
    expect(after.status).toBe(200);
    const conv = await call('GET', `/v1/conversations/${before.body.conversationId}`, shopperToken);
    const said = conv.body.messages.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content);
    expect(said).toEqual(['你好', '我回来了']);
  });

  it('answers within a bound when the database hangs instead of refusing, and recovers', async () => {
    await proxy.blackhole();
    expect(await chat('有人吗')).toEqual({ status: 503, body: DB_DOWN });
    expect(await ready()).toEqual({ status: 503, body: DB_DOWN });
    await proxy.restore();
    await eventually(async () => ((await ready()).status === 200 ? true : undefined), 10_000, 'ready again');
    expect((await chat('好了吗')).status).toBe(200);
  });

  it('fails a transaction whose connection is lost between two statements, not the process', async () => {
    // Vitest fails the run on an uncaught 'error' event: before the fix, a checked-out client had none.
    const lostMidway = viaProxy.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await proxy.cut();
      await new Promise((r) => setTimeout(r, 300));
      await tx.query('SELECT 2');
    });
    await expect(lostMidway).rejects.toThrow(/Connection terminated|not queryable/);
    await proxy.restore();
    expect((await viaProxy.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
  });

  it('fails the requests caught mid-flight by the cut with 503, never a 500, and loses none it acknowledged', async () => {
    const results: { status: number; body: any; message: string }[] = [];
    let firstAck!: () => void;
    const acknowledged = new Promise<void>((resolve) => (firstAck = resolve));
    // Turns keep starting for about a second; the cut lands once the first one is acknowledged.
    const turns = Array.from({ length: 24 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 40));
      const message = `第${i}条`;
      const r = await chat(message);
      results.push({ ...r, message });
      if (r.status === 200) firstAck();
    });
    const cut = acknowledged.then(() => proxy.cut());
    await Promise.all(turns);
    firstAck(); // none acknowledged: the expectation below fails instead of this waiting forever
    await cut;
    await proxy.restore();

    expect(results.some((r) => r.status === 200)).toBe(true);
    const statuses = new Set(results.map((r) => r.status));
    expect([...statuses].every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.has(503)).toBe(true);
    for (const r of results.filter((x) => x.status === 503)) expect(r.body).toEqual(DB_DOWN);
    // Every acknowledged turn is stored: the shopper's message and the reply it was given.
    for (const r of results.filter((x) => x.status === 200)) {
      const { rows } = await direct.db.query<{ role: string; content: string }>(
        'SELECT role, content FROM messages WHERE conversation_id = $1 ORDER BY id',
        [r.body.conversationId],
      );
      expect(rows.map((m) => m.content)).toEqual(expect.arrayContaining([r.message, r.body.reply]));
    }
  });
});
