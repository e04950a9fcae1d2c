// While a person owns the conversation the AI does not answer, on every chat API — including the
// streaming OpenAI-compatible one, through the official openai client. The model is a scripted fake
// provider: any call to it beyond the script fails the test, so "the model stayed silent" is checked
// at the provider, not only in the reply text.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeDemo } from '../helpers/demo.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describeDemo('streaming /v1/chat/completions while a person owns the conversation', (db) => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let shopperToken: string;
  let staffToken: string;
  let client: OpenAI;
  let conversationId: string;
  let ticketId: number;

  async function call(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  /** One streamed completion in the conversation: the text the client assembled and its finish. */
  async function streamed(content: string) {
    const stream = await client.chat.completions.create(
      { model: 'card:demo', stream: true, messages: [{ role: 'user', content }] },
      { headers: { 'X-Conversation-Id': conversationId } },
    );
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    return { text, finish };
  }

  async function storedMessages() {
    const conv = await call('GET', `/v1/conversations/${conversationId}`, shopperToken);
    return conv.body as { mode: string; messages: Array<{ role: string; content: string }> };
  }

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer(db(), {
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL, MODEL: 'fake-model', MODEL_TIMEOUT_MS: '2000' },
    });
    const { rows } = await db().query<{ id: number }>(
      `SELECT s.id FROM shoppers s WHERE s.shop_id = 'demo' AND s.tier = 'core' AND s.phone IS NOT NULL
          AND EXISTS (SELECT 1 FROM orders o WHERE o.shopper_id = s.id) ORDER BY s.id LIMIT 1`,
    );
    shopperToken = await server.token(rows[0]!.id);
    staffToken = await server.token('s1', { role: 'staff' });
    client = new OpenAI({ apiKey: shopperToken, baseURL: `${server.url}/v1`, maxRetries: 0 });

    // The shopper asks for a person: the model answers this turn, the rules open the ticket.
    fake.script([{ text: '好的' }]);
    const asked = await call('POST', '/v1/chat', shopperToken, { message: '转人工' });
    expect(asked.body.handoff).toMatchObject({ status: 'open' });
    conversationId = asked.body.conversationId;
    ticketId = asked.body.handoff.ticketId;
    fake.assertDone();
    fake.script([]);
  });
  afterEach(() => fake.assertDone());
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('tells a shopper waiting for a person where they are in the queue, and nothing from the AI', async () => {
    const before = fake.requests.length;
    const { text, finish } = await streamed('还要等多久');
    expect(text).toMatch(/人工客服/);
    expect(text).not.toContain('好的');
    expect(finish).toBe('stop');
    expect(fake.requests.length).toBe(before);
    const stored = await storedMessages();
    expect(stored.mode).toBe('human');
    expect(stored.messages.at(-1)).toMatchObject({ role: 'user', content: '还要等多久' });
  });

  it('stays silent once staff have claimed the ticket, storing the shopper’s message for them', async () => {
    expect((await call('POST', `/v1/staff/tickets/${ticketId}/claim`, staffToken)).status).toBe(200);
    const before = fake.requests.length;
    const { text, finish } = await streamed('我的快递到哪了？');
    expect(text).toBe('');
    expect(finish).toBe('stop');
    expect(fake.requests.length).toBe(before);

    // The same answer as the non-streaming API gives in the same state.
    const plain = await client.chat.completions.create(
      { model: 'card:demo', messages: [{ role: 'user', content: '在吗' }] },
      { headers: { 'X-Conversation-Id': conversationId } },
    );
    expect(plain.choices[0]!.message.content).toBe(text);

    const stored = await storedMessages();
    expect(stored.messages.slice(-2)).toEqual([
      expect.objectContaining({ role: 'user', content: '我的快递到哪了？' }),
      expect.objectContaining({ role: 'user', content: '在吗' }),
    ]);
    const staffView = await call('GET', `/v1/staff/tickets/${ticketId}`, staffToken);
    expect(JSON.stringify(staffView.body)).toContain('我的快递到哪了？');
  });
});
