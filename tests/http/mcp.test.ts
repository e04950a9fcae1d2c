// The card over MCP (POST /mcp), spoken by the SDK's own Client and StreamableHTTPClientTransport
// over a real port: the tools a token may use, each over the token's own data only; a spending write
// waits for confirmAction by the same shopper and runs once; the shop's documents as resources and the
// card's persona as a prompt; no token, an expired one and too many requests are refused like the
// chat APIs refuse them.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { resolveShopperCaller } from '../../src/domain/shoppers/repo.ts';
import { toolsFor } from '../../tools/index.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describeDemo('the card over MCP', (db) => {
  let server: TestServer;
  let momo: number; // demo-openid-0003: enough points for several redemptions
  let fish: number; // demo-openid-0004: another shopper with orders of her own
  let momoToken: string;
  let fishToken: string;
  const open: Client[] = [];

  async function connect(token: string | null, url = server.url): Promise<Client> {
    const client = new Client({ name: 'laotie-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', url), {
      requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
    });
    await client.connect(transport);
    open.push(client);
    return client;
  }

  /** Connected, with the tool list read: the client then checks every result against its outputSchema. */
  async function connectListed(token: string) {
    const client = await connect(token);
    const { tools } = await client.listTools();
    return { client, names: tools.map((t) => t.name), tools };
  }

  const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  const errorOf = (r: CallToolResult) => (r.isError ? (JSON.parse((r.content[0] as { text: string }).text) as { error: { code: string } }).error : null);
  const redemptions = async (shopperId: number) =>
    (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM points_ledger WHERE shopper_id = $1 AND ref_key LIKE 'redeem:%'", [shopperId]))
      .rows[0]!.n;

  beforeAll(async () => {
    // Limits off here: a client sends a few requests to connect; the limits have a test of their own.
    server = await startTestServer(db(), { env: { RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_SHOPPER_PER_MIN: '0' } });
    momo = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0003'))!;
    fish = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0004'))!;
    momoToken = await server.token(momo);
    fishToken = await server.token(fish);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(() => server?.close());

  it("lists a shopper exactly the agent's tools for their tier, with confirmAction and cancelAction", async () => {
    const caller = (await resolveShopperCaller(db(), { shopId: 'demo', shopperId: momo }))!;
    const { names, tools } = await connectListed(momoToken);
    expect(names.sort()).toEqual([...toolsFor(caller).map((d) => d.name), 'confirmAction', 'cancelAction'].sort());
    expect(names).not.toContain('requestHandoff');
    expect(names).not.toContain('listHandoffQueue');
    const getOrder = tools.find((t) => t.name === 'getOrder')!;
    expect(getOrder.inputSchema).toMatchObject({ type: 'object', required: ['orderNo'] });
    expect(getOrder.outputSchema).toMatchObject({ type: 'object' });
    expect(getOrder.annotations).toMatchObject({ readOnlyHint: true });
    // A write that waits for a yes says it may answer with a pending action instead of its result.
    expect(JSON.stringify(tools.find((t) => t.name === 'redeemPoints')!.outputSchema)).toContain('actionId');
  });

  it('lists staff the desk tools and an admin the operator tools too, and neither any shopper tool', async () => {
    const staff = await connectListed(await server.token('s1', { role: 'staff' }));
    const desk = ['claimTicket', 'getTicket', 'handBackTicket', 'listHandoffQueue', 'replyToTicket', 'resolveTicket'];
    expect(staff.names.sort()).toEqual(desk);
    const admin = await connectListed(await server.token('a1', { role: 'admin' }));
    expect(admin.names.sort()).toEqual([...desk, 'getTierReport', 'listKnowledgeDocuments', 'listOutbox'].sort());
    await expect(staff.client.callTool({ name: 'getTierReport', arguments: {} })).rejects.toThrow(/unknown tool/);
    await expect(staff.client.callTool({ name: 'listOrders', arguments: {} })).rejects.toThrow(/unknown tool/);
  });

  it("answers listOrders with the caller's own orders and nobody else's", async () => {
    const { client } = await connectListed(momoToken);
    // Whose orders is the token's alone: an identity slipped into the arguments is refused by name.
    const slipped = errorOf(await call(client, 'listOrders', { limit: 20, shopperId: fish, shopId: 'demo' }));
    expect(slipped).toMatchObject({ code: 'invalid', message: expect.stringMatching(/shopperId.*shopId/) });
    const r = await call(client, 'listOrders', { limit: 20 });
    expect(r.isError).toBeFalsy();
    const listed = (r.structuredContent as { orders: { orderNo: string }[] }).orders.map((o) => o.orderNo).sort();
    const { rows } = await db().query<{ order_no: string }>('SELECT order_no FROM orders WHERE shop_id = $1 AND shopper_id = $2 ORDER BY order_no', [
      'demo',
      momo,
    ]);
    const own = rows.map((o) => o.order_no);
    expect(listed.length).toBe(Math.min(own.length, 20));
    expect(listed.length).toBeGreaterThan(0);
    for (const orderNo of listed) expect(own).toContain(orderNo);
  });

  it('answers every read tool a 老铁 is shown with a result its listed outputSchema accepts', async () => {
    const xiaoyu = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0001'))!;
    const { rows } = await db().query<{ order_no: string; product_id: number }>(
      'SELECT o.order_no, i.product_id FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.shopper_id = $1 ORDER BY o.created_at DESC LIMIT 1',
      [xiaoyu],
    );
    const args: Record<string, Record<string, unknown>> = {
      searchProducts: { query: '适合干皮的粉底液' },
      getProduct: { productId: rows[0]!.product_id },
      getOrder: { orderNo: rows[0]!.order_no },
      trackShipment: {},
      searchKnowledge: { query: '过了7天还能退吗' },
    };
    // The client checks each structured result against the tool's outputSchema and throws when it does not fit.
    const { client, tools } = await connectListed(await server.token(xiaoyu));
    const reads = tools.filter((t) => t.annotations?.readOnlyHint);
    expect(reads.length).toBeGreaterThan(10);
    for (const t of reads) {
      const r = await call(client, t.name, args[t.name] ?? {});
      expect([t.name, r.isError ? errorOf(r) : 'ok']).toEqual([t.name, 'ok']);
    }
  });

  it("never shows another shopper's order, even by its number", async () => {
    const { rows } = await db().query<{ order_no: string }>('SELECT order_no FROM orders WHERE shopper_id = $1 LIMIT 1', [fish]);
    const { client } = await connectListed(momoToken);
    const theirs = await call(client, 'getOrder', { orderNo: rows[0]!.order_no });
    const none = await call(client, 'getOrder', { orderNo: 'NO-SUCH-ORDER' });
    expect(errorOf(theirs)).toEqual(errorOf(none));
    expect(errorOf(theirs)?.code).toBe('not_found');
    // Her own token reads it.
    const own = await call((await connectListed(fishToken)).client, 'getOrder', { orderNo: rows[0]!.order_no });
    expect(own.structuredContent).toMatchObject({ orderNo: rows[0]!.order_no });
  });

  it('redeems points only on confirmAction by the same shopper, exactly once however many confirm at once', async () => {
    const before = await redemptions(momo);
    const { client } = await connectListed(momoToken);
    const proposed = await call(client, 'redeemPoints', {});
    expect(proposed.structuredContent).toMatchObject({ pending: true, tool: 'redeemPoints' });
    const { actionId, summary } = proposed.structuredContent as { actionId: string; summary: string };
    expect(summary).toMatch(/积分/);
    expect(await redemptions(momo)).toBe(before);

    // Another shopper's token cannot confirm it: to her it does not exist.
    const stranger = await connectListed(fishToken);
    expect(errorOf(await call(stranger.client, 'confirmAction', { actionId }))?.code).toBe('not_found');
    expect(await redemptions(momo)).toBe(before);

    const answers = await Promise.all(Array.from({ length: 5 }, () => call(client, 'confirmAction', { actionId })));
    const done = answers.filter((a) => !a.isError);
    expect(done).toHaveLength(1);
    expect(done[0]!.structuredContent).toMatchObject({ confirmed: true, actionId, tool: 'redeemPoints', result: { redeemed: true, pointsSpent: 100 } });
    expect(answers.filter((a) => a.isError).map((a) => errorOf(a)?.code)).toEqual(['conflict', 'conflict', 'conflict', 'conflict']);
    expect(await redemptions(momo)).toBe(before + 1);
  });

  it('writes nothing when the shopper cancels the pending action, and a cancelled action cannot be confirmed', async () => {
    const before = await redemptions(momo);
    const { client } = await connectListed(momoToken);
    const { actionId } = (await call(client, 'redeemPoints', {})).structuredContent as { actionId: string };
    expect((await call(client, 'cancelAction', { actionId })).structuredContent).toMatchObject({ cancelled: true, actionId });
    expect(errorOf(await call(client, 'confirmAction', { actionId }))?.code).toBe('conflict');
    expect(await redemptions(momo)).toBe(before);
  });

  it('does not confirm over MCP an action waiting in a chat conversation', async () => {
    const chat = await fetch(`${server.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${momoToken}` },
      body: JSON.stringify({ message: '用积分换一张券' }),
    });
    expect(chat.status).toBe(200);
    const { rows } = await db().query<{ id: string }>(
      "SELECT id FROM pending_actions WHERE shopper_id = $1 AND conversation_id IS NOT NULL AND state = 'pending' ORDER BY created_at DESC LIMIT 1",
      [momo],
    );
    expect(rows).toHaveLength(1);
    const { client } = await connectListed(momoToken);
    expect(errorOf(await call(client, 'confirmAction', { actionId: rows[0]!.id }))?.code).toBe('not_found');
  });

  it('refuses a request without a token with the JSON 401 of the chat APIs', async () => {
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'missing bearer token' } });
    // The SDK's client sees the status too.
    await expect(connect(null)).rejects.toMatchObject({ code: 401 });
  });

  it('refuses an expired token, and a shopper token naming nobody', async () => {
    const expired = await server.tokens.mint({ role: 'shopper', shopId: 'demo', shopperId: momo }, -60);
    await expect(connect(expired)).rejects.toMatchObject({ code: 401 });
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${expired}` },
      body: '{}',
    });
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'token expired' } });
    await expect(connect(await server.token(987_654_321))).rejects.toMatchObject({ code: 401, message: expect.stringContaining('unknown shopper') });
  });

  it('refuses the next call once the token has expired, though the client connected with it', async () => {
    // Ten seconds of life: long enough to connect and call on a loaded machine, then waited out.
    const mintedAt = Date.now();
    const shortLived = await server.tokens.mint({ role: 'shopper', shopId: 'demo', shopperId: fish }, 10);
    const { client } = await connectListed(shortLived);
    expect((await call(client, 'getPoints')).isError).toBeFalsy();
    await new Promise((r) => setTimeout(r, Math.max(0, mintedAt + 10_100 - Date.now())));
    await expect(call(client, 'getPoints')).rejects.toMatchObject({ code: 401 });
  });

  it("serves the shop's knowledge documents and policies as resources, and the card's persona as a prompt", async () => {
    const client = await connect(momoToken);
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toContain('laotie://shop/policies');
    expect(uris).toContain('laotie://knowledge/return-policy');
    const policy = await client.readResource({ uri: 'laotie://knowledge/return-policy' });
    expect((policy.contents[0] as { text: string }).text).toMatch(/退/);
    const numbers = await client.readResource({ uri: 'laotie://shop/policies' });
    const policyNumbers = JSON.parse((numbers.contents[0] as { text: string }).text) as Record<string, unknown>;
    expect(policyNumbers).toMatchObject({ returnWindowDays: expect.any(Number), serviceHours: expect.any(Object) });
    expect(policyNumbers).not.toHaveProperty('handoffRefundThresholdFen');
    expect(policyNumbers).not.toHaveProperty('averageOrderFen');
    await expect(client.readResource({ uri: 'laotie://knowledge/no-such-doc' })).rejects.toThrow(/not found/);

    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['cardPersona']);
    const persona = await client.getPrompt({ name: 'cardPersona' });
    const { rows } = await db().query<{ persona: string }>("SELECT persona FROM shops WHERE id = 'demo'");
    const text = (persona.messages[0]!.content as { text: string }).text;
    expect(text).toContain(rows[0]!.persona);
    // The persona only: the card's working rules and the shopper's profile stay inside.
    expect(text).not.toMatch(/工作方式|系统提示词|画像/);
  });

  it("lets staff read the queue and a ticket of their own shop and reply to its shopper", async () => {
    const asked = await fetch(`${server.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fishToken}` },
      body: JSON.stringify({ message: '转人工' }),
    });
    const { handoff, conversationId } = (await asked.json()) as { handoff: { ticketId: number }; conversationId: string };
    const { client } = await connectListed(await server.token('s1', { role: 'staff' }));
    const queue = (await call(client, 'listHandoffQueue')).structuredContent as { tickets: { id: number }[] };
    expect(queue.tickets.map((t) => t.id)).toContain(handoff.ticketId);
    expect((await call(client, 'getTicket', { ticketId: handoff.ticketId })).structuredContent).toMatchObject({ ticket: { id: handoff.ticketId } });
    const replied = await call(client, 'replyToTicket', { ticketId: handoff.ticketId, text: '您好，我是客服小王' });
    expect(replied.isError).toBeFalsy();
    const said = await db().query<{ content: string }>('SELECT content FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1', [conversationId]);
    expect(said.rows[0]!.content).toBe('您好，我是客服小王');
    // Another shop's staff: the same ticket is not there.
    await expect(connect(await server.token('s1', { role: 'staff', shop: 'other-shop' }))).rejects.toMatchObject({ code: 404 });
    expect(errorOf(await call(client, 'getTicket', { ticketId: 999_999_999 }))?.code).toBe('not_found');
  });

  it('limits MCP requests per shopper like the chat APIs, with 429 and Retry-After', async () => {
    const limited = await startTestServer(db(), { env: { RATE_LIMIT_SHOPPER_PER_MIN: '3', RATE_LIMIT_IP_PER_MIN: '0' } });
    try {
      const token = await limited.token(momo);
      const post = () =>
        fetch(`${limited.url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await post()).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const res = await post();
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('MCP') });
    } finally {
      await limited.close();
    }
  });
});
