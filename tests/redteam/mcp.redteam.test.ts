// The red team over MCP (POST /mcp), spoken by the SDK's own Client over a real port on both databases:
// a shopper (Momo, or 桃子 for an after-sales request) with a valid token reaches for the victim's
// (小雨's, canaries planted) orders, after-sales and points by naming them in tool arguments, calls the
// staff tools by name, slips identities, unknown keys, wrong types and oversized text into arguments,
// commits a spending write without its confirmation, with another's confirmation or twice, comes with
// another shop's, an expired or a forged token, floods the endpoint, and reads another shop's
// knowledge documents. Checked for each: a clear MCP answer (a tool error, a JSON-RPC error or a 4xx),
// never an internal error nor an error logged by the server, nothing of the victim's in any answer,
// and the rows that matter unchanged.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { ingestKnowledge } from '../../src/domain/knowledge/ingest.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { describeDemo } from '../helpers/demo.ts';
import { createShop } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { changedRows, expectNoLeak, OWASP, OWASP_API, OWASP_WEB, plantCanaries, protectedRows, ROBUSTNESS, scoreboard, type Victim } from './lib.ts';

vi.setConfig({ testTimeout: 300_000 });

const EVIL_DOC_CANARY = 'CANARY-EVIL-DOC-5c2e91';

