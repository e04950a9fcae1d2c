import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tier } from '../../src/context.ts';
import { fixedClock } from '../../src/context.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Handoff {
  ticketId: number;
  status: string;
  position: number | null;
  expectedWithinMinutes: number | null;
  onDuty: boolean;
}
interface ChatResponse {
  conversationId: string;
  messageId: number;
  reply: string;
  toolCalls: Array<{ name: string; input: unknown; output: unknown }>;
  handoff: Handoff | null;
}

describeDemo('the staff desk, over HTTP', (db) => {
  let server: TestServer;
  let staff: string;
  let staff2: string;
  const shoppers: Partial<Record<Tier, { id: number; token: string }>> = {};
  let coreConversation: string;
  let coreTicket: number;
  let laotieTicket: number;

  async function call(method: string, path: string, token: string | null, body?: unknown) {
    const res = await fetch(server.url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const chat = async (tier: Tier, message: string, conversationId?: string) =>
    (await call('POST', '/v1/chat', shoppers[tier]!.token, conversationId ? { message, conversationId } : { message })) as { status: number; body: ChatResponse };

  beforeAll(async () => {
    server = await startTestServer(db());
    for (const tier of ['core', 'laotie', 'converted'] as const) {
      const { rows } = await db().query<{ id: number }>(
        `SELECT s.id FROM shoppers s WHERE s.shop_id = 'demo' AND s.tier = $1 AND s.phone IS NOT NULL
            AND EXISTS (SELECT 1 FROM orders o WHERE o.shopper_id = s.id) ORDER BY s.id LIMIT 1`,
        [tier],
      );
      shoppers[tier] = { id: rows[0]!.id, token: await server.token(rows[0]!.id) };
    }
    staff = await server.token('s1', { role: 'staff' });
    staff2 = await server.token('s2', { role: 'staff' });
  });
  afterAll(() => server?.close());

  it('hands the shopper to a person on request, and the AI goes quiet while a person owns the chat', async () => {
    const asked = await chat('core', '转人工');
    expect(asked.status).toBe(200);
    expect(asked.body.handoff).toMatchObject({ status: 'open', onDuty: true, expectedWithinMinutes: 3 });
    expect(asked.body.reply).toMatch(/人工客服/);
    coreConversation = asked.body.conversationId;
    coreTicket = asked.body.handoff!.ticketId;

    const waiting = await chat('core', '在吗？快点', coreConversation);
    expect(waiting.body).toMatchObject({ conversationId: coreConversation, toolCalls: [], handoff: { ticketId: coreTicket, status: 'open' } });
    expect(waiting.body.reply).toContain('人工客服');
    const conv = await call('GET', `/v1/conversations/${coreConversation}`, shoppers.core!.token);
    expect(conv.body.mode).toBe('human');
    expect(conv.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(conv.body.messages.at(-1).id).toBe(waiting.body.messageId);
    expect(conv.body.handoff).toMatchObject({ ticketId: coreTicket, status: 'open' });

    // The streaming API answers the same way: the notice as text, the handoff in the metadata.
    const res = await fetch(`${server.url}/v1/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shoppers.core!.token}` },
      body: JSON.stringify({ message: '还要等多久', conversationId: coreConversation }),
    });
    const chunks = (await res.text())
      .split('\n\n')
      .map((e) => e.replace(/^data: /, ''))
      .filter((e) => e && e !== '[DONE]')
      .map((e) => JSON.parse(e) as { type: string; delta?: string; messageMetadata?: { handoff?: Handoff } });
    expect(chunks.filter((c) => c.type === 'text-delta').map((c) => c.delta).join('')).toContain('人工客服');
    expect(chunks.find((c) => c.type === 'finish')?.messageMetadata?.handoff).toMatchObject({ ticketId: coreTicket, status: 'open' });
    expect(chunks.some((c) => c.type.startsWith('tool-'))).toBe(false);
  });

  it('escalates an angry shopper on its own rules and puts 老铁 first in the queue, with SLA clocks', async () => {
    const angry = await chat('laotie', '你们太垃圾了，我要投诉！！！');
    expect(angry.body.handoff).toMatchObject({ status: 'open' });
    laotieTicket = angry.body.handoff!.ticketId;

    const q = await call('GET', '/v1/staff/queue', staff);
    expect(q.status).toBe(200);
    const ids = q.body.tickets.map((t: { id: number }) => t.id);
    expect(ids.indexOf(laotieTicket)).toBeLessThan(ids.indexOf(coreTicket));
    const top = q.body.tickets[0];
    expect(top).toMatchObject({ id: laotieTicket, tier: 'laotie', angry: true, status: 'open', sla: { running: true, breached: false, secondsLeft: 180 } });
    expect(top.reasons.map((r: { code: string }) => r.code)).toContain('angry');
    expect(q.body.liveCursor).toBeGreaterThan(0);

    const detail = await call('GET', `/v1/staff/tickets/${laotieTicket}`, staff);
    expect(detail.status).toBe(200);
    expect(detail.body.messages[0]).toMatchObject({ role: 'user', content: '你们太垃圾了，我要投诉！！！' });
    expect(detail.body.summary.asked).toContain('你们太垃圾了，我要投诉！！！');
    expect(detail.body.summary.who.tier).toBe('laotie');
    expect(detail.body.shopper.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(detail.body.orders.length).toBeGreaterThan(0);
    expect(detail.body.ticket.summaryText).toContain(detail.body.orders[0].orderNo);
  });

  it("keeps staff to their own shop's tickets and shoppers out of the desk", async () => {
    const otherShop = await server.token('s9', { shop: 'elsewhere', role: 'staff' });
    const foreign = await call('GET', `/v1/staff/tickets/${coreTicket}`, otherShop);
    const missing = await call('GET', '/v1/staff/tickets/999999999', otherShop);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    expect((await call('POST', `/v1/staff/tickets/${coreTicket}/claim`, otherShop)).status).toBe(404);
    expect((await call('GET', '/v1/staff/tickets/abc', staff)).status).toBe(404);
    expect((await call('GET', '/v1/staff/queue', shoppers.core!.token)).status).toBe(403);
    expect((await call('GET', '/v1/staff/queue', null)).status).toBe(401);
    expect((await call('POST', `/v1/staff/tickets/${coreTicket}/reply`, staff, { text: '' })).status).toBe(400);
  });

  it('lets one of two staff claim, shows the reply to the shopper as a person, then hands back to the AI', async () => {
    const [a, b] = await Promise.all([
      call('POST', `/v1/staff/tickets/${coreTicket}/claim`, staff),
      call('POST', `/v1/staff/tickets/${coreTicket}/claim`, staff2),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [staff, staff2] : [staff2, staff];
    expect((await call('POST', `/v1/staff/tickets/${coreTicket}/reply`, loser, { text: '我也来' })).status).toBe(409);

    const reply = await call('POST', `/v1/staff/tickets/${coreTicket}/reply`, winner, { text: '您好，我是人工客服小王，马上帮您看' });
    expect(reply.status).toBe(200);
    expect(reply.body.ticket).toMatchObject({ status: 'claimed', sla: { secondsLeft: null, breached: false } });
    const conv = await call('GET', `/v1/conversations/${coreConversation}`, shoppers.core!.token);
    expect(conv.body.messages.at(-1)).toMatchObject({ role: 'staff', content: '您好，我是人工客服小王，马上帮您看' });

    expect((await call('POST', `/v1/staff/tickets/${coreTicket}/notes`, loser, { text: '顾客很着急' })).status).toBe(201);
    const suggestion = await call('GET', `/v1/staff/tickets/${coreTicket}/suggestion`, winner);
    expect(suggestion.status).toBe(200);
    expect(typeof suggestion.body.text).toBe('string');
    expect(suggestion.body.toolCalls.every((c: { name: string }) => c.name !== 'createAfterSales' && c.name !== 'requestHandoff')).toBe(true);
    const after = await call('GET', `/v1/conversations/${coreConversation}`, shoppers.core!.token);
    expect(after.body.messages).toHaveLength(conv.body.messages.length); // the suggestion stored nothing

    const quiet = await chat('core', '好的谢谢', coreConversation);
    expect(quiet.body).toMatchObject({ reply: '', toolCalls: [], handoff: { status: 'claimed', position: null } });

    const back = await call('POST', `/v1/staff/tickets/${coreTicket}/handback`, winner);
    expect(back.body.ticket.status).toBe('handed_back');
    const ai = await chat('core', '我的订单到哪了', coreConversation);
    expect(ai.body.handoff).toBeNull();
    expect(ai.body.reply.length).toBeGreaterThan(0);
    expect(ai.body.toolCalls.length).toBeGreaterThan(0);

    const detail = await call('GET', `/v1/staff/tickets/${coreTicket}`, winner);
    const log = detail.body.actions.map((x: { action: string; actor: string }) => x.action);
    expect(log).toEqual(expect.arrayContaining(['open', 'claim', 'reply', 'note', 'handback']));
    expect(detail.body.actions.find((x: { action: string }) => x.action === 'note').actor).toMatch(/^staff:s[12]$/);
  });

  it('resolves a ticket and counts it in the stats', async () => {
    expect((await call('POST', `/v1/staff/tickets/${laotieTicket}/resolve`, staff, {})).status).toBe(400);
    const done = await call('POST', `/v1/staff/tickets/${laotieTicket}/resolve`, staff, { outcome: '已道歉并补发赠品' });
    expect(done.body.ticket).toMatchObject({ status: 'resolved', outcome: '已道歉并补发赠品' });
    expect((await call('POST', `/v1/staff/tickets/${laotieTicket}/claim`, staff2)).status).toBe(409);
    const stats = await call('GET', '/v1/staff/stats', staff);
    expect(stats.body).toMatchObject({ resolved: 1, handedBack: 1, open: 0, breached: 0 });
    const q = await call('GET', '/v1/staff/queue', staff);
    expect(q.body.tickets).toEqual([]);
  });

  it('tells the shopper honestly when staff are off duty, keeps the AI helping, and stops the SLA clock overnight', async () => {
    // 23:00 in Shanghai: staff hours are 09:00–22:00.
    const night = await startTestServer(db(), { clock: fixedClock('2026-09-17T15:00:00Z') });
    try {
      const token = shoppers.converted!.token;
      const post = async (body: unknown) => {
        const res = await fetch(`${night.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
        return (await res.json()) as ChatResponse;
      };
      const asked = await post({ message: '转人工' });
      expect(asked.handoff).toMatchObject({ status: 'open', onDuty: false, backAt: '2026-09-18T01:00:00.000Z', expectedWithinMinutes: 10 });
      expect(asked.reply).toContain('明天 09:00');
      const helped = await post({ message: '我的订单到哪了', conversationId: asked.conversationId });
      expect(helped.toolCalls.length).toBeGreaterThan(0);
      expect(helped.handoff).toMatchObject({ ticketId: asked.handoff!.ticketId, status: 'open' });
    } finally {
      await night.close();
    }
    // 09:05 the next morning the clock runs again: 5 of the 10 service minutes are left.
    const morning = await startTestServer(db(), { clock: fixedClock('2026-09-18T01:05:00Z') });
    try {
      const res = await fetch(`${morning.url}/v1/staff/queue`, { headers: { authorization: `Bearer ${staff}` } });
      const q = (await res.json()) as { onDuty: boolean; tickets: Array<{ tier: string; sla: { secondsLeft: number; running: boolean } }> };
      expect(q.onDuty).toBe(true);
      expect(q.tickets).toHaveLength(1);
      expect(q.tickets[0]!.sla).toMatchObject({ secondsLeft: 300, running: true });
    } finally {
      await morning.close();
    }
  });

  it('serves the pages with a strict Content-Security-Policy', async () => {
    for (const path of ['/card/demo', '/staff']) {
      const res = await fetch(server.url + path);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(await res.text()).not.toMatch(/<script>(?!<\/script>)/);
    }
    expect((await fetch(`${server.url}/card/no-such-shop`)).status).toBe(404);
    const js = await fetch(`${server.url}/static/card.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${server.url}/static/..%2Fstaff.ts`)).status).toBe(404);
  });
});
