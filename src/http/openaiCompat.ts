// POST /v1/chat/completions: any OpenAI client can talk to the card. Identity comes from the bearer
// token only; `model` names the card. The card runs its own tools, so the client's `tools` and
// system messages are ignored (a client cannot rewrite the card's instructions). The conversation
// continues when the client sends back the X-Conversation-Id header it received. While a person owns
// the conversation the card answers, streaming or not, with the handoff status only.
import { Hono, type MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { runTurn } from '../agent/runTurn.ts';
import { streamTurn } from '../agent/streamTurn.ts';
import { prepareTurn } from '../agent/prepareTurn.ts';
import type { AgentDeps } from '../agent/turn.ts';
import type { TokenIssuer } from '../auth/tokens.ts';
import { Invalid } from '../errors.ts';
import { typable } from '../text/typable.ts';
import { MESSAGE_MAX_CHARS } from './chat.ts';
import { jsonBody } from './errors.ts';
import { shopperAuth, type ShopperEnv } from './shopperAuth.ts';

const contentPart = z.object({ type: z.string(), text: typable().optional() }).loose();
const completionBody = z
  .object({
    model: typable().min(1).max(100),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
            content: z.union([typable(), z.array(contentPart), z.null()]).optional(),
          })
          .loose(),
      )
      .min(1)
      .max(500),
    stream: z.boolean().optional(),
  })
  .loose();

function lastUserText(messages: z.infer<typeof completionBody>['messages']): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const content = last?.content;
  const text = typeof content === 'string' ? content : (content ?? []).map((p) => p.text ?? '').join('');
  const trimmed = text.trim();
  if (!trimmed) throw new Invalid('invalid body: messages: needs a user message with text');
  if (trimmed.length > MESSAGE_MAX_CHARS) throw new Invalid(`invalid body: message must be at most ${MESSAGE_MAX_CHARS} characters`);
  return trimmed;
}

// Rough and honest: the offline model has no tokenizer; clients mostly read usage for display.
const approxTokens = (s: string) => Math.ceil(s.length / 2);

export function openaiCompatRoutes(deps: AgentDeps & { tokens: TokenIssuer; admission?: MiddlewareHandler }) {
  const app = new Hono<ShopperEnv>();
  app.use('/v1/chat/completions', ...shopperAuth(deps.tokens, deps.db, { lookup: false }));
  if (deps.admission) app.use('/v1/chat/completions', deps.admission);
  app.use('/v1/models', ...shopperAuth(deps.tokens, deps.db));

  app.get('/v1/models', (c) =>
    c.json({ object: 'list', data: [{ id: `card:${c.get('shopper').shopId}`, object: 'model', created: 0, owned_by: 'laotie' }] }),
  );

  app.post('/v1/chat/completions', async (c) => {
    const body = await jsonBody(c, completionBody);
    const who = c.get('caller');
    const message = lastUserText(body.messages);
    const conversationId = c.req.header('x-conversation-id') || undefined;
    const created = Math.floor(deps.clock.now().getTime() / 1000);

    if (!body.stream) {
      const turn = await runTurn(deps, who, { message, conversationId });
      c.header('X-Conversation-Id', turn.conversationId);
      return c.json({
        id: `chatcmpl-${turn.messageId}`,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: turn.reply, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: approxTokens(message),
          completion_tokens: approxTokens(turn.reply),
          total_tokens: approxTokens(message) + approxTokens(turn.reply),
        },
      });
    }

    const prepared = await prepareTurn(deps, who, { message, conversationId });
    c.header('X-Conversation-Id', prepared.conversation.id);
    const id = `chatcmpl-${prepared.userMessageId}`;
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
    return streamSSE(c, async (sse) => {
      try {
        await sse.writeSSE({ data: chunk({ role: 'assistant', content: '' }, null) });
        // The same turn as /v1/chat/stream (human mode, handoff notice, honest failure included);
        // an OpenAI client gets its text only.
        await streamTurn(deps, prepared, async (part) => {
          if (part.type === 'text-delta') await sse.writeSSE({ data: chunk({ content: part.delta }, null) });
        });
        await sse.writeSSE({ data: chunk({}, 'stop') });
        await sse.writeSSE({ data: '[DONE]' });
      } catch (err) {
        // Only storing the turn can fail here (the model's failures become the honest answer). The
        // client gets an error without [DONE], which OpenAI clients report; the cause stays in the
        // log (caught here: hono's own handler would send the error's text, a database's included).
        deps.log.error('completion stream failed', { err: err as Error, conversationId: prepared.conversation.id });
        await sse
          .writeSSE({ data: JSON.stringify({ error: { message: 'the reply failed; please try again', type: 'server_error', code: 'internal' } }) })
          .catch(() => {});
      }
    });
  });
  return app;
}
