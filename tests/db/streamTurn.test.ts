// The streamed turn both streaming APIs use (/v1/chat/stream, streaming /v1/chat/completions): when
// the model's stream breaks after some text, the shopper gets, after what was streamed, an honest
// "that went wrong" line, and the conversation keeps exactly what the shopper saw.
import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { type UIMessageChunk } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { beforeAll, expect, it } from 'vitest';
import type { Models } from '../../src/agent/models.ts';
import { renderPrompt } from '../../src/agent/prompts.ts';
import { streamTurn } from '../../src/agent/streamTurn.ts';
import { prepareTurn, type AgentDeps } from '../../src/agent/turn.ts';
import { fixedClock, type ShopperCaller } from '../../src/context.ts';
import { allMessages } from '../../src/domain/conversations/repo.ts';
import { findShopperIdByOpenid } from '../../src/domain/seed/index.ts';
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

describeDemo('a streamed turn whose model fails mid-answer', (db) => {
  let caller: ShopperCaller;
  let deps: AgentDeps;

  beforeAll(async () => {
    const id = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0002'))!;
    caller = (await resolveShopperCaller(db(), 'demo', String(id)))!;
    const model = breakingModel();
    const models: Models = { forTurn: () => model, offline: model, name: 'breaking', remote: false };
    deps = { db: db(), embedder: createLocalEmbedder(), clock: fixedClock(DEMO_NOW), log: silentLogger, models };
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
