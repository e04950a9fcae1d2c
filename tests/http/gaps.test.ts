// What the card could not answer, over HTTP: the shopper's thumbs on their own replies
// (POST /v1/chat/rating) and the operator's report of the gaps (GET /v1/admin/reports/gaps), with
// "write an answer" as the knowledge document that closes one.
import { beforeAll, expect, it } from 'vitest';
import { callerOf, type Role } from '../../src/context.ts';
import { buildTestApp, testTokens } from '../helpers/app.ts';
import { describeDb } from '../helpers/db.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';

const NOW = '2026-03-15T02:00:00Z';

describeDb('the gaps routes', (db) => {
  let app: ReturnType<typeof buildTestApp>;
  let shop: string;
  const auth = async (role: Role, id: number | string, shopId = shop) => ({
    authorization: `Bearer ${await testTokens.mint(callerOf(shopId, role, id)!)}`,
  });
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const chat = async (shopperId: number, message: string) => {
    const res = await call('POST', '/v1/chat', await auth('shopper', shopperId), { message });
    expect(res.status).toBe(200);
    return res.body as { conversationId: string; messageId: number; reply: string };
  };
  // Messages are stamped by the database's clock, not the app's: the period is around the real now.
  const around = () => `from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`;

  beforeAll(async () => {
    shop = (await createShop(db())).id;
    app = buildTestApp(db(), NOW);
  });

  it("rates the shopper's own reply, once however often it is sent, and shows the rating with the conversation", async () => {
    const who = (await createShopper(db(), { shopId: shop })).id;
    const turn = await chat(who, '你好');
    const me = await auth('shopper', who);
    for (let i = 0; i < 2; i++) {
      expect(await call('POST', '/v1/chat/rating', me, { messageId: turn.messageId, rating: 'down' })).toEqual({
        status: 200,
        body: { messageId: turn.messageId, rating: 'down' },
      });
    }
    const { rows } = await db().query('SELECT rating FROM answer_ratings WHERE message_id = $1', [turn.messageId]);
    expect(rows).toEqual([{ rating: 'down' }]);
    const conv = await call('GET', `/v1/conversations/${turn.conversationId}`, me);
    const [question, reply] = conv.body.messages;
    expect(question).not.toHaveProperty('rating');
    expect(reply).toMatchObject({ id: turn.messageId, role: 'assistant', rating: 'down' });
    expect((await call('POST', '/v1/chat/rating', me, { messageId: turn.messageId, rating: 'up' })).body.rating).toBe('up');
    expect((await call('GET', `/v1/conversations/${turn.conversationId}`, me)).body.messages[1].rating).toBe('up');
  });

  it("refuses another shopper's reply and a message that is no reply with a 404, and a bad rating with a 400", async () => {
    const owner = (await createShopper(db(), { shopId: shop })).id;
    const other = (await createShopper(db(), { shopId: shop })).id;
    const turn = await chat(owner, '你好');
    const theirs = await call('POST', '/v1/chat/rating', await auth('shopper', other), { messageId: turn.messageId, rating: 'down' });
    expect(theirs).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const own = await auth('shopper', owner);
    expect((await call('POST', '/v1/chat/rating', own, { messageId: turn.messageId - 1, rating: 'down' })).status).toBe(404);
    expect((await call('POST', '/v1/chat/rating', own, { messageId: turn.messageId, rating: 'meh' })).status).toBe(400);
    expect((await call('POST', '/v1/chat/rating', own, { messageId: 'x', rating: 'up' })).status).toBe(400);
    expect((await call('POST', '/v1/chat/rating', own, { messageId: turn.messageId, rating: 'up', shopperId: other })).status).toBe(400);
    const { rows } = await db().query('SELECT 1 FROM answer_ratings WHERE message_id = $1', [turn.messageId]);
    expect(rows).toEqual([]);
  });

  it('reports the gaps grouped by meaning to admins only; an answer written from one closes it', async () => {
    const gapShop = (await createShop(db())).id;
    for (const message of ['你们能开发票吗', '可以开发票吗']) {
      const who = (await createShopper(db(), { shopId: gapShop })).id;
      const res = await call('POST', '/v1/chat', await auth('shopper', who, gapShop), { message });
      expect(res.status).toBe(200);
    }
    const admin = await auth('admin', 'op-1', gapShop);
    const report = await call('GET', `/v1/admin/reports/gaps?${around()}`, admin);
    expect(report.status).toBe(200);
    expect(report.body.gaps).toEqual([
      {
        id: expect.any(Number),
        count: 2,
        examples: ['可以开发票吗', '你们能开发票吗'],
        intent: 'knowledge',
        reasons: { no_knowledge: 2 },
        firstSeen: expect.any(String),
        lastSeen: expect.any(String),
      },
    ]);
    expect(report.body.totals).toMatchObject({ turns: 2, aiTurns: 2, unanswered: 2, unansweredRate: 1, automationRate: 1 });

    expect((await call('GET', `/v1/admin/reports/gaps?${around()}`, await auth('staff', 'wang', gapShop))).status).toBe(403);
    expect((await call('GET', '/v1/admin/reports/gaps?from=2026-13-01', admin)).status).toBe(400);
    expect((await call('GET', '/v1/admin/reports/gaps?from=yesterday', admin)).status).toBe(400);
    expect((await call('GET', '/v1/admin/reports/gaps?from=2026-03-10&to=2026-03-01', admin)).status).toBe(400);

    const written = await call('POST', '/v1/admin/knowledge', admin, {
      docKey: `gap-${report.body.gaps[0].id}`,
      title: '你们能开发票吗',
      content: '## 你们能开发票吗\n可以。下单后在订单详情里申请电子发票，3个工作日内发到你的邮箱。',
    });
    expect(written.status).toBe(200);
    const who = (await createShopper(db(), { shopId: gapShop })).id;
    const after = await call('POST', '/v1/chat', await auth('shopper', who, gapShop), { message: '你们能开发票吗' });
    expect(after.body.reply).toContain('电子发票');
    const again = await call('GET', `/v1/admin/reports/gaps?${around()}`, admin);
    expect(again.body.gaps.map((g: { count: number }) => g.count)).toEqual([2]);
    expect(again.body.totals).toMatchObject({ turns: 3, unanswered: 2 });
  });
});
