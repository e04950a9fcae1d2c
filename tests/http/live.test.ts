import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { openPg } from '../../src/db/pg.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { openStream } from '../helpers/sse.ts';

describeDemo('live updates over SSE, across replicas and restarts', (db, driver) => {
  let a: TestServer;
  let b: TestServer;
  let dbB: Db;
  let shopperId: number;
  let otherShopperId: number;

  async function post(server: TestServer, path: string, token: string, body: unknown) {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as any;
  }

  beforeAll(async () => {
    // A second replica: on PostgreSQL with its own pool and LISTEN connection to the same schema.
    if (driver === 'pg') {
      const { rows } = await db().query<{ schema: string }>('SELECT current_schema() AS schema');
      dbB = await openPg(process.env.TEST_DATABASE_URL!, { schema: rows[0]!.schema, poolSize: 4 });
    } else {
      dbB = db();
    }
    a = await startTestServer(db());
    b = await startTestServer(dbB);
    const { rows } = await db().query<{ id: number }>("SELECT id FROM shoppers WHERE shop_id = 'demo' AND tier = 'potential' ORDER BY id LIMIT 2");
    [shopperId, otherShopperId] = [rows[0]!.id, rows[1]!.id];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (driver === 'pg') await dbB?.close();
  });

  it('delivers a staff reply posted to server A to the shopper and staff streams open on server B', async () => {
    const shopperToken = await a.token(shopperId);
    const staffToken = await a.token('s1', { role: 'staff' });
    const turn = await post(a, '/v1/chat', shopperToken, { message: '我要找人工客服' });
    const ticketId = turn.handoff.ticketId as number;

    const shopperStream = openStream(b.url, shopperToken);
    const staffStream = openStream(b.url, staffToken);
    const otherStream = openStream(b.url, await a.token(otherShopperId));
    await Promise.all([shopperStream, staffStream, otherStream].map((s) => s.until((e) => e.event === 'ready')));

    await post(a, `/v1/staff/tickets/${ticketId}/claim`, staffToken, {});
    await post(a, `/v1/staff/tickets/${ticketId}/reply`, staffToken, { text: '您好，人工客服小李为您服务' });

    const seen = await shopperStream.until((e) => e.event === 'message' && e.data.payload.role === 'staff');
    expect(seen.data).toMatchObject({ conversationId: turn.conversationId, payload: { content: '您好，人工客服小李为您服务' } });
    expect(await shopperStream.until((e) => e.event === 'handoff')).toMatchObject({ data: { payload: { status: 'claimed' } } });
    await staffStream.until((e) => e.event === 'message' && e.data.payload.content === '您好，人工客服小李为您服务');
    expect(staffStream.events.some((e) => e.event === 'ticket' && e.data.payload.change === 'claimed')).toBe(true);
    // The shopper never sees staff-only events; another shopper sees nothing of this conversation.
    expect(shopperStream.events.some((e) => e.event === 'ticket')).toBe(false);
    expect(otherStream.events.filter((e) => e.event !== 'ready')).toEqual([]);
    for (const s of [shopperStream, staffStream, otherStream]) s.close();
  });

  it('loses nothing across a restart: the client resumes with Last-Event-ID and gets what it missed', async () => {
    const shopperToken = await a.token(shopperId);
    const staffToken = await b.token('s2', { role: 'staff' });
    const turn = await post(a, '/v1/chat', shopperToken, { message: '转人工' });
    const ticketId = turn.handoff.ticketId as number;
    const stream = openStream(a.url, shopperToken);
    await stream.until((e) => e.event === 'ready');
    await post(b, `/v1/staff/tickets/${ticketId}/reply`, staffToken, { text: '第一条：收到' });
    await stream.until((e) => e.data?.payload?.content === '第一条：收到');
    const resumeFrom = stream.lastId()!;

    // Server A goes down mid-conversation; the stream ends; meanwhile the person keeps writing on B.
    const port = a.port;
    await a.close();
    await stream.ended;
    await post(b, `/v1/staff/tickets/${ticketId}/reply`, staffToken, { text: '第二条：正在查' });
    await post(b, `/v1/staff/tickets/${ticketId}/reply`, staffToken, { text: '第三条：已补发' });

    a = await startTestServer(db(), { port });
    const resumed = openStream(a.url, shopperToken, resumeFrom);
    await resumed.until((e) => e.data?.payload?.content === '第三条：已补发');
    const staffLines = resumed.events.filter((e) => e.event === 'message').map((e) => e.data.payload.content);
    expect(staffLines).toEqual(['第二条：正在查', '第三条：已补发']);
    resumed.close();

    const conv = await fetch(`${a.url}/v1/conversations/${turn.conversationId}`, { headers: { authorization: `Bearer ${shopperToken}` } });
    const contents = ((await conv.json()) as { messages: Array<{ content: string }> }).messages.map((m) => m.content);
    expect(contents).toEqual(expect.arrayContaining(['转人工', '第一条：收到', '第二条：正在查', '第三条：已补发']));
  });
});
