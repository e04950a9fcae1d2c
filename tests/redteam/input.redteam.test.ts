// The red team's second front, over real HTTP on both databases: what ordinary traffic and odd but
// legal input did to the service. Many shoppers at once must not break the offline model; text no
// person can type (a NUL, a lone UTF-16 surrogate) is refused at every door with a 400 — or, for an
// integration event, rejected for good — and never reaches the database; a database error's own
// words never reach a client; a token for a shop that does not exist is a 404, never a 500.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { OWASP, ROBUSTNESS, scoreboard } from './lib.ts';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const NO_LIMITS = { RATE_LIMIT_SHOPPER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' };
const FAILED_TURN = '小状况';
/** Text no keyboard produces: a NUL, and each half of a surrogate pair alone. */
const UNTYPABLE = { nul: 'hi\u0000there', 'lone high surrogate': 'hi\ud800', 'lone low surrogate': '\udc00hi' } as const;
/** The same in a URL: a NUL, and the UTF-8 bytes a lone surrogate would have (no valid UTF-8). */
const UNTYPABLE_IN_URL = { nul: 'hi%00there', 'lone surrogate': 'hi%ED%A0%80' } as const;

interface Reply {
  status: number;
  text: string;
}

async function send(server: TestServer, path: string, auth: string, body?: unknown, method = 'POST'): Promise<Reply> {
  // On this loaded machine a kept-alive socket is sometimes closed under a new request: retry that.
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: res.status, text: await res.text() };
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

const errorLines = (lines: readonly string[]) => lines.filter((l) => (JSON.parse(l) as { level: string }).level === 'error');

/** Runs `work` over `items` with at most `width` at once. */
async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function demoShoppers(db: Db, n: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>("SELECT id FROM shoppers WHERE shop_id = 'demo' ORDER BY id LIMIT $1", [n]);
  return rows.map((r) => Number(r.id));
}

