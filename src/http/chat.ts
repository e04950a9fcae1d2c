// The card's chat APIs: POST /v1/chat (fixed JSON contract), POST /v1/chat/stream (AI SDK UI
// message stream, for a standard useChat front end), POST /v1/chat/rating (thumbs up or down on a
// reply), GET /v1/conversations/:id. While a person owns the conversation both chat routes store the
// shopper's message and answer with the handoff status only.
import { createUIMessageStream, createUIMessageStreamResponse } from 'ai';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { runTurn } from '../agent/runTurn.ts';
import { streamTurn } from '../agent/streamTurn.ts';
import { turnProducts } from '../agent/turnProducts.ts';
import { prepareTurn } from '../agent/prepareTurn.ts';
import type { Approval } from '../agent/confirmation.ts';
import type { AgentDeps } from '../agent/turn.ts';
import type { TokenIssuer } from '../auth/tokens.ts';
import { allMessages, findOwnConversation } from '../domain/conversations/repo.ts';
import { isAiReply, rateReply, ratingsIn } from '../domain/gaps/record.ts';
import { openHandoffStatus } from '../domain/handoff/escalate.ts';
import { NotFound } from '../errors.ts';
import { typable } from '../text/typable.ts';
import { jsonBody } from './errors.ts';
import { shopperAuth, type ShopperEnv } from './shopperAuth.ts';

export const MESSAGE_MAX_CHARS = 2000;
const message = typable().trim().min(1, 'message must not be empty').max(MESSAGE_MAX_CHARS, `message must be at most ${MESSAGE_MAX_CHARS} characters`);
const conversationId = z.string().uuid('conversationId must be a conversation id').optional();

export const chatBody = z.strictObject({ message, conversationId });

const ratingBody = z.strictObject({
  messageId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  rating: z.enum(['up', 'down']),
});

// useChat sends { id, messages: UIMessage[], trigger, … }; we take the last user message's text and
// our own conversationId from the body (set through the transport's `body` option). After the
// shopper answers a tool-approval request (addToolApprovalResponse), the last message is the
// assistant's, its tool part 'approval-responded' with { approval: { id, approved } }: that is the
// shopper's yes or no to the stated action whose id the approval carries.
const uiPart = z.object({ type: z.string(), text: z.string().optional(), state: z.string().optional() }).loose();
const uiMessage = z.object({ id: z.string().max(64).optional(), role: z.string(), parts: z.array(uiPart) }).loose();
const approvalPart = z.object({ state: z.literal('approval-responded'), approval: z.object({ id: z.string().max(64), approved: z.boolean() }) });

/** The words stored for a button's answer, so the conversation reads as the shopper answered. */
const APPROVAL_WORDS = { yes: '确认', no: '取消' } as const;

/** The approval in the last message, and that assistant message's id (the answer continues it). */
function approvalIn(messages: readonly z.infer<typeof uiMessage>[]): { approval: Approval; messageId?: string } | undefined {
  const last = messages.at(-1);
  if (last?.role !== 'assistant') return undefined;
  for (const part of [...last.parts].reverse()) {
    const p = approvalPart.safeParse(part);
    if (p.success) return { approval: { actionId: p.data.approval.id, approved: p.data.approval.approved }, messageId: last.id };
  }
  return undefined;
}

const streamBody = z
  .object({ message: message.optional(), conversationId, messages: z.array(uiMessage).max(200).optional() })
  .loose()
  .transform((b, ctx) => {
    const messages = b.messages ?? [];
    const answer = b.message === undefined ? approvalIn(messages) : undefined;
    if (answer) {
      const { approval, messageId } = answer;
      return { message: approval.approved ? APPROVAL_WORDS.yes : APPROVAL_WORDS.no, conversationId: b.conversationId, approval, continues: messageId };
    }
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    const text = b.message ?? lastUser?.parts.filter((p) => p.type === 'text').map((p) => p.text ?? '').join('').trim();
    const parsed = message.safeParse(text);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: parsed.error.issues[0]?.message ?? 'message required' });
      return z.NEVER;
    }
    return { message: parsed.data, conversationId: b.conversationId };
  });

export function chatRoutes(deps: AgentDeps & { tokens: TokenIssuer; admission?: MiddlewareHandler }) {
  const app = new Hono<ShopperEnv>();
  app.use('/v1/chat', ...shopperAuth(deps.tokens, deps.db, { lookup: false }));
  app.use('/v1/chat/*', ...shopperAuth(deps.tokens, deps.db, { lookup: false }));
  if (deps.admission) {
    app.use('/v1/chat', deps.admission);
    app.use('/v1/chat/stream', deps.admission);
  }
  app.use('/v1/conversations/*', ...shopperAuth(deps.tokens, deps.db));

  app.post('/v1/chat', async (c) => {
    const body = await jsonBody(c, chatBody);
    return c.json(await runTurn(deps, c.get('caller'), body));
  });

  app.post('/v1/chat/stream', async (c) => {
    const { continues, ...body } = await jsonBody(c, streamBody);
    const prepared = await prepareTurn(deps, c.get('caller'), body);
    const conversationId = prepared.conversation.id;
    const stream = createUIMessageStream({
      // The answer to an approval continues the assistant message that asked, as in the AI SDK's
      // own approval flow: useChat appends to that message instead of showing it a second time.
      ...(continues ? { originalMessages: [{ id: continues, role: 'assistant' as const, parts: [] }] } : {}),
      execute: async ({ writer }) => {
        await streamTurn(deps, prepared, (chunk) => writer.write(chunk));
      },
      onError: (error) => {
        deps.log.error('chat stream failed', { err: error as Error, conversationId });
        return 'the reply failed; please try again';
      },
    });
    return createUIMessageStreamResponse({ stream, headers: { 'X-Conversation-Id': conversationId } });
  });

  // One rating per reply, the latest kept; only the shopper's own AI replies (another's is a 404).
  app.post('/v1/chat/rating', async (c) => {
    const { shopId, shopperId } = c.get('caller');
    const { messageId, rating } = await jsonBody(c, ratingBody);
    await rateReply(deps.db, shopId, shopperId, messageId, rating, deps.clock.now());
    return c.json({ messageId, rating });
  });

  app.get('/v1/conversations/:id', async (c) => {
    const caller = c.get('shopper');
    const conv = await findOwnConversation(deps.db, caller.shopId, caller.shopperId, c.req.param('id'));
    if (!conv) throw new NotFound('conversation');
    const [messages, ratings] = await Promise.all([allMessages(deps.db, conv.id), ratingsIn(deps.db, conv.id)]);
    return c.json({
      conversationId: conv.id,
      mode: conv.mode,
      handoff: await openHandoffStatus(deps.db, caller.shopId, conv.id, deps.clock.now()),
      messages: messages
        .filter((m) => m.role !== 'system' && m.role !== 'tool')
        .map((m) => ({
          id: m.id,
          role: m.role,
          content: m.content,
          toolCalls: m.toolCalls.map(({ name, input, output }) => ({ name, input, output })),
          // As the turn returned them, so a card reopened later still shows where to buy.
          ...(m.role === 'assistant' ? { products: turnProducts(m.content, m.toolCalls) } : {}),
          createdAt: m.createdAt.toISOString(),
          // The AI's replies can be rated: their rating, null until the shopper gives one.
          ...(isAiReply(m) ? { rating: ratings.get(m.id) ?? null } : {}),
        })),
    });
  });
  return app;
}
