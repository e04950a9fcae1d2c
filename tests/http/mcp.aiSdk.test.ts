// An AI SDK agent using the card over MCP (@ai-sdk/mcp's client, Streamable HTTP), driven by the
// scripted OpenAI-compatible model: the tools it is handed are the card's for that shopper, a read
// returns her own data to the model, and a spending write reaches the model as a pending action that
// a later turn's confirmAction commits.
import { createMCPClient, type MCPClient } from '@ai-sdk/mcp';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs } from 'ai';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describeDemo('an AI SDK agent over the card\'s MCP server', (db) => {
  let server: TestServer;
  let llm: FakeOpenAI;
  let mcp: MCPClient;
  let shopperId: number;

  beforeAll(async () => {
    server = await startTestServer(db(), { env: { RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_SHOPPER_PER_MIN: '0' } });
    llm = await startFakeOpenAI();
    shopperId = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0003'))!;
    mcp = await createMCPClient({
      transport: { type: 'http', url: `${server.url}/mcp`, headers: { authorization: `Bearer ${await server.token(shopperId)}` } },
    });
  });
  afterEach(() => llm.assertDone());
  afterAll(async () => {
    await mcp?.close();
    await llm?.close();
    await server?.close();
  });

  const model = () => createOpenAI({ apiKey: 'test-key', baseURL: llm.baseURL }).chat('gpt-test');
  /** What the model was shown as the result of its one tool call in this test (the MCP result's text). */
  const toolResultSeen = (from: number) => {
    const message = llm.requests.slice(from).flatMap((r) => r.body.messages).find((m) => m.role === 'tool')!;
    const parts = JSON.parse(String(message.content)) as { type: string; text: string }[];
    return JSON.parse(parts[0]!.text) as Record<string, unknown>;
  };

  it("hands the model the shopper's tools and answers listOrders with her own orders", async () => {
    const from = llm.requests.length;
    llm.script([{ toolCalls: [{ name: 'listOrders', args: {} }] }, { text: '您最近的订单都在这里。' }]);
    const result = await generateText({ model: model(), tools: await mcp.tools(), prompt: '我的订单', stopWhen: stepCountIs(3) });
    expect(result.text).toBe('您最近的订单都在这里。');
    const offered = llm.requests[from]!.body.tools!.map((t) => t.function.name);
    expect(offered).toContain('listOrders');
    expect(offered).toContain('confirmAction');
    expect(offered).not.toContain('listHandoffQueue');
    const { rows } = await db().query<{ order_no: string }>('SELECT order_no FROM orders WHERE shopper_id = $1', [shopperId]);
    const seen = JSON.stringify(toolResultSeen(from));
    expect(rows.some((r) => seen.includes(r.order_no))).toBe(true);
    const { rows: others } = await db().query<{ order_no: string }>('SELECT order_no FROM orders WHERE shopper_id <> $1 LIMIT 50', [shopperId]);
    expect(others.filter((r) => seen.includes(r.order_no))).toEqual([]);
  });

  it('shows the model a redemption as a pending action, spent only when a later turn confirms it', async () => {
    const spent = async () =>
      (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM points_ledger WHERE shopper_id = $1 AND ref_key LIKE 'redeem:%'", [shopperId])).rows[0]!.n;
    const before = await spent();
    const from = llm.requests.length;
    llm.script([{ toolCalls: [{ name: 'redeemPoints', args: {} }] }, { text: '要用 100 积分换这张券吗？' }]);
    await generateText({ model: model(), tools: await mcp.tools(), prompt: '用积分换张券', stopWhen: stepCountIs(3) });
    const pending = toolResultSeen(from);
    expect(pending).toMatchObject({ pending: true, tool: 'redeemPoints', actionId: expect.any(String) });
    expect(await spent()).toBe(before);

    // The shopper says yes: the next turn's model confirms the action by its id, and it runs once.
    const next = llm.requests.length;
    llm.script([{ toolCalls: [{ name: 'confirmAction', args: { actionId: pending.actionId } }] }, { text: '已经帮您兑换好了。' }]);
    await generateText({ model: model(), tools: await mcp.tools(), prompt: '确认', stopWhen: stepCountIs(3) });
    expect(toolResultSeen(next)).toMatchObject({ confirmed: true, result: { redeemed: true, pointsSpent: 100 } });
    expect(await spent()).toBe(before + 1);
  });
});
