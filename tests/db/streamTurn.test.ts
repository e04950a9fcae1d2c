// The streamed turn both streaming APIs use (/v1/chat/stream, streaming /v1/chat/completions): the
// conversation keeps exactly what the shopper saw, the text of every step of a tool-using answer, and
// when the model's stream breaks after some text, an honest "that went wrong" line after it.
import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { type UIMessageChunk } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { beforeAll, expect, it } from 'vitest';
import type { Models } from '../../src/agent/models.ts';
import type { Db } from '../../src/db/db.ts';
import { renderPrompt } from '../../src/agent/prompts.ts';
import { streamTurn } from '../../src/agent/streamTurn.ts';
import { prepareTurn } from '../../src/agent/prepareTurn.ts';
import type { AgentDeps } from '../../src/agent/turn.ts';
import { fixedClock, type ShopperCaller } from '../../src/context.ts';
import { allMessages } from '../../src/domain/conversations/repo.ts';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { resolveShopperCaller } from '../../src/domain/shoppers/repo.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { silentLogger } from '../../src/log.ts';
import { DEMO_NOW, describeDemo } from '../helpers/demo.ts';

/** A model whose stream sends some text and then fails, as a provider dropping mid-answer does. */
function breakingModel(): MockLanguageModelV3 {
  const chunks: LanguageModelV3StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't1' },
    { type: 'text-delta', id: 't1', delta: '您的订单' },
    { type: 'text-delta', id: 't1', delta: '正在' },
    { type: 'error', error: new Error('connection reset by the provider') },
  ];
  return new MockLanguageModelV3({ provider: 'test', modelId: 'breaking', doStream: async () => ({ stream: simulateReadableStream({ chunks }) }) });
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** A model that says a line, calls getPoints, then answers: two steps, each with its own text. */
function talkativeToolModel(): MockLanguageModelV3 {
  const steps: LanguageModelV3StreamPart[][] = [
    [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 's1' },
      { type: 'text-delta', id: 's1', delta: '我帮您查一下积分。' },
      { type: 'text-end', id: 's1' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'getPoints', input: '{}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage },
    ],
    [
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 's2' },
      { type: 'text-delta', id: 's2', delta: '您的积分余额已经查到了。' },
      { type: 'text-end', id: 's2' },
      { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage },
    ],
  ];
  let call = 0;
  return new MockLanguageModelV3({
    provider: 'test',
    modelId: 'talkative',
    doStream: async () => ({ stream: simulateReadableStream({ chunks: steps[Math.min(call++, steps.length - 1)]! }) }),
  });
}

/** A demo shopper, and the deps of a turn answered by `model`. */
async function shopperAndDeps(db: Db, model: MockLanguageModelV3): Promise<{ caller: ShopperCaller; deps: AgentDeps }> {
  const id = (await findShopperIdByOpenid(db, 'demo', 'demo-openid-0002'))!;
  const caller = (await resolveShopperCaller(db, { shopId: 'demo', shopperId: id }))!;
  const models: Models = { forTurn: () => model, offline: model, name: model.modelId, remote: false };
  return { caller, deps: { db, embedder: createLocalEmbedder(), clock: fixedClock(DEMO_NOW), log: silentLogger, models } };
}

describeDemo('a streamed tool-using turn with text in each step', (db) => {
  it('stores the text of every step, as the shopper read it', async () => {
    const { caller, deps } = await shopperAndDeps(db(), talkativeToolModel());
    const prepared = await prepareTurn(deps, caller, { message: '我有多少积分' });
    const chunks: UIMessageChunk[] = [];
    const turn = await streamTurn(deps, prepared, (c) => {
      chunks.push(c);
    });

    const seen = chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join('');
    expect(seen).toBe('我帮您查一下积分。您的积分余额已经查到了。');
    expect(turn.reply).toBe(seen);
    expect(turn.toolCalls.map((c) => c.name)).toEqual(['getPoints']);
    const stored = await allMessages(db(), prepared.conversation.id);
    expect(stored.at(-1)).toMatchObject({ role: 'assistant', content: seen });
  });
});

describeDemo('a streamed turn whose model fails mid-answer', (db) => {
  let caller: ShopperCaller;
  let deps: AgentDeps;

  beforeAll(async () => {
    ({ caller, deps } = await shopperAndDeps(db(), breakingModel()));
  });

  it('streams an honest failure line after what was streamed, and stores exactly what the shopper saw', async () => {
    const prepared = await prepareTurn(deps, caller, { message: '我的订单到哪了' });
    const chunks: UIMessageChunk[] = [];
    const turn = await streamTurn(deps, prepared, (c) => {
      chunks.push(c);
    });

    const failed = renderPrompt('turn-failed', {});
    const seen = chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join('');
    expect(seen).toBe(`您的订单正在\n${failed}`);
    expect(chunks.some((c) => c.type === 'error')).toBe(false);
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', messageMetadata: { conversationId: prepared.conversation.id } });
    expect(turn.reply).toBe(seen);

    const stored = await allMessages(db(), prepared.conversation.id);
    expect(stored.map((m) => ({ role: m.role, content: m.content }))).toEqual([
      { role: 'user', content: '我的订单到哪了' },
      { role: 'assistant', content: seen },
    ]);
  });
});