const userMessages = async (db: Db) => Number((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE role = 'user'")).rows[0]!.n);

// What shoppers of a beauty shop say; each soak message is one of these, made distinct by its number.
const ASKS = [
  '推荐个适合干皮的粉底液', '我的订单到哪了', '有什么优惠券可以领', '我有多少积分', '这个面霜敏感肌能用吗',
  '怎么邀请朋友', '口红有豆沙色吗', '过了7天还能退吗', '防晒霜哪款不油', '你好', '快递怎么还没到', '我想退货',
  '200以内的精华', '第二个呢', '有没有小样', '谢谢', '会员等级怎么升', '积分能换什么', '今天有活动吗', '眼霜怎么用',
];

describeDemo('red team: load and input', (db, driver) => {
  const board = scoreboard();
  let server: TestServer;
  let shoppers: number[];
  let admin: string;
  let staff: string;

  beforeAll(async () => {
    server = await startTestServer(db(), { env: NO_LIMITS });
    shoppers = await demoShoppers(db(), 120);
    admin = await server.token('ops-1', { role: 'admin' });
    staff = await server.token('staff-1', { role: 'staff' });
  });
  afterAll(async () => {
    board.print(`load and input [${driver}]`);
    await server?.close();
  });

  it('LLM10: a conversation goes on after 511 other shoppers spoke (the offline model’s cache)', async () => {
    // A server of its own: the offline model's cache holds exactly what this test said.
    const fresh = await startTestServer(db(), { env: NO_LIMITS });
    try {
      await board.attack(OWASP.LLM10, 'one conversation, 511 messages from others, the next turn', async () => {
        const [mine, ...others] = shoppers;
        const token = await fresh.token(mine!);
        const first = await send(fresh, '/v1/chat', token, { message: '推荐个适合干皮的粉底液' });
        expect(first.status).toBe(200);
        const conversationId = (JSON.parse(first.text) as { conversationId: string }).conversationId;
        const tokens = await Promise.all(others.map((id) => fresh.token(id)));
        const messages = Array.from({ length: 511 }, (_, i) => ({ token: tokens[i % tokens.length]!, message: `${ASKS[i % ASKS.length]}，编号${i}` }));
        await pool(messages, 8, async (m) => {
          expect((await send(fresh, '/v1/chat', m.token, { message: m.message })).status).toBe(200);
        });
        const next = await send(fresh, '/v1/chat', token, { message: '第二个呢', conversationId });
        expect(next.status).toBe(200);
        expect((JSON.parse(next.text) as { reply: string }).reply).not.toContain(FAILED_TURN);
        expect(errorLines(fresh.logLines)).toEqual([]);
      });
    } finally {
      await fresh.close();
    }
    board.assertAllSafe();
  });

  it('LLM10 soak: thousands of distinct messages from many shoppers at once, no turn fails', async () => {
    // At least 60 conversations at once: with the ten turns each one remembers, more messages are
    // in play than the offline model's cache of 512 holds, so a conversation's earlier messages
    // leave the cache while it goes on (where a turn used to fail). PGlite runs on the server's own
    // thread: fewer turns there keep its run near PostgreSQL's.
    const [people, turnsEach] = driver === 'pg' ? [80, 25] : [60, 20];
    const from = server.logLines.length;
    const failures: string[] = [];
    let turns = 0;
    let handedOver = 0;
    await board.attack(OWASP.LLM10, `${people * turnsEach} distinct messages from ${people} shoppers at once`, async () => {
      const started = Date.now();
      await Promise.all(
        shoppers.slice(0, people).map(async (id, p) => {
          const token = await server.token(id);
          let conversationId: string | undefined;
          for (let t = 0; t < turnsEach; t++) {
            const message = `${ASKS[(p + t) % ASKS.length]}（${p}-${t}）`;
            const r = await send(server, '/v1/chat', token, { message, ...(conversationId && { conversationId }) });
            turns++;
            if (r.status !== 200) {
              failures.push(`${r.status} for "${message}": ${r.text.slice(0, 200)}`);
              continue;
            }
            const turn = JSON.parse(r.text) as { conversationId: string; reply: string; handoff: unknown };
            // A conversation handed to a person is answered by staff from then on: start another one.
            conversationId = turn.handoff ? undefined : turn.conversationId;
            if (turn.handoff) handedOver++;
            if (turn.reply.includes(FAILED_TURN)) failures.push(`failed turn for "${message}"`);
          }
        }),
      );
      console.log(`soak [${driver}]: ${turns} turns in ${((Date.now() - started) / 1000).toFixed(1)} s, ${failures.length} failed, ${handedOver} handed to a person`);
      expect(turns).toBe(people * turnsEach);
      expect(failures.slice(0, 5), `${failures.length} failed turns`).toEqual([]);
      expect(errorLines(server.logLines.slice(from)).slice(0, 3)).toEqual([]);
    });
    board.assertAllSafe();
  });

  /** A 400 `invalid` that says what was wrong with the text. */
  const expectRefused = (r: Reply) => {
    expect(r.status, r.text.slice(0, 300)).toBe(400);
    const { error } = JSON.parse(r.text) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/U\+0000.*surrogate/);
  };

  it('a NUL or a lone surrogate in a chat message is a 400 on every chat door, and nothing is stored', async () => {
    const token = await server.token(shoppers[0]!);
    const from = server.logLines.length;
    for (const [what, text] of Object.entries(UNTYPABLE)) {
      const doors: Array<[string, string, unknown]> = [
        ['chat', '/v1/chat', { message: text }],
        ['stream', '/v1/chat/stream', { message: text }],
        ['stream (useChat messages)', '/v1/chat/stream', { messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text }] }] }],
        ['completions', '/v1/chat/completions', { model: 'card:demo', messages: [{ role: 'user', content: text }] }],
        ['completions (content parts)', '/v1/chat/completions', { model: 'card:demo', messages: [{ role: 'user', content: [{ type: 'text', text }] }] }],
        ['completions, streamed', '/v1/chat/completions', { model: 'card:demo', stream: true, messages: [{ role: 'user', content: text }] }],
      ];
      for (const [door, path, body] of doors) {
        await board.attack(ROBUSTNESS, `${what} through ${door}`, async () => {
          const before = await userMessages(db());
          expectRefused(await send(server, path, token, body));
          expect(await userMessages(db())).toBe(before);
        });
      }
    }
    await board.attack(ROBUSTNESS, 'no error logged for a refused message', async () => {
      expect(errorLines(server.logLines.slice(from))).toEqual([]);
    });
    board.assertAllSafe();
  });

  it('knowledge, rules, settings, votes, badges, feedback and keys refuse untypable text with a 400', async () => {
    const [shopperId] = shoppers;
    const products = (await db().query<{ id: number }>("SELECT id FROM products WHERE shop_id = 'demo' ORDER BY id LIMIT 10")).rows.map((r) => Number(r.id));
    const feedback = await db().query<{ id: number }>("INSERT INTO feedback (shop_id, shopper_id, text, created_at) VALUES ('demo', $1, '多出几个色号', now()) RETURNING id", [shopperId]);
    const rules = JSON.parse((await send(server, '/v1/admin/rules', admin, undefined, 'GET')).text) as { version: number; rules: { tasks: Array<{ name: string }> } };
    const from = server.logLines.length;
    for (const [what, text] of Object.entries(UNTYPABLE)) {
      const withTaskName = structuredClone(rules.rules);
      withTaskName.tasks[0]!.name = text;
      const doors: Array<[string, string, string, unknown, string?]> = [
        ['knowledge content', 'POST', '/v1/admin/knowledge', { docKey: 'redteam-text', title: '退换货', content: `# 退换货\n\n${text}` }],
        ['knowledge title', 'POST', '/v1/admin/knowledge', { docKey: 'redteam-text', title: text, content: '# 退换货\n\n七天无理由。' }],
        ['knowledge source', 'POST', '/v1/admin/knowledge', { docKey: 'redteam-text', title: '退换货', content: '# 退换货\n\n七天无理由。', source: text }],
        ['a task name in the rules', 'PUT', '/v1/admin/rules', { version: rules.version, rules: withTaskName }],
        ['reminder settings', 'PUT', '/v1/admin/reminders/settings', { settings: { subscribe: { page: text } } }],
        ['a reminder webhook secret', 'PUT', '/v1/admin/reminders/settings', { settings: {}, webhook: { url: 'https://hooks.example.com/laotie', secret: `0123456789abcdef${text}` } }],
        ['a vote title', 'POST', '/v1/admin/votes', { title: text, productIds: products }],
        ['a badge reason', 'POST', `/v1/admin/shoppers/${shopperId}/badges`, { badge: 'referral_pioneer', reason: text }],
        ['a feedback credit', 'POST', `/v1/admin/feedback/${feedback.rows[0]!.id}/adopt`, { rewardFen: 50_000, credit: text }, staff],
        ['an integration key label', 'POST', '/v1/admin/integration-keys', { label: text }],
      ];
      for (const [door, method, path, body, auth] of doors) {
        await board.attack(ROBUSTNESS, `${what} in ${door}`, async () => expectRefused(await send(server, path, auth ?? admin, body, method)));
      }
    }
    for (const [what, text] of Object.entries(UNTYPABLE_IN_URL)) {
      await board.attack(ROBUSTNESS, `${what} in a report's period`, async () =>
        expect((await send(server, `/v1/admin/reports/tiers?from=${text}`, admin, undefined, 'GET')).status).toBe(400),
      );
      await board.attack(ROBUSTNESS, `${what} in a knowledge document's key`, async () =>
        expect((await send(server, `/v1/admin/knowledge/${text}`, admin, undefined, 'DELETE')).status).toBe(404),
      );
      await board.attack(ROBUSTNESS, `${what} in a conversation id`, async () =>
        expect((await send(server, `/v1/conversations/${text}`, await server.token(shopperId!), undefined, 'GET')).status).toBe(404),
      );
      await board.attack(ROBUSTNESS, `${what} in a card page's shop`, async () => {
        const r = await fetch(`${server.url}/card/${text}`);
        expect(r.status).toBe(404);
      });
    }
    await board.attack(ROBUSTNESS, 'none of it stored, no error logged', async () => {
      expect((await db().query("SELECT 1 FROM knowledge_documents WHERE shop_id = 'demo' AND doc_key = 'redteam-text'")).rows).toEqual([]);
      expect(errorLines(server.logLines.slice(from))).toEqual([]);
    });
    board.assertAllSafe();
  });

  it("a staff member's reply, note and outcome refuse untypable text with a 400", async () => {
    const shopper = await server.token(shoppers[1]!);
    const asked = await send(server, '/v1/chat', shopper, { message: '转人工' });
    const ticket = (JSON.parse(asked.text) as { handoff: { ticketId: number } | null }).handoff?.ticketId;
    expect(ticket, asked.text.slice(0, 300)).toBeDefined();
    expect((await send(server, `/v1/staff/tickets/${ticket}/claim`, staff)).status).toBe(200);
    const from = server.logLines.length;
    for (const [what, text] of Object.entries(UNTYPABLE)) {
      const doors: Array<[string, string, unknown]> = [
        ['reply', 'reply', { text }],
        ['note', 'notes', { text }],
        ['resolution', 'resolve', { outcome: text }],
        ['hand-back note', 'handback', { note: text }],
      ];
      for (const [door, action, body] of doors) {
        await board.attack(ROBUSTNESS, `${what} in a staff ${door}`, async () => expectRefused(await send(server, `/v1/staff/tickets/${ticket}/${action}`, staff, body)));
      }
    }
    await board.attack(ROBUSTNESS, 'the ticket still takes a proper reply, no error logged', async () => {
      expect((await send(server, `/v1/staff/tickets/${ticket}/reply`, staff, { text: '您好，我是人工客服' })).status).toBe(200);
      expect(errorLines(server.logLines.slice(from))).toEqual([]);
    });
    board.assertAllSafe();
  });

  it('an integration event with untypable text is rejected for good, the rest of its batch applied', async () => {
    for (const [what, text] of Object.entries(UNTYPABLE)) {
      await board.attack(ROBUSTNESS, `${what} in an event`, async () => {
        const tag = what.replace(/\W+/g, '-');
        const event = (id: string, data: Record<string, unknown>) => ({ id, type: 'shopper.registered', occurredAt: '2026-09-16T02:00:00Z', data });
        const r = await send(server, '/v1/events', admin, {
          events: [
            event(`bad-nickname-${tag}`, { openid: `redteam-${tag}-1`, nickname: text }),
            event(`bad-key-${tag}`, { openid: `redteam-${tag}-2`, nickname: '小周', [`note${text}`]: 'x' }),
            event(`ok-${tag}`, { openid: `redteam-${tag}-3`, nickname: '小吴' }),
          ],
        });
        expect(r.status).toBe(200);
        const body = JSON.parse(r.text) as { accepted: string[]; rejected: Array<{ id: string | null; index: number; reason: string }> };
        expect(body.accepted).toEqual([`ok-${tag}`]);
        expect(body.rejected.map((x) => x.index)).toEqual([0, 1]);
        for (const x of body.rejected) {
          expect(x.reason).toMatch(/U\+0000.*surrogate/);
          expect(x.reason).toMatch(/never/);
          expect(x.reason).not.toMatch(/again later/);
        }
      });
    }
    board.assertAllSafe();
  });

  describe('with a scripted OpenAI-compatible model', () => {
    let fake: FakeOpenAI;
    let llm: TestServer;
    beforeAll(async () => {
      fake = await startFakeOpenAI();
      llm = await startTestServer(db(), { env: { ...NO_LIMITS, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL, MODEL: 'fake-model', MODEL_TIMEOUT_MS: '5000' } });
    });
    afterAll(async () => {
      await llm?.close();
      await fake?.close();
    });

    it('LLM05: a model that puts untypable text in a tool call gets a tool error, and the turn is answered', async () => {
      const token = await llm.token(shoppers[2]!);
      const from = llm.logLines.length;
      const calls: Array<[string, Record<string, unknown>]> = [
        ['submitFeedback', { text: `希望多出${UNTYPABLE.nul}色号` }],
        ['searchKnowledge', { query: `${UNTYPABLE['lone high surrogate']}退货` }],
        ['searchProducts', { query: `粉底液${UNTYPABLE['lone low surrogate']}` }],
      ];
      for (const [name, args] of calls) {
        await board.attack(OWASP.LLM05, `the model calls ${name} with ${JSON.stringify(args)}`, async () => {
          fake.script([{ toolCalls: [{ name, args }] }, { text: '好的，我记下了' }]);
          const r = await send(llm, '/v1/chat', token, { message: '我有个建议' });
          expect(r.status, r.text.slice(0, 300)).toBe(200);
          fake.assertDone();
          const turn = JSON.parse(r.text) as { reply: string; messageId: number; toolCalls: Array<{ name: string; output: { error?: { code: string } } }> };
          expect(turn.reply).toBe('好的，我记下了');
          expect(turn.toolCalls.map((t) => t.name)).toEqual([name]);
          expect(turn.toolCalls[0]!.output.error).toBeDefined();
        });
      }
      await board.attack(OWASP.LLM05, 'no feedback stored from it, no error logged', async () => {
        expect((await db().query("SELECT 1 FROM feedback WHERE text LIKE '希望多出%'")).rows).toEqual([]);
        expect(errorLines(llm.logLines.slice(from))).toEqual([]);
      });
      board.assertAllSafe();
    });

    it('LLM05: a model reply with untypable text is stored cleaned, not lost', async () => {
      const token = await llm.token(shoppers[2]!);
      await board.attack(OWASP.LLM05, 'a NUL and a lone surrogate in the reply', async () => {
        fake.script([{ text: `您好${UNTYPABLE.nul}${UNTYPABLE['lone high surrogate']}` }]);
        const r = await send(llm, '/v1/chat', token, { message: '你好' });
        expect(r.status, r.text.slice(0, 300)).toBe(200);
        fake.assertDone();
        const turn = JSON.parse(r.text) as { reply: string; messageId: number };
        expect(turn.reply).toMatch(/^您好/);
        expect(turn.reply.isWellFormed() && !turn.reply.includes('\u0000')).toBe(true);
        const stored = await db().query<{ content: string }>('SELECT content FROM messages WHERE id = $1', [turn.messageId]);
        expect(stored.rows[0]!.content).toBe(turn.reply);
      });
      board.assertAllSafe();
    });

    it("LLM02: a database error's own words never reach a client, on any chat door", async () => {
      const token = await llm.token(shoppers[3]!);
      // A check constraint the reply trips: the turn's write fails inside the database, with the
      // constraint's name in the error text.
      await db().query("ALTER TABLE messages ADD CONSTRAINT redteam_tripwire CHECK (position('TRIPWIRE' in content) = 0) NOT VALID");
      const from = llm.logLines.length;
      try {
        const doors: Array<[string, string, unknown]> = [
          ['chat', '/v1/chat', { message: '你好' }],
          ['stream', '/v1/chat/stream', { message: '你好' }],
          ['completions', '/v1/chat/completions', { model: 'card:demo', messages: [{ role: 'user', content: '你好' }] }],
          ['completions, streamed', '/v1/chat/completions', { model: 'card:demo', stream: true, messages: [{ role: 'user', content: '你好' }] }],
        ];
        for (const [door, path, body] of doors) {
          await board.attack(OWASP.LLM02, `a failed write under ${door}`, async () => {
            fake.script([{ text: 'TRIPWIRE 您好' }]);
            const r = await send(llm, path, token, body);
            fake.assertDone();
            expect(r.text).not.toMatch(/redteam_tripwire|violates|constraint|relation/i);
          });
        }
        await board.attack(OWASP.LLM02, 'the real error is in the log', async () => {
          expect(errorLines(llm.logLines.slice(from)).join('\n')).toMatch(/redteam_tripwire/);
        });
      } finally {
        await db().query('ALTER TABLE messages DROP CONSTRAINT redteam_tripwire');
      }
      board.assertAllSafe();
    });
  });

  it('a token for a shop that does not exist is a 404 on every staff and admin route', async () => {
    const ghostAdmin = await server.token('ops-1', { shop: 'ghost', role: 'admin' });
    const ghostStaff = await server.token('staff-1', { shop: 'ghost', role: 'staff' });
    const [a] = shoppers;
    const products = (await db().query<{ id: number }>("SELECT id FROM products WHERE shop_id = 'demo' ORDER BY id LIMIT 10")).rows.map((r) => Number(r.id));
    const rules = (JSON.parse((await send(server, '/v1/admin/rules', admin, undefined, 'GET')).text) as { rules: unknown }).rules;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/v1/admin/rules'],
      ['PUT', '/v1/admin/rules', { version: 0, rules }],
      ['POST', '/v1/admin/tiers/reevaluate', {}],
      ['GET', `/v1/admin/shoppers/${a}/profile`],
      ['GET', `/v1/admin/shoppers/${a}/similar`],
      ['POST', `/v1/admin/shoppers/${a}/badges`, { badge: 'referral_pioneer', reason: '常来' }],
      ['GET', '/v1/admin/reports/tiers'],
      ['POST', '/v1/admin/integration-keys', { label: 'mall' }],
      ['DELETE', '/v1/admin/integration-keys/1'],
      ['POST', '/v1/admin/coupons/birthday', {}],
      ['POST', '/v1/admin/coupons/discount-day', {}],
      ['POST', '/v1/admin/votes', { title: '下一款上什么', productIds: products }],
      ['GET', '/v1/admin/votes/1'],
      ['POST', '/v1/admin/votes/1/close', {}],
      ['GET', '/v1/admin/feedback'],
      ['POST', '/v1/admin/feedback/1/adopt', { rewardFen: 50_000 }],
      ['POST', '/v1/admin/knowledge', { docKey: 'returns', title: '退换货', content: '# 退换货\n\n七天无理由。' }],
      ['GET', '/v1/admin/knowledge'],
      ['DELETE', '/v1/admin/knowledge/returns'],
      ['POST', '/v1/admin/reminders/run', { dryRun: true }],
      ['GET', '/v1/admin/reminders/settings'],
      ['PUT', '/v1/admin/reminders/settings', { settings: {} }],
      ['GET', '/v1/admin/outbox'],
      ['POST', '/v1/admin/outbox/1/redrive', {}],
      ['DELETE', `/v1/admin/shoppers/${a}`],
      ['POST', '/v1/events', { events: [{ id: 'ghost-1', type: 'shopper.registered', occurredAt: '2026-09-16T02:00:00Z', data: { openid: 'g1', nickname: '鬼' } }] }],
      ['GET', '/v1/staff/queue'],
      ['GET', '/v1/staff/stats'],
      ['GET', '/v1/staff/tickets/1'],
      ['POST', '/v1/staff/tickets/1/claim', {}],
      ['POST', '/v1/staff/tickets/1/reply', { text: '您好' }],
      ['POST', '/v1/staff/tickets/1/notes', { text: '记一笔' }],
      ['POST', '/v1/staff/tickets/1/resolve', { outcome: '已解决' }],
      ['POST', '/v1/staff/tickets/1/handback', {}],
      ['GET', '/v1/staff/tickets/1/suggestion'],
    ];
    const from = server.logLines.length;
    for (const [method, path, body] of routes) {
      const auth = path.startsWith('/v1/staff/') ? ghostStaff : ghostAdmin;
      await board.attack(ROBUSTNESS, `ghost shop → ${method} ${path}`, async () => {
        const r = await send(server, path, auth, body, method);
        expect(r.status, r.text.slice(0, 200)).toBe(404);
        expect(JSON.parse(r.text)).toEqual({ error: { code: 'not_found', message: 'shop not found' } });
      });
    }
    await board.attack(ROBUSTNESS, 'nothing written for the ghost shop, no error logged', async () => {
      for (const table of ['shop_integration_keys', 'tier_rules', 'reminder_settings', 'knowledge_documents', 'vote_campaigns', 'ingested_events']) {
        expect((await db().query(`SELECT 1 FROM ${table} WHERE shop_id = 'ghost'`)).rows, table).toEqual([]);
      }
      expect(errorLines(server.logLines.slice(from))).toEqual([]);
    });
    board.assertAllSafe();
  });
});
