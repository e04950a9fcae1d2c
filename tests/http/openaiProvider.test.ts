// The OpenAI-compatible model path, end to end over real HTTP: our server → @ai-sdk/openai →
// a scripted fake provider. Proves tool calls run with the token's identity, and that errors and
// timeouts get one retry and then the offline model's answer.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeDemo } from '../helpers/demo.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describeDemo('the OpenAI-compatible model path', (db) => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let shopperId: number;
  let otherOrderNo: string;
  let ownOrderNo: string;

  async function chat(message: string) {
    const res = await fetch(`${server.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.token(shopperId)}` },
      body: JSON.stringify({ message }),
    });
    return { status: res.status, body: (await res.json()) as { conversationId: string; messageId: number; reply: string; toolCalls: Array<{ name: string; input: any; output: any }> } };
  }

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer(db(), {
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL, MODEL: 'fake-model', MODEL_TIMEOUT_MS: '2000' },
    });
    const { rows } = await db().query<{ shopper_id: number; order_no: string }>(
      "SELECT shopper_id, order_no FROM orders WHERE shop_id = 'demo' AND status IN ('shipped','delivered') ORDER BY order_no LIMIT 2",
    );
    shopperId = rows[0]!.shopper_id;
    ownOrderNo = rows[0]!.order_no;
    const other = await db().query<{ order_no: string }>(
      "SELECT order_no FROM orders WHERE shop_id = 'demo' AND shopper_id <> $1 ORDER BY order_no LIMIT 1",
      [shopperId],
    );
    otherOrderNo = other.rows[0]!.order_no;
  });
  afterEach(() => fake.assertDone());
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it("runs the model's tool calls for the token's shopper and answers with its text", async () => {
    fake.script([{ toolCalls: [{ name: 'getOrder', args: { orderNo: ownOrderNo } }] }, { text: '您的订单正在路上' }]);
    const { status, body } = await chat('我的订单怎么样了');
    expect(status).toBe(200);
    expect(body.reply).toBe('您的订单正在路上');
    expect(body.toolCalls).toHaveLength(1);
    expect(body.toolCalls[0]!.output.orderNo).toBe(ownOrderNo);
    // The model saw the tools the caller may use, and the tool result on its second call.
    expect(fake.requests[0]!.body.tools!.map((t) => t.function.name)).toContain('getOrder');
    const second = fake.requests[1]!.body.messages;
    expect(second.some((m) => m.role === 'tool' && String(m.content).includes(ownOrderNo))).toBe(true);
    expect(fake.requests[0]!.body.messages[0]!.role).toBe('system');
  });

  it("cannot read another shopper's order even when the model asks for it by number", async () => {
    fake.script([{ toolCalls: [{ name: 'getOrder', args: { orderNo: otherOrderNo } }] }, { text: '没有找到这个订单' }]);
    const { body } = await chat(`帮我查一下 ${otherOrderNo}`);
    expect(body.toolCalls[0]!.output.error.code).toBe('not_found');
    expect(JSON.stringify(fake.requests.at(-1)!.body.messages)).not.toContain('"address"');
  });

  it('retries a failing provider once, then answers with the offline model and records it', async () => {
    fake.script([{ status: 500 }, { status: 500 }]);
    const { status, body } = await chat('我有多少积分');
    expect(status).toBe(200);
    expect(body.reply.length).toBeGreaterThan(0);
    expect(body.toolCalls.map((t) => t.name)).toContain('getPoints');
    const { rows } = await db().query<{ meta: { fallback?: { from: string } } }>('SELECT meta FROM messages WHERE id = $1', [body.messageId]);
    expect(rows[0]!.meta.fallback?.from).toBe('fake-model');
  });

  it('gives up on a provider that does not answer within MODEL_TIMEOUT_MS', async () => {
    fake.script([{ hang: true }, { hang: true }]);
    const started = Date.now();
    const { status, body } = await chat('你好');
    expect(status).toBe(200);
    expect(body.reply.length).toBeGreaterThan(0);
    // Two attempts of 2 s, then the offline model: well under a shopper's patience, far from a hang.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('streams a provider answer through /v1/chat/stream', async () => {
    fake.script([{ text: '您好，我是您的专属顾问' }]);
    const res = await fetch(`${server.url}/v1/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.token(shopperId)}` },
      body: JSON.stringify({ message: '你好' }),
    });
    const text = await res.text();
    const deltas = text
      .split('\n\n')
      .map((e) => e.replace(/^data: /, ''))
      .filter((e) => e.startsWith('{'))
      .map((e) => JSON.parse(e) as { type: string; delta?: string })
      .filter((e) => e.type === 'text-delta')
      .map((e) => e.delta)
      .join('');
    expect(deltas).toBe('您好，我是您的专属顾问');
    expect(fake.requests.at(-1)!.body.stream).toBe(true);
  });
});
