// The red team on the routes themselves, over real HTTP on both databases: an admin save that would
// quietly reset the shop's rules, a staff member closing a ticket a colleague owns, and the live
// streams one token or one shop may hold — and what one event costs with many of them open.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { publishEvent, type NewLiveEvent } from '../../src/domain/live/events.ts';
import { countingDb, type CountingDb } from '../helpers/countingDb.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually, openStream } from '../helpers/sse.ts';
import { OWASP_API, scoreboard } from './lib.ts';

vi.setConfig({ testTimeout: 120_000 });

// Small enough for a test to fill: 4 streams per token subject (the default), 10 per shop.
const PER_SHOP = 10;

describeDemo('red team on access and bounds', (db, driver) => {
  const board = scoreboard();
  let server: TestServer;
  let reads: CountingDb;
  let admin: string;

  async function call(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  /** One GET /v1/live that is not kept: its status and Retry-After, the stream (if any) dropped at once. */
  async function probeLive(token: string) {
    const abort = new AbortController();
    const res = await fetch(`${server.url}/v1/live`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
    const out = { status: res.status, retryAfter: res.headers.get('retry-after'), body: res.status === 200 ? null : ((await res.json()) as any) };
    abort.abort();
    return out;
  }

  /** Streams that are open and past their first event, so they hold their place on the server. */
  async function openReady(tokens: string[]) {
    const streams = tokens.map((t) => openStream(server.url, t));
    await Promise.all(streams.map((s) => s.until((e) => e.event === 'ready')));
    return streams;
  }

  async function closeAll(streams: Array<ReturnType<typeof openStream>>, probe: string) {
    for (const s of streams) s.close();
    await Promise.all(streams.map((s) => s.ended));
    // The server frees a place when it notices the stream is gone: wait until it has.
    await eventually(async () => ((await probeLive(probe)).status === 200 ? true : undefined), 5_000, 'a place freed');
    await new Promise((r) => setTimeout(r, 200));
  }

  beforeAll(async () => {
    reads = countingDb(db(), /\bFROM live_events\b/i);
    server = await startTestServer(reads.db, {
      env: { RATE_LIMIT_SHOPPER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0', LIVE_STREAMS_PER_SHOP: String(PER_SHOP) },
    });
    admin = await server.token('boss', { role: 'admin' });
  });
  afterAll(async () => {
    board.print(`on access and bounds [${driver}]`);
    await server?.close();
  });

  it('API3: a rules save cannot reset the rules by naming nothing, too much, or an old version', async () => {
    // A shop whose rules differ from the defaults, so that a reset would show.
    const start = await call('GET', '/v1/admin/rules', admin);
    const custom = structuredClone(start.body.rules);
    custom.tasks[0].points = 77;
    custom.community.vote.topN = 3;
    await db().query(`INSERT INTO tier_rules (shop_id, version, rules, created_by) VALUES ('demo', $1, $2, 'seed')`, [
      start.body.version + 1,
      JSON.stringify(custom),
    ]);
    const saved = await call('GET', '/v1/admin/rules', admin);
    expect(saved.body).toMatchObject({ version: start.body.version + 1, rules: custom });
    const { version, rules } = saved.body;

    const unchanged = async () => {
      const now = await call('GET', '/v1/admin/rules', admin);
      expect(now.body.rules, 'the rules in force').toEqual(rules);
      return now.body.version as number;
    };
    const refused = (name: string, method: 'PUT' | 'PATCH', body: unknown, status = 400) =>
      board.attack(OWASP_API.API3, name, async () => {
        const r = await call(method, '/v1/admin/rules', admin, body);
        expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(status);
        expect(r.body.error.code).toBe(status === 400 ? 'invalid' : 'conflict');
        expect(await unchanged()).toBe(version);
      });
    const withExtra = (path: string[], value: unknown) => {
      const copy = structuredClone(rules);
      let at = copy;
      for (const k of path.slice(0, -1)) at = at[k];
      at[path.at(-1)!] = value;
      return copy;
    };
    const { tasks: _omitted, ...withoutTasks } = rules;

    await refused('PUT {}', 'PUT', {});
    await refused('PUT an empty JSON body', 'PUT', '');
    await refused('PUT the old partial body { tiers: {} }', 'PUT', { tiers: {} });
    await refused('PUT the bare rules without their version', 'PUT', rules);
    await refused('PUT { rules } without a version', 'PUT', { rules });
    await refused('PUT an unknown top-level key', 'PUT', { version, rules, mode: 'replace' });
    await refused('PUT an unknown key in the rules', 'PUT', { version, rules: withExtra(['referral'], { rewardFen: 1 }) });
    await refused('PUT an unknown key deep in the rules', 'PUT', { version, rules: withExtra(['community', 'vote', 'bogus'], 1) });
    await refused('PUT an unknown key in a task', 'PUT', { version, rules: withExtra(['tasks', '0', 'bonus'], 1) });
    await refused('PUT the rules without tasks', 'PUT', { version, rules: withoutTasks });
    await refused('PUT a condition missing its minAny', 'PUT', {
      version,
      rules: withExtra(['potential', 'high'], { all: rules.potential.high.all, any: [] }),
    });
    await refused('PUT over an old version', 'PUT', { version: version - 1, rules }, 409);
    await refused('PUT as if nothing were saved yet', 'PUT', { version: 0, rules }, 409);
    await refused('PATCH {}', 'PATCH', {});
    await refused('PATCH a change that names nothing', 'PATCH', { version, set: {} });
    await refused('PATCH without a version', 'PATCH', { set: { community: { vote: { topN: 4 } } } });
    await refused('PATCH an unknown key deep in the rules', 'PATCH', { version, set: { community: { vote: { bogus: 1 } } } });
    await refused('PATCH an unknown key through __proto__', 'PATCH', `{"version":${version},"set":{"__proto__":{"tasks":[]}}}`);
    await refused('PATCH over an old version', 'PATCH', { version: version - 1, set: { community: { vote: { topN: 4 } } } }, 409);

    await board.attack(OWASP_API.API3, 'the GET response sent straight back changes nothing but the version', async () => {
      const r = await call('PUT', '/v1/admin/rules', admin, saved.body);
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
      expect(r.body).toMatchObject({ version: version + 1, rules });
      expect(await unchanged()).toBe(version + 1);
    });
    await board.attack(OWASP_API.API3, 'a PATCH changes the one number it names and nothing else', async () => {
      const r = await call('PATCH', '/v1/admin/rules', admin, { version: version + 1, set: { community: { vote: { topN: 4 } } } });
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
      const expected = withExtra(['community', 'vote', 'topN'], 4);
      expect(r.body).toMatchObject({ version: version + 2, rules: expected });
      expect((await call('GET', '/v1/admin/rules', admin)).body.rules).toEqual(expected);
    });
    board.assertAllSafe();
  });

  it('API1: only the staff member who claimed a ticket, or an admin, can resolve it or hand it back', async () => {
    const { rows } = await db().query<{ id: number }>("SELECT id FROM shoppers WHERE shop_id = 'demo' ORDER BY id LIMIT 1");
    const shopper = await server.token(rows[0]!.id);
    const [staffA, staffB] = [await server.token('a', { role: 'staff' }), await server.token('b', { role: 'staff' })];
    const ticket = async () => {
      const turn = await call('POST', '/v1/chat', shopper, { message: '我要找人工客服' });
      expect(turn.body.handoff?.ticketId, JSON.stringify(turn.body).slice(0, 200)).toBeTypeOf('number');
      return turn.body.handoff.ticketId as number;
    };
    const status = async (id: number) => (await call('GET', `/v1/staff/tickets/${id}`, staffA)).body.ticket.status as string;

    const claimed = await ticket();
    expect((await call('POST', `/v1/staff/tickets/${claimed}/claim`, staffA)).status).toBe(200);
    for (const [name, path, body] of [
      ['resolve', 'resolve', { outcome: '已处理' }],
      ['hand back', 'handback', { note: '交还 AI' }],
    ] as const) {
      await board.attack(OWASP_API.API1, `staff B tries to ${name} a ticket staff A claimed`, async () => {
        const r = await call('POST', `/v1/staff/tickets/${claimed}/${path}`, staffB, body);
        expect(r.status).toBe(409);
        expect(r.body.error).toMatchObject({ code: 'conflict', details: { claimedBy: 'staff:a' } });
        expect(r.body.error.message).toMatch(/claimed by staff:a/);
        expect(await status(claimed)).toBe('claimed');
      });
    }
    await board.attack(OWASP_API.API1, 'the claimer resolves her own ticket', async () => {
      expect((await call('POST', `/v1/staff/tickets/${claimed}/resolve`, staffA, { outcome: '已处理' })).status).toBe(200);
      expect(await status(claimed)).toBe('resolved');
    });
    await board.attack(OWASP_API.API1, "an admin hands back a ticket a staff member claimed (the manager's override)", async () => {
      const id = await ticket();
      expect((await call('POST', `/v1/staff/tickets/${id}/claim`, staffA)).status).toBe(200);
      expect((await call('POST', `/v1/staff/tickets/${id}/handback`, admin)).status).toBe(200);
      expect(await status(id)).toBe('handed_back');
    });
    await board.attack(OWASP_API.API1, 'any staff member resolves a ticket nobody has claimed', async () => {
      const id = await ticket();
      expect((await call('POST', `/v1/staff/tickets/${id}/resolve`, staffB, { outcome: '已答复' })).status).toBe(200);
      expect(await status(id)).toBe('resolved');
    });
    board.assertAllSafe();
  });

  it('API4: one event with many streams open costs one read, and each stream still gets only what it may see', async () => {
    const { rows } = await db().query<{ id: number }>("SELECT id FROM shoppers WHERE shop_id = 'demo' ORDER BY id LIMIT 6");
    const shopperIds = rows.map((r) => r.id);
    const staffTokens = await Promise.all(['w1', 'w1', 'w2', 'w2'].map((u) => server.token(u, { role: 'staff' })));
    const shopperTokens = await Promise.all(shopperIds.map((id) => server.token(id)));
    const staffStreams = await openReady(staffTokens);
    const shopperStreams = await openReady(shopperTokens);
    const event = (shopperId: number, audience: NewLiveEvent['audience'], tag: string): NewLiveEvent => ({
      shopId: 'demo',
      shopperId,
      conversationId: null,
      ticketId: null,
      kind: 'ticket',
      audience,
      payload: { tag },
    });
    const seen = (s: ReturnType<typeof openStream>, tag: string) => s.events.some((e) => e.data?.payload?.tag === tag);
    const settle = () => new Promise((r) => setTimeout(r, 500));
    try {
      await publishEvent(db(), event(shopperIds[0]!, 'all', 'warm-up'));
      await Promise.all([...staffStreams, shopperStreams[0]!].map((s) => s.until((e) => e.data?.payload?.tag === 'warm-up')));
      await settle();

      for (const [tag, audience] of [
        ['for-b', 'all'],
        ['staff-only', 'staff'],
      ] as const) {
        await board.attack(OWASP_API.API4, `an event (${audience}) with ${staffStreams.length + shopperStreams.length} streams open`, async () => {
          reads.reset();
          await publishEvent(db(), event(shopperIds[1]!, audience, tag));
          const readers = audience === 'all' ? [...staffStreams, shopperStreams[1]!] : staffStreams;
          await Promise.all(readers.map((s) => s.until((e) => e.data?.payload?.tag === tag)));
          await settle();
          expect(reads.count, 'reads of live_events for one event').toBe(1);
          const shoppersWhoSaw = shopperStreams.map((s, i) => (seen(s, tag) ? shopperIds[i] : null)).filter((x) => x !== null);
          expect(shoppersWhoSaw).toEqual(audience === 'all' ? [shopperIds[1]] : []);
        });
      }
    } finally {
      await closeAll([...staffStreams, ...shopperStreams], shopperTokens[0]!);
    }
    board.assertAllSafe();
  });
  it('API4: one shopper or staff member cannot hold more than 4 live streams, however many tokens they mint', async () => {
    const { rows } = await db().query<{ id: number }>("SELECT id FROM shoppers WHERE shop_id = 'demo' ORDER BY id LIMIT 1");
    for (const [who, mint] of [
      ['shopper', () => server.token(rows[0]!.id)],
      ['staff member', () => server.token('hoarder', { role: 'staff' })],
    ] as const) {
      await board.attack(OWASP_API.API4, `a ${who} opens a fifth stream`, async () => {
        const streams = await openReady([await mint(), await mint(), await mint(), await mint()]);
        try {
          for (const token of [await mint(), await mint()]) {
            const r = await probeLive(token);
            expect(r.status).toBe(429);
            expect(r.body.error.code).toBe('rate_limited');
            expect(Number(r.retryAfter)).toBeGreaterThan(0);
          }
        } finally {
          await closeAll(streams, await mint());
        }
      });
    }
    board.assertAllSafe();
  });

  it(`API4: a shop's live streams stop at its limit (${PER_SHOP} here), and a closed one frees its place`, async () => {
    await board.attack(OWASP_API.API4, 'staff members together open more streams than the shop allows', async () => {
      const users = ['f1', 'f2', 'f3'];
      const tokens = await Promise.all(users.flatMap((u) => [1, 2, 3, 4].map(() => server.token(u, { shop: 'flood', role: 'staff' }))));
      const streams = await openReady(tokens.slice(0, PER_SHOP));
      try {
        const over = await probeLive(tokens[PER_SHOP]!);
        expect(over.status).toBe(429);
        expect(over.body.error).toMatchObject({ code: 'rate_limited' });
        expect(over.body.error.message).toMatch(/shop/);
        expect(Number(over.retryAfter)).toBeGreaterThan(0);
        // Another shop is not held back by this one.
        expect((await probeLive(await server.token('f1', { shop: 'demo', role: 'staff' }))).status).toBe(200);
      } finally {
        await closeAll(streams, tokens[PER_SHOP]!);
      }
    });
    board.assertAllSafe();
  });

});
