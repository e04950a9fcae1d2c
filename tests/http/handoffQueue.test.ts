// Hand-off that staff can rely on, over HTTP on the demo shop: the queue puts the angry first and
// tells each shopper the place staff see, the suggested reply is one for staff to send, and after a
// hand-back the AI knows what staff said.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tier } from '../../src/context.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Handoff {
  ticketId: number;
  status: string;
  position: number | null;
}

describeDemo('hand-off that staff can rely on, over HTTP', (db) => {
  let server: TestServer;
  let llmServer: TestServer;
  let fake: FakeOpenAI;
  let staff: string;
  const shoppers: Partial<Record<Tier, { id: number; token: string; conversationId?: string; ticketId?: number }>> = {};

  async function call(to: TestServer, method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(to.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  async function chat(tier: Tier, message: string, to = server) {
    const s = shoppers[tier]!;
    const res = await call(to, 'POST', '/v1/chat', s.token, s.conversationId ? { message, conversationId: s.conversationId } : { message });
    expect(res.status).toBe(200);
    s.conversationId = res.body.conversationId;
    return res.body as { reply: string; handoff: Handoff | null; toolCalls: Array<{ name: string }> };
  }

  beforeAll(async () => {
    server = await startTestServer(db());
    fake = await startFakeOpenAI();
    llmServer = await startTestServer(db(), {
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL, MODEL: 'fake-model', MODEL_TIMEOUT_MS: '2000' },
    });
    for (const tier of ['laotie', 'core', 'converted', 'potential'] as const) {
      const { rows } = await db().query<{ id: number }>(
        `SELECT s.id FROM shoppers s WHERE s.shop_id = 'demo' AND s.tier = $1
            AND EXISTS (SELECT 1 FROM orders o WHERE o.shopper_id = s.id) ORDER BY s.id LIMIT 1`,
        [tier],
      );
      shoppers[tier] = { id: rows[0]!.id, token: await server.token(rows[0]!.id) };
    }
    staff = await server.token('s1', { role: 'staff' });
  });
  afterAll(async () => {
    await server?.close();
    await llmServer?.close();
    await fake?.close();
  });

  it("puts a shopper threatening to report the shop ahead of a 老铁 who asked for a person, and tells each the place staff see", async () => {
    for (const tier of ['laotie', 'core'] as const) {
      const asked = await chat(tier, '转人工');
      expect(asked.handoff).toMatchObject({ status: 'open' });
      shoppers[tier]!.ticketId = asked.handoff!.ticketId;
    }
    const threat = await chat('converted', '再不给我退款我就去市场监管局举报你们');
    expect(threat.handoff).toMatchObject({ status: 'open' });
    shoppers.converted!.ticketId = threat.handoff!.ticketId;

    const q = await call(server, 'GET', '/v1/staff/queue', staff);
    const ids = (['converted', 'laotie', 'core'] as const).map((t) => shoppers[t]!.ticketId);
    expect(q.body.tickets.map((t: { id: number }) => t.id)).toEqual(ids);
    expect(q.body.tickets.map((t: { place: number }) => t.place)).toEqual([1, 2, 3]);
    for (const tier of ['converted', 'laotie', 'core'] as const) {
      const waiting = await chat(tier, '在吗？快点');
      const place = q.body.tickets.find((t: { id: number }) => t.id === shoppers[tier]!.ticketId).place;
      expect(waiting.handoff!.position! + 1).toBe(place);
      expect(waiting.reply).toContain(`你排在第 ${place} 位`);
    }
  });

  it("suggests a reply for staff to send, never the AI's own 'no one is online' or hand-off line", async () => {
    const ticket = shoppers.core!.ticketId!;
    expect((await call(server, 'POST', `/v1/staff/tickets/${ticket}/claim`, staff)).status).toBe(200);
    const AI_LINES = /没有人工客服在线|转人工|排在第|AI|智能名片|稍等.*人工/;
    // Only "转人工" and "在吗？快点" so far: nothing to answer but the greeting of a person.
    const greeting = await call(server, 'GET', `/v1/staff/tickets/${ticket}/suggestion`, staff);
    expect(greeting.status).toBe(200);
    expect(greeting.body.text).toMatch(/人工客服/);
    expect(greeting.body.text).not.toMatch(AI_LINES);

    // A question asked while staff own the chat: the suggestion answers it from the shopper's orders.
    const quiet = await chat('core', '我最近那单到哪了');
    expect(quiet.reply).toBe('');
    const answer = await call(server, 'GET', `/v1/staff/tickets/${ticket}/suggestion`, staff);
    expect(answer.body.text.length).toBeGreaterThan(0);
    expect(answer.body.text).not.toMatch(AI_LINES);
    expect(answer.body.toolCalls.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^(trackShipment|listOrders|getOrder)$/)]));
    const { rows } = await db().query<{ order_no: string }>(
      'SELECT order_no FROM orders WHERE shop_id = $1 AND shopper_id = $2',
      ['demo', shoppers.core!.id],
    );
    expect(rows.some((r) => answer.body.text.includes(r.order_no))).toBe(true);

    // The shopper asks for a person again after the question: the question is still what gets answered.
    await chat('core', '人工客服快点');
    const again = await call(server, 'GET', `/v1/staff/tickets/${ticket}/suggestion`, staff);
    expect(again.body.text).not.toMatch(AI_LINES);
    expect(rows.some((r) => again.body.text.includes(r.order_no))).toBe(true);
  });

  it('remembers after a hand-back what staff told the shopper, as said by a person', async () => {
    const potential = shoppers.potential!;
    fake.script([{ text: '好的' }]);
    const asked = await chat('potential', '转人工', llmServer);
    expect(asked.handoff).toMatchObject({ status: 'open' });
    const ticket = asked.handoff!.ticketId;
    const said = '已经为您补发了赠品小样，顺丰单号 SF1234567890';
    expect((await call(server, 'POST', `/v1/staff/tickets/${ticket}/reply`, staff, { text: said })).status).toBe(200);
    expect((await call(server, 'POST', `/v1/staff/tickets/${ticket}/handback`, staff)).status).toBe(200);

    fake.script([{ text: '客服说的单号是 SF1234567890' }]);
    const back = await chat('potential', '刚才客服说的单号是多少', llmServer);
    expect(back.handoff).toBeNull();
    fake.assertDone();
    const sent = fake.requests.at(-1)!.body.messages;
    const system = String(sent.find((m) => m.role === 'system')!.content);
    expect(system).toContain('【人工客服】');
    const fromStaff = sent.filter((m) => m.role === 'assistant' && typeof m.content === 'string' && m.content.includes(said));
    expect(fromStaff).toHaveLength(1);
    expect(fromStaff[0]!.content).toBe(`【人工客服】${said}`);
    expect(sent.at(-1)).toMatchObject({ role: 'user', content: '刚才客服说的单号是多少' });
    expect(potential.conversationId).toBeDefined();
  });

  it('tells a shopper who writes English about the queue in English, and again while she waits', async () => {
    const { rows } = await db().query<{ id: number }>(
      `SELECT s.id FROM shoppers s WHERE s.shop_id = 'demo' AND s.tier = 'converted' ORDER BY s.id DESC LIMIT 1`,
    );
    const token = await server.token(rows[0]!.id);
    const asked = await call(server, 'POST', '/v1/chat', token, { message: 'Please get me a real person, I need to talk to someone' });
    expect(asked.status).toBe(200);
    expect(asked.body.handoff).toMatchObject({ status: 'open' });
    expect(asked.body.reply).toMatch(/number \d+ in the queue|you're number \d+/i);
    expect(asked.body.reply).not.toMatch(/排在第|转接人工/);
    const waiting = await call(server, 'POST', '/v1/chat', token, { message: 'Are they coming soon?', conversationId: asked.body.conversationId });
    expect(waiting.body.reply).toMatch(/number \d+ in the queue/i);
    expect(waiting.body.reply).not.toMatch(/排在第/);
  });
});