describeDemo('red team over MCP', (db, driver) => {
  const board = scoreboard();
  let server: TestServer;
  let victim: Victim;
  let momo: number; // the attacker: a member with points to spend
  let taozi: number; // an attacker whose latest order is inside the return window
  let momoToken: string;
  let evilShop: string;
  const open: Client[] = [];

  async function connect(token: string, url = server.url): Promise<Client> {
    const client = new Client({ name: 'redteam', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    open.push(client);
    return client;
  }
  /** A tool call's answer: the result, or the JSON-RPC error the client threw. */
  async function attempt(client: Client, name: string, args: unknown): Promise<{ result?: CallToolResult; rpcError?: McpError }> {
    try {
      return { result: (await client.callTool({ name, arguments: args as Record<string, unknown> })) as CallToolResult };
    } catch (e) {
      if (e instanceof McpError) return { rpcError: e };
      throw e;
    }
  }
  const toolErrorOf = (r: CallToolResult | undefined) =>
    r?.isError ? (JSON.parse((r.content[0] as { text: string }).text) as { error: { code: string; message: string } }).error : null;
  /** The server logged no error while `run` ran: a client's mistake is answered, not a failure of ours. */
  async function noServerError<T>(run: () => Promise<T>): Promise<T> {
    const from = server.logLines.length;
    const out = await run();
    const errors = server.logLines.slice(from).filter((l) => (JSON.parse(l) as { level: string }).level === 'error');
    expect(errors, 'error lines logged').toEqual([]);
    return out;
  }
  /** A clear refusal as a tool error with this code, naming `names` when given. */
  function expectToolError(a: { result?: CallToolResult; rpcError?: McpError }, code: string, names: string[] = []) {
    expect(a.rpcError?.message, 'a JSON-RPC error instead of a tool error').toBeUndefined();
    const e = toolErrorOf(a.result);
    expect(e, JSON.stringify(a.result?.structuredContent ?? a.result?.content).slice(0, 300)).not.toBeNull();
    expect(e!.code).toBe(code);
    for (const n of names) expect(e!.message).toContain(n);
  }
  const raw = (body: string, token: string | null, contentType = 'application/json') =>
    fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body,
    });
  const count = async (sql: string, params: unknown[]) => (await db().query<{ n: number }>(sql, params)).rows[0]!.n;
  const redemptions = (id: number) => count("SELECT count(*)::int AS n FROM points_ledger WHERE shopper_id = $1 AND ref_key LIKE 'redeem:%'", [id]);
  const afterSales = (id: number) => count('SELECT count(*)::int AS n FROM after_sales WHERE shopper_id = $1', [id]);
  const votes = () => count('SELECT count(*)::int AS n FROM votes WHERE $1::int IS NOT NULL', [1]);

  beforeAll(async () => {
    victim = await plantCanaries(db(), (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0001'))!);
    momo = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0003'))!;
    taozi = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0002'))!;
    server = await startTestServer(db(), { env: { RATE_LIMIT_SHOPPER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' } });
    momoToken = await server.token(momo);
    // Another shop on the same service, with a document of its own and one under the demo's key.
    evilShop = (await createShop(db(), { name: '隔壁店' })).id;
    const embedder = createLocalEmbedder();
    await ingestKnowledge(db(), embedder, evilShop, { docKey: 'secret-terms', title: '内部条款', content: `# 内部条款\n\n供货底价 ${EVIL_DOC_CANARY}` });
    await ingestKnowledge(db(), embedder, evilShop, { docKey: 'return-policy', title: '退货', content: `# 退货\n\n隔壁店的退货规则 ${EVIL_DOC_CANARY}` });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close().catch(() => undefined)));
  });
  afterAll(async () => {
    board.print(`over MCP [${driver}]`);
    await server?.close();
  });

  it("API1: the victim's orders, after-sales and points stay theirs, whatever the arguments name", async () => {
    const client = await connect(momoToken);
    const before = await protectedRows(db(), momo);
    const orderNo = victim.orderNos[0]!;
    const missing = toolErrorOf((await attempt(client, 'getOrder', { orderNo: 'NO-SUCH-ORDER' })).result);
    for (const [name, args] of [
      ['getOrder', { orderNo }],
      ['trackShipment', { orderNo }],
    ] as const) {
      await board.attack(OWASP_API.API1, `${name} with the victim's order number`, async () => {
        const a = await noServerError(() => attempt(client, name, args));
        expectToolError(a, 'not_found');
        expect(toolErrorOf(a.result)).toEqual(missing);
        expectNoLeak(name, a.result, victim, orderNo);
      });
    }
    await board.attack(OWASP_API.API1, "createAfterSales on the victim's order", async () => {
      const a = await noServerError(() => attempt(client, 'createAfterSales', { orderNo, kind: 'refund', reason: '不想要了' }));
      // Refused before anything is asked: no pending action, the same answer as for no order at all.
      expect(JSON.stringify(a.result?.structuredContent ?? toolErrorOf(a.result))).not.toContain('actionId');
      expectNoLeak('createAfterSales', a.result, victim, orderNo);
      expect(await count("SELECT count(*)::int AS n FROM pending_actions WHERE shopper_id = $1 AND input::text LIKE '%' || $2 || '%'", [momo, orderNo])).toBe(0);
    });
    // Identities named in the arguments: refused by name, so nobody mistakes the token's data for the one asked for.
    for (const [name, args] of [
      ['getPoints', { shopperId: victim.shopperId }],
      ['listOrders', { shopperId: victim.shopperId, shopId: 'demo' }],
      ['listCoupons', { userId: String(victim.shopperId) }],
      ['getOrder', { orderNo, shopperId: victim.shopperId }],
      ['getMembership', { sub: String(victim.shopperId), role: 'admin' }],
    ] as const) {
      await board.attack(OWASP_API.API1, `${name} naming the victim (${Object.keys(args).join(', ')})`, async () => {
        const a = await noServerError(() => attempt(client, name, args));
        expectToolError(a, 'invalid', Object.keys(args).filter((k) => k !== 'orderNo'));
        expectNoLeak(name, a.result, victim, orderNo);
      });
    }
    expect(changedRows(before, await protectedRows(db(), momo))).toEqual([]);
    board.assertAllSafe();
  });

  it('LLM06: a shopper is shown no staff tool and is refused one called by name', async () => {
    const client = await connect(momoToken);
    const { tools } = await client.listTools();
    const staffTools = ['listHandoffQueue', 'getTicket', 'claimTicket', 'replyToTicket', 'resolveTicket', 'handBackTicket', 'getTierReport', 'listKnowledgeDocuments', 'listOutbox'];
    await board.attack(OWASP.LLM06, 'tools/list as a shopper', async () => {
      expect(tools.map((t) => t.name).filter((n) => staffTools.includes(n) || n === 'requestHandoff')).toEqual([]);
    });
    const { rows } = await db().query<{ id: number; status: string }>("SELECT id, status FROM handoff_tickets WHERE shop_id = 'demo' ORDER BY id LIMIT 1");
    const ticketId = rows[0]?.id ?? 1;
    const ticketsBefore = await db().query('SELECT id, status, claimed_by, outcome FROM handoff_tickets ORDER BY id');
    for (const name of staffTools) {
      await board.attack(OWASP.LLM06, `shopper calls ${name} by name`, async () => {
        const a = await noServerError(() => attempt(client, name, { ticketId, text: '退款已批准', outcome: '已退款' }));
        expect(a.rpcError?.code).toBe(ErrorCode.InvalidParams);
        expect(a.rpcError?.message).toContain(`unknown tool: ${name}`);
        expectNoLeak(name, a.rpcError?.message, victim);
      });
    }
    expect((await db().query('SELECT id, status, claimed_by, outcome FROM handoff_tickets ORDER BY id')).rows).toEqual(ticketsBefore.rows);
    await board.attack(OWASP.LLM06, 'staff calls confirmAction and a shopper tool by name', async () => {
      const staff = await connect(await server.token('s1', { role: 'staff' }));
      for (const name of ['confirmAction', 'listOrders', 'redeemPoints']) {
        expect((await attempt(staff, name, {})).rpcError?.message).toContain(`unknown tool: ${name}`);
      }
    });
    board.assertAllSafe();
  });

  it('LLM06: a spending write commits only on its own shopper\'s confirmation, exactly once, and not once expired', async () => {
    const client = await connect(momoToken);
    const taoziClient = await connect(await server.token(taozi));
    const fishClient = await connect(await server.token((await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0004'))!));

    const pending = async (c: Client, name: string, args: Record<string, unknown>) => {
      const a = await attempt(c, name, args);
      expect(a.result?.structuredContent, JSON.stringify(a.result?.content).slice(0, 300)).toMatchObject({ pending: true, tool: name });
      return (a.result!.structuredContent as { actionId: string }).actionId;
    };
    const [momoRedeemed, taoziAfterSales, votesBefore] = [await redemptions(momo), await afterSales(taozi), await votes()];

    await board.attack(OWASP.LLM06, 'redeemPoints called without confirmAction', async () => {
      await pending(client, 'redeemPoints', {});
      expect(await redemptions(momo)).toBe(momoRedeemed);
    });
    const taoziOrder = (
      await db().query<{ order_no: string }>("SELECT order_no FROM orders WHERE shopper_id = $1 AND status IN ('delivered', 'completed') ORDER BY created_at DESC LIMIT 1", [taozi])
    ).rows[0]!.order_no;
    let afterSalesAction = '';
    await board.attack(OWASP.LLM06, 'createAfterSales called without confirmAction', async () => {
      afterSalesAction = await pending(taoziClient, 'createAfterSales', { orderNo: taoziOrder, kind: 'return', reason: '颜色不合适' });
      expect(await afterSales(taozi)).toBe(taoziAfterSales);
    });
    const { tools } = await client.listTools();
    if (tools.some((t) => t.name === 'voteProduct')) {
      await board.attack(OWASP.LLM06, 'voteProduct called without confirmAction', async () => {
        const campaigns = (await attempt(client, 'listVoteCampaigns', {})).result?.structuredContent as { campaigns?: { candidates: { productId: number }[] }[] };
        const productId = campaigns.campaigns?.[0]?.candidates[0]?.productId;
        if (productId) await pending(client, 'voteProduct', { productId });
        expect(await votes()).toBe(votesBefore);
      });
    }

    const redeem = await pending(client, 'redeemPoints', {});
    await board.attack(OWASP.LLM06, "confirmAction with another shopper's actionId", async () => {
      expectToolError(await attempt(fishClient, 'confirmAction', { actionId: redeem }), 'not_found');
      expectToolError(await attempt(client, 'confirmAction', { actionId: afterSalesAction }), 'not_found');
      expectToolError(await attempt(fishClient, 'cancelAction', { actionId: redeem }), 'not_found');
      expect(await redemptions(momo)).toBe(momoRedeemed);
      expect(await afterSales(taozi)).toBe(taoziAfterSales);
    });
    await board.attack(OWASP.LLM06, 'confirmAction carrying another input or another shopper', async () => {
      const a = await noServerError(() => attempt(client, 'confirmAction', { actionId: redeem, input: { templateCode: 'VIP500' }, shopperId: taozi }));
      expectToolError(a, 'invalid', ['input', 'shopperId']);
      expect(await redemptions(momo)).toBe(momoRedeemed);
    });
    await board.attack(OWASP.LLM06, 'confirmAction with an id that is no action', async () => {
      expectToolError(await noServerError(() => attempt(client, 'confirmAction', { actionId: '00000000-0000-4000-8000-000000000000' })), 'not_found');
      expectToolError(await noServerError(() => attempt(client, 'confirmAction', { actionId: "' OR 1=1 --" })), 'invalid');
      expectToolError(await noServerError(() => attempt(client, 'confirmAction', { actionId: 42 })), 'invalid');
    });
    await board.attack(OWASP.LLM06, 'a confirmation replayed: the same actionId confirmed again after it ran', async () => {
      const first = await attempt(client, 'confirmAction', { actionId: redeem });
      expect(first.result?.structuredContent).toMatchObject({ confirmed: true, actionId: redeem });
      for (let i = 0; i < 3; i++) expectToolError(await attempt(client, 'confirmAction', { actionId: redeem }), 'conflict');
      expect(await redemptions(momo)).toBe(momoRedeemed + 1);
    });
    await board.attack(OWASP.LLM06, 'a confirmation after the action expired', async () => {
      const late = await pending(client, 'redeemPoints', {});
      await db().query("UPDATE pending_actions SET expires_at = created_at - interval '1 second' WHERE id = $1", [late]);
      expectToolError(await attempt(client, 'confirmAction', { actionId: late }), 'expired');
      expectToolError(await attempt(client, 'confirmAction', { actionId: late }), 'conflict');
      expect(await redemptions(momo)).toBe(momoRedeemed + 1);
    });
    board.assertAllSafe();
  });

  it('robustness: odd arguments, names and bodies get a clear answer, never an internal error', async () => {
    const client = await connect(momoToken);
    const before = await protectedRows(db(), momo);
    const cases: Array<[string, string, unknown, string[]]> = [
      ['an unknown key', 'listOrders', { limit: 5, verbose: true }, ['verbose']],
      ['a wrong type', 'getOrder', { orderNo: 12345 }, ['orderNo']],
      ['an array for a string', 'getOrder', { orderNo: ['a', 'b'] }, ['orderNo']],
      ['null for a required string', 'getOrder', { orderNo: null }, ['orderNo']],
      ['a 100 000-character order number', 'getOrder', { orderNo: 'x'.repeat(100_000) }, ['orderNo']],
      ['a 100 000-character search', 'searchProducts', { query: '粉底液'.repeat(33_334) }, ['query']],
      ['a NUL in a string', 'getOrder', { orderNo: 'A\u0000B' }, ['orderNo']],
      ['a lone surrogate', 'searchKnowledge', { query: 'ab\ud800c' }, ['query']],
      ['a limit out of range', 'listOrders', { limit: 1e9 }, ['limit']],
      ['a float where an integer goes', 'voteProduct', { productId: 1.5 }, ['productId']],
      ['nested arguments', 'listOrders', JSON.parse('{"a":' + '['.repeat(500) + ']'.repeat(500) + '}'), ['a']],
    ];
    for (const [what, name, args, names] of cases) {
      await board.attack(ROBUSTNESS, `${what} (${name})`, async () => {
        const a = await noServerError(() => attempt(client, name, args));
        if (a.rpcError) {
          // A tool this tier is not shown (voteProduct) is unknown; nothing else may answer so.
          expect(a.rpcError.code, a.rpcError.message).toBe(ErrorCode.InvalidParams);
          expect(a.rpcError.message).toContain('unknown tool');
        } else expectToolError(a, 'invalid', names);
      });
    }
    await board.attack(ROBUSTNESS, 'a __proto__ key in the arguments', async () => {
      // The protocol layer's parsing drops it (or makes it the arguments' prototype): either way it
      // names nothing of the victim's and pollutes no object of the server's.
      const a = await noServerError(() => attempt(client, 'getOrder', JSON.parse(`{"__proto__": {"orderNo": "${victim.orderNos[0]}", "admin": true}}`)));
      expect(a.rpcError).toBeUndefined();
      expect(['invalid', 'not_found']).toContain(toolErrorOf(a.result)?.code);
      expectNoLeak('getOrder', a.result, victim, victim.orderNos[0]);
      expect(({} as { admin?: boolean }).admin).toBeUndefined();
      expect((await attempt(client, 'getPoints', JSON.parse('{"__proto__": {"admin": true}}'))).result?.structuredContent).toMatchObject({ balance: expect.any(Number) });
    });
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'x'.repeat(10_000)]) {
      await board.attack(ROBUSTNESS, `a tool named ${JSON.stringify(name.slice(0, 20))}`, async () => {
        const a = await noServerError(() => attempt(client, name, {}));
        expect(a.rpcError?.code).toBe(ErrorCode.InvalidParams);
      });
    }
    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'getPoints', arguments: 'me' } });
    for (const [what, body, contentType] of [
      ['arguments that are a string', init, 'application/json'],
      ['arguments that are an array', init.replace('"me"', '[1,2]'), 'application/json'],
      ['a body that is not JSON', '{"jsonrpc": "2.0", ', 'application/json'],
      ['a body that is not JSON-RPC', '{"hello": "world"}', 'application/json'],
      ['a JSON string body', '"tools/list"', 'application/json'],
      ['a form body', 'a=1', 'application/x-www-form-urlencoded'],
      ['arguments nested 100 000 deep', init.replace('"me"', '{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'), 'application/json'],
      ['a batch of one', `[${init.replace('"me"', '{}')}]`, 'application/json'],
    ] as const) {
      await board.attack(ROBUSTNESS, `raw POST /mcp: ${what}`, async () => {
        const res = await noServerError(() => raw(body, momoToken, contentType));
        const text = await res.text();
        expect(res.status, text.slice(0, 200)).toBeLessThan(500);
        // An answer of 200 is a JSON-RPC error for the request, or a tool error for its arguments.
        const answer = res.status === 200 ? (JSON.parse(text) as { error?: { code: number }; result?: { isError?: boolean } }) : null;
        if (answer) expect(answer.error?.code === ErrorCode.InvalidParams || answer.result?.isError === true, text.slice(0, 200)).toBe(true);
        expect(text).not.toMatch(/Internal|stack|at .*\.ts:/);
      });
    }
    await board.attack(ROBUSTNESS, 'the server still answers after all of it', async () => {
      expect((await attempt(client, 'getPoints', {})).result?.isError).toBeFalsy();
    });
    expect(changedRows(before, await protectedRows(db(), momo))).toEqual([]);
    board.assertAllSafe();
  });

  it("API1: a shopper reads only their own shop's documents, however the resource is named", async () => {
    const client = await connect(momoToken);
    await board.attack(OWASP_API.API1, "resources/list shows no other shop's document", async () => {
      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri)).not.toContain('laotie://knowledge/secret-terms');
      expect(JSON.stringify(resources)).not.toContain('内部条款');
    });
    await board.attack(OWASP_API.API1, "resources/read of a document only another shop has", async () => {
      const err = await client.readResource({ uri: 'laotie://knowledge/secret-terms' }).then(() => null, (e: McpError) => e);
      expect(err?.code).toBe(ErrorCode.InvalidParams);
      expect(err?.message).not.toContain(EVIL_DOC_CANARY);
    });
    await board.attack(OWASP_API.API1, 'resources/read of a key both shops have gives the own shop\'s text', async () => {
      const doc = await client.readResource({ uri: 'laotie://knowledge/return-policy' });
      expect(JSON.stringify(doc)).not.toContain(EVIL_DOC_CANARY);
    });
    for (const uri of [
      `laotie://knowledge/${encodeURIComponent('../' + evilShop + '/secret-terms')}`,
      `laotie://knowledge/${evilShop}/secret-terms`,
      'laotie://knowledge/secret%2Dterms%3Fshop%3D' + evilShop,
      'laotie://knowledge/%E0%A4%A',
      'laotie://knowledge/%',
      'laotie://knowledge/a%00b',
      'laotie://knowledge/' + 'x'.repeat(50_000),
      'laotie://knowledge/',
      'laotie://shop/policies/../knowledge/secret-terms',
      'file:///etc/passwd',
      'http://127.0.0.1:5432/',
    ]) {
      await board.attack(OWASP_API.API1, `resources/read ${uri.slice(0, 60)}`, async () => {
        const err = await noServerError(() => client.readResource({ uri }).then(() => null, (e: McpError) => e));
        expect(err, 'an answer').not.toBeNull();
        expect([err!.code, err!.message]).toEqual([ErrorCode.InvalidParams, expect.stringContaining('not found')]);
        expect(err!.message).not.toContain(EVIL_DOC_CANARY);
      });
    }
    board.assertAllSafe();
  });

  it("A07: another shop's token, an expired, forged or garbage one open nothing of the shop's", async () => {
    const evilShopper = (await db().query<{ id: number }>("INSERT INTO shoppers (shop_id, openid, nickname) VALUES ($1, 'evil-mcp-1', '坏人') RETURNING id", [evilShop]))
      .rows[0]!.id;
    await board.attack(OWASP_WEB.A01, "another shop's shopper reads the victim's order by its number", async () => {
      const client = await connect(await server.token(evilShopper, { shop: evilShop }));
      const a = await noServerError(() => attempt(client, 'getOrder', { orderNo: victim.orderNos[0] }));
      expectToolError(a, 'not_found');
      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri)).toContain('laotie://knowledge/secret-terms');
      expectNoLeak('their resources', resources, victim);
    });
    await board.attack(OWASP_WEB.A01, "a token of another shop naming the victim's shopper id", async () => {
      await expect(connect(await server.token(victim.shopperId, { shop: evilShop }))).rejects.toMatchObject({ code: 401 });
    });
    await board.attack(OWASP_WEB.A01, "another shop's staff read and claim the demo's tickets", async () => {
      const { rows } = await db().query<{ id: number }>("SELECT id FROM handoff_tickets WHERE shop_id = 'demo' ORDER BY id LIMIT 1");
      const staff = await connect(await server.token('s1', { role: 'staff', shop: evilShop }));
      const queue = (await attempt(staff, 'listHandoffQueue', {})).result?.structuredContent as { tickets: unknown[] };
      expect(queue.tickets).toEqual([]);
      if (rows[0]) {
        expectToolError(await attempt(staff, 'getTicket', { ticketId: rows[0].id }), 'not_found');
        expectToolError(await attempt(staff, 'claimTicket', { ticketId: rows[0].id }), 'not_found');
      }
    });
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const secret = new TextEncoder().encode('test-secret-'.padEnd(40, 'x'));
    const claims = { shop: 'demo', role: 'shopper' };
    const bad: Record<string, string> = {
      expired: await server.tokens.mint({ role: 'shopper', shopId: 'demo', shopperId: momo }, -60),
      garbage: 'not-a-token',
      'empty-looking': '...',
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: String(victim.shopperId), iss: 'laotie' })}.`,
      'wrong secret': await new SignJWT({ ...claims, sub: String(victim.shopperId) })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('laotie')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-the-secret-'.padEnd(40, 'z'))),
      'no expiry': await new SignJWT({ ...claims, sub: String(momo) }).setProtectedHeader({ alg: 'HS256' }).setIssuer('laotie').sign(secret),
      'a role the attacker wrote': (() => {
        const [h, , s] = momoToken.split('.');
        return `${h}.${b64({ shop: 'demo', role: 'admin', sub: 'a1', iss: 'laotie', exp: 4_102_444_800 })}.${s}`;
      })(),
      'huge token': 'x'.repeat(7_000),
    };
    for (const [name, token] of Object.entries(bad)) {
      await board.attack(OWASP_WEB.A07, `${name} token`, async () => {
        await expect(connect(token)).rejects.toMatchObject({ code: 401 });
        const res = await raw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), token);
        expect(res.status).toBe(401);
        expect(Object.keys((await res.json()) as object)).toEqual(['error']);
      });
    }
    board.assertAllSafe();
  });

  it('LLM10: the rate limit holds for /mcp, for a flood of bad tokens, and for many calls in one body', async () => {
    const limited = await startTestServer(db(), { env: { RATE_LIMIT_SHOPPER_PER_MIN: '3', RATE_LIMIT_IP_PER_MIN: '0' } });
    const byIp = await startTestServer(db(), { env: { RATE_LIMIT_SHOPPER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '3' } });
    try {
      const post = (url: string, token: string, body: unknown) =>
        fetch(`${url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, 'mcp-protocol-version': '2025-06-18' },
          body: JSON.stringify(body),
        });
      const callOf = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'getPoints', arguments: {} } });
      await board.attack(OWASP.LLM10, 'tool calls past the per-shopper limit', async () => {
        const token = await limited.token(momo);
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await post(limited.url, token, callOf(i))).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
      });
      await board.attack(OWASP.LLM10, 'a JSON-RPC batch of 100 tool calls in one request', async () => {
        const token = await limited.token(taozi);
        const res = await post(limited.url, token, Array.from({ length: 100 }, (_, i) => callOf(i)));
        const text = await res.text();
        // One request may carry one call: a batch would be 100 calls for one count of the limit.
        expect(res.status, text.slice(0, 200)).toBe(400);
        expect(text).toMatch(/batch/i);
      });
      await board.attack(OWASP.LLM10, 'a flood of garbage tokens from one address', async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await post(byIp.url, `garbage-${i}`, callOf(i))).status);
        expect(statuses).toEqual([401, 401, 401, 429]);
      });
    } finally {
      await limited.close();
      await byIp.close();
    }
    board.assertAllSafe();
  });
});
