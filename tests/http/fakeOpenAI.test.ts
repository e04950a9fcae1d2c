// The scripted fake OpenAI server answers embeddings too, outside its chat script: the service's own
// OpenAI-compatible embedder and the official openai client read its vectors, and the whole service
// (demo seed, catalog index, knowledge base, a search in a chat turn) runs with OPENAI_API_KEY
// pointing at it.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/context.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { DEMO_SHOP_ID, findShopperIdByOpenid } from '../../src/demo/index.ts';
import { createOpenAIEmbedder } from '../../src/embed/openai.ts';
import { silentLogger } from '../../src/log.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { DEMO_NOW } from '../helpers/demo.ts';
import { FAKE_EMBEDDING_DIM, fakeEmbedding, startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { SNAPSHOT_FILE } from '../helpers/paths.ts';

const cosine = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('the fake OpenAI server', () => {
  let fake: FakeOpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(() => fake.assertDone());
  afterAll(() => fake?.close());

  it('answers /v1/embeddings with fixed unit vectors of 64 dimensions, or as many as `dimensions` asks', async () => {
    const embedder = createOpenAIEmbedder({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'fake-embed', maxRetries: 0 });
    const [lipstick, again, lipstickRed, cream] = await embedder.embed(['口红', '口红', '口红 正红色', '保湿面霜']);
    expect(embedder.dim).toBe(FAKE_EMBEDDING_DIM);
    expect(lipstick).toHaveLength(FAKE_EMBEDDING_DIM);
    expect(Math.hypot(...lipstick!)).toBeCloseTo(1, 10);
    expect(again).toEqual(lipstick);
    // Texts sharing characters lie closer together than texts sharing none: search can rank by them.
    expect(cosine(lipstick!, lipstickRed!)).toBeGreaterThan(cosine(lipstick!, cream!));
    expect(fake.embeddingRequests.at(-1)).toEqual({ model: 'fake-embed', input: ['口红', '口红', '口红 正红色', '保湿面霜'] });

    const short = createOpenAIEmbedder({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'fake-embed', dim: 16, maxRetries: 0 });
    const [v] = await short.embed(['口红']);
    expect(v).toHaveLength(16);
    expect(v).toEqual(fakeEmbedding('口红', 16));
    expect(fake.embeddingRequests.at(-1)!.dimensions).toBe(16);
  });

  it('answers base64 when the client asks for it, as the official openai client does by default', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0 });
    const res = await client.embeddings.create({ model: 'fake-embed', input: '适合干皮的粉底液' });
    const expected = fakeEmbedding('适合干皮的粉底液');
    expect(res.data[0]!.embedding).toHaveLength(expected.length);
    res.data[0]!.embedding.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 6));
  });

  it('refuses an embedding request without input, as OpenAI does', async () => {
    const res = await fetch(`${fake.baseURL}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-embed', input: [] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/input/);
  });

  it('keeps embeddings out of the chat script: they neither use a step nor count as off script', async () => {
    // A fake of its own: going off script below leaves it failing for good, as it should.
    const own = await startFakeOpenAI();
    try {
      own.script([{ text: '你好' }]);
      await fetch(`${own.baseURL}/embeddings`, { method: 'POST', body: JSON.stringify({ model: 'fake-embed', input: 'a' }) });
      const chat = () =>
        fetch(`${own.baseURL}/chat/completions`, {
          method: 'POST',
          body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: '你好' }] }),
        });
      const res = await chat();
      expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('你好');
      expect(own.requests).toHaveLength(1);
      expect(own.embeddingRequests).toHaveLength(1);
      expect(() => own.assertDone()).not.toThrow();
      // A second chat call is beyond the script, embeddings or not.
      expect((await chat()).status).toBe(500);
      expect(() => own.assertDone()).toThrow(/beyond the script/);
    } finally {
      await own.close();
    }
  });

  it('writes a text step from the request when the step is a function, as a model answers from its tool results', async () => {
    fake.script([{ text: (req) => `你说了：${String(req.messages.at(-1)!.content)}` }]);
    const res = await fetch(`${fake.baseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: '积分' }] }),
    });
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('你说了：积分');
  });
});

describe('the whole service with OPENAI_API_KEY pointing at the fake, embeddings included', () => {
  let fake: FakeOpenAI;
  let server: RunningServer;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const db = await openPglite({ loadDataDir: new Blob([readFileSync(SNAPSHOT_FILE)]) });
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      AUTH_SECRET: 'fake-openai-test-secret-'.padEnd(40, 'x'),
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      MODEL: 'fake-model',
      EMBEDDING_MODEL: 'fake-embed',
      REMINDERS_SCHEDULER: 'false',
    });
    // A fresh database: start-up seeds the demo shop and indexes it with the fake's vectors.
    server = await startServer(config, { db, log: silentLogger, clock: fixedClock(DEMO_NOW) });
  });
  afterEach(() => fake.assertDone());
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('indexes the catalog with the fake embeddings and finds products in a chat turn', async () => {
    const { rows } = await server.db.query<{ embedder: string; dim: number; n: number }>(
      'SELECT embedder, dim, count(*)::int AS n FROM product_embeddings WHERE shop_id = $1 GROUP BY embedder, dim',
      [DEMO_SHOP_ID],
    );
    expect(rows).toEqual([{ embedder: 'openai:fake-embed', dim: FAKE_EMBEDDING_DIM, n: expect.any(Number) }]);
    expect(rows[0]!.n).toBeGreaterThan(0);

    fake.script([
      { toolCalls: [{ name: 'searchProducts', args: { query: '口红' } }] },
      { text: (req) => `找到这些：${String(req.messages.findLast((m) => m.role === 'tool')!.content).slice(0, 200)}` },
    ]);
    const shopperId = (await findShopperIdByOpenid(server.db, DEMO_SHOP_ID, 'demo-openid-0001'))!;
    const token = await server.tokens.mint({ shopId: DEMO_SHOP_ID, role: 'shopper', shopperId });
    const embedded = fake.embeddingRequests.length;
    const res = await fetch(`${server.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: '有什么口红推荐' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reply: string; toolCalls: Array<{ name: string; output: { products?: unknown[]; error?: unknown } }> };
    const search = body.toolCalls.find((c) => c.name === 'searchProducts')!;
    expect(search.output.error).toBeUndefined();
    expect(search.output.products?.length).toBeGreaterThan(0);
    // The query was embedded by the fake, not by the local embedder.
    expect(fake.embeddingRequests.slice(embedded).some((r) => r.input.some((t) => t.includes('口红')))).toBe(true);
    expect(body.reply).toMatch(/^找到这些/);
  });
});
