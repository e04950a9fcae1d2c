// The confirmation protocol on POST /v1/chat/stream, spoken by the AI SDK's own chat client: the
// same AbstractChat and DefaultChatTransport that useChat runs, over a real port, with a scripted
// OpenAI-compatible model that redeems points at once. A write that waits for the shopper's yes is a
// tool-approval request; addToolApprovalResponse answers it and the chat sends by itself
// (lastAssistantMessageIsCompleteWithApprovalResponses); the database shows what the answer did.
import {
  AbstractChat,
  DefaultChatTransport,
  isToolUIPart,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  type ChatInit,
  type ChatState,
  type ChatStatus,
  type UIMessage,
} from 'ai';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Message = UIMessage<{ conversationId?: string }>;

/** The chat's state held in memory, as @ai-sdk/react's Chat holds it (without the re-rendering). */
class MemoryChatState implements ChatState<Message> {
  status: ChatStatus = 'ready';
  error: Error | undefined = undefined;
  messages: Message[] = [];
  pushMessage = (message: Message) => {
    this.messages = this.messages.concat(message);
  };
  popMessage = () => {
    this.messages = this.messages.slice(0, -1);
  };
  replaceMessage = (index: number, message: Message) => {
    this.messages = [...this.messages.slice(0, index), this.snapshot(message), ...this.messages.slice(index + 1)];
  };
  snapshot = <T,>(thing: T): T => structuredClone(thing);
}

/** useChat without React: the chat of one shopper, telling the server its conversation as the card does. */
class Chat extends AbstractChat<Message> {
  private finishes: Array<() => void> = [];

  constructor(init: Omit<ChatInit<Message>, 'onFinish'>) {
    super({ ...init, state: new MemoryChatState(), onFinish: () => this.finishes.splice(0).forEach((f) => f()) });
  }

  /** Resolves when the next response has been read to its end; fails if none comes. */
  nextFinish(): Promise<void> {
    return new Promise((resolve, reject) => {
      const late = setTimeout(() => reject(new Error(`no response came; the chat holds ${JSON.stringify(this.messages)}`)), 20_000);
      this.finishes.push(() => {
        clearTimeout(late);
        resolve();
      });
    });
  }

  /** The conversation the server named in its messages' metadata. */
  conversationId(): string | undefined {
    return this.messages.findLast((m) => m.metadata?.conversationId)?.metadata?.conversationId;
  }
}

function toolParts(chat: Chat) {
  return chat.messages.flatMap((m) => m.parts.filter(isToolUIPart));
}
function lastText(chat: Chat): string {
  const last = chat.messages.at(-1)!;
  return last.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
}

describeDemo('confirming a stated action with the AI SDK chat client on /v1/chat/stream', (db) => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let shopperId: number;

  const redemptions = async () =>
    (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM points_ledger WHERE shopper_id = $1 AND ref_key LIKE 'redeem:%'", [shopperId])).rows[0]!.n;

  async function chatOfShopper(): Promise<Chat> {
    const token = await server.token(shopperId);
    const chat: Chat = new Chat({
      transport: new DefaultChatTransport({
        api: `${server.url}/v1/chat/stream`,
        headers: { authorization: `Bearer ${token}` },
        body: () => ({ conversationId: chat.conversationId() }),
      }),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    });
    return chat;
  }

  /**
   * The shopper asks to redeem; the model calls redeemPoints at once and asks her to confirm; after
   * her answer it says `afterwards`.
   */
  async function askToRedeem(chat: Chat, afterwards: string) {
    fake.script([
      { toolCalls: [{ name: 'redeemPoints', args: {} }] },
      { text: '用 100 积分兑换一张无门槛减10的券，回复确认我就帮你兑换。' },
      { text: afterwards },
    ]);
    await chat.sendMessage({ text: '用积分给我换张券' });
    expect(chat.error).toBeUndefined();
    const requested = toolParts(chat).find((p) => p.state === 'approval-requested');
    expect(requested, JSON.stringify(chat.messages)).toBeDefined();
    return requested as Extract<typeof requested, { state: 'approval-requested' }>;
  }

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer(db(), { env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL, MODEL: 'fake-model' } });
    // 0003 holds enough points for several redemptions: a yes that ran twice would show.
    shopperId = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0003'))!;
  });
  beforeEach(() => {
    fake.requests.length = 0; // each test counts the model's calls of its own turns
  });
  afterEach(() => fake.assertDone());
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('redeems exactly once after the approval, sent by the chat itself', async () => {
    const chat = await chatOfShopper();
    const before = await redemptions();
    const request = await askToRedeem(chat, '兑换好了，券已经放进你的账户。');
    expect(request.type).toBe('tool-redeemPoints');
    expect(request.output).toMatchObject({ pending: true, summary: expect.stringContaining('100 积分') });
    expect(await redemptions()).toBe(before);

    const answered = chat.nextFinish();
    await chat.addToolApprovalResponse({ id: request.approval.id, approved: true });
    await answered;

    expect(chat.error).toBeUndefined();
    expect(fake.requests).toHaveLength(3);
    expect(await redemptions()).toBe(before + 1);
    // The model answered knowing the redemption ran: this turn's tool call with its result.
    const result = fake.requests[2]!.body.messages.findLast((m) => m.role === 'tool');
    expect(JSON.parse(String(result!.content))).toMatchObject({ redeemed: true, pointsSpent: 100 });
    expect(lastText(chat)).toContain('兑换好了');
    // The answer continues the assistant message the approval was given in, as useChat expects.
    expect(chat.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const { rows } = await db().query<{ content: string }>(
      "SELECT content FROM messages WHERE conversation_id = $1 AND role = 'user' ORDER BY id",
      [chat.conversationId()],
    );
    expect(rows.map((r) => r.content)).toEqual(['用积分给我换张券', '确认']);
  });

  it("redeems nothing when the approval is a no, and keeps the no as the shopper's words", async () => {
    const chat = await chatOfShopper();
    const before = await redemptions();
    const request = await askToRedeem(chat, '好的，这次不兑换了。');

    const answered = chat.nextFinish();
    await chat.addToolApprovalResponse({ id: request.approval.id, approved: false });
    await answered;

    expect(chat.error).toBeUndefined();
    expect(fake.requests).toHaveLength(3);
    expect(await redemptions()).toBe(before);
    const { rows } = await db().query<{ state: string }>('SELECT state FROM pending_actions WHERE id = $1', [request.approval.id]);
    expect(rows[0]!.state).toBe('declined');
    expect(lastText(chat)).toContain('这次不兑换了');
    const said = await db().query<{ content: string }>("SELECT content FROM messages WHERE conversation_id = $1 AND role = 'user' ORDER BY id", [
      chat.conversationId(),
    ]);
    expect(said.rows.map((r) => r.content)).toEqual(['用积分给我换张券', '取消']);
  });
});
