// A switch of a shop's embedding model, against a fake OpenAI-compatible embeddings endpoint over
// real HTTP: the catalog and the knowledge are re-embedded in the background with progress, search
// reads the old vectors until the new ones are complete and then the new ones at once; a failing
// endpoint leaves search where it was and says why; a runner that stops is taken over where it
// stopped; two runners embed each item once; going back to the service's embedder works the same way.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createModels } from '../../src/agent/models.ts';
import { createShopModels, type ShopModels } from '../../src/agent/shopModels.ts';
import { createSecretBox } from '../../src/auth/secretBox.ts';
import { loadConfig } from '../../src/config.ts';
import { systemClock } from '../../src/context.ts';
import { indexProducts } from '../../src/domain/catalog/indexer.ts';
import { searchProducts } from '../../src/domain/catalog/search.ts';
import { ingestKnowledge } from '../../src/domain/knowledge/ingest.ts';
import { searchKnowledgeBase } from '../../src/domain/knowledge/search.ts';
import { loadShopEmbedding, requestEmbeddingSwitch } from '../../src/domain/shops/embedding.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { createReembedJobs, type ReembedOptions } from '../../src/jobs/reembed.ts';
import { createLogger } from '../../src/log.ts';
import { createDestinationGuard, type DestinationGuard } from '../../src/net/destinationGuard.ts';
import { BEAUTY_CATALOG, NEIGHBOUR_CATALOG, seedCatalog, type FixtureProduct } from '../helpers/catalogFixtures.ts';
import { describeDb } from '../helpers/db.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';

const KEY = 'sk-embed-0123456789';
const local = createLocalEmbedder();
const log = createLogger('silent');
const keys = createSecretBox('test-secret-'.padEnd(40, 'x'));
const RULES = '## 发货\n付款后48小时内发货，偏远地区72小时。\n\n## 退货\n签收7天内可无理由退货，面膜拆封后不退。';
const PROBE = '维度';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) await sleep(25);
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

describeDb("switching a shop's embedding model", (db) => {
  let fake: FakeOpenAI;
  let guard: DestinationGuard;
  let shopModels: ShopModels;
  let calls = 0;

  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: KEY });
    guard = createDestinationGuard({ allowHosts: [{ host: '127.0.0.1', port: null }] });
    const models = createModels(loadConfig({ NODE_ENV: 'test' }), local, log);
    shopModels = createShopModels({ db: db(), embedder: local, models, log, timeoutMs: 5_000, keys, guard });
  });
  afterAll(async () => {
    await guard?.close();
    await fake?.close();
  });

  async function shopWith(shopId: string, products: FixtureProduct[]): Promise<void> {
    await seedCatalog(db(), shopId, products);
    await indexProducts(db(), local, { shopId });
    await ingestKnowledge(db(), local, shopId, { docKey: 'rules', title: '售后规则', content: RULES });
  }
  const runner = (owner: string, o: ReembedOptions = {}) =>
    createReembedJobs(
      { db: db(), keys, guard, embedder: local, clock: systemClock, log, timeoutMs: 5_000 },
      { owner, batchSize: 4, retryMs: 0, maxAttempts: 2, ...o },
    );
  const switchTo = (shopId: string, target: { model: string; apiKey?: string } | null) =>
    db().transaction((tx) =>
      requestEmbeddingSwitch(tx, keys, shopId, target && { model: target.model, baseURL: fake.baseURL, apiKey: target.apiKey ?? KEY }, new Date()),
    );
  /** Every text the job sent to the endpoint (the one-word probe left out), in order. */
  const embeddedTexts = (model: string) => fake.embeddingRequests.filter((r) => r.model === model).flatMap((r) => r.input).filter((t) => t !== PROBE);
  const vectorMakers = async (shopId: string) => ({
    products: (await db().query<{ embedder: string }>('SELECT DISTINCT embedder FROM product_embeddings WHERE shop_id = $1 ORDER BY 1', [shopId])).rows.map((r) => r.embedder),
    chunks: (await db().query<{ embedder: string }>('SELECT DISTINCT embedder FROM knowledge_chunks WHERE shop_id = $1 ORDER BY 1', [shopId])).rows.map((r) => r.embedder),
  });

  it('re-embeds the catalog and knowledge in the background with progress, search reading the old vectors until the new ones are complete, then the new ones at once', async () => {
    const shop = 'switch-a';
    await shopWith(shop, BEAUTY_CATALOG);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    calls = 0;
    // The probe and the first batch go through; the next call waits until the test releases it.
    fake.onEmbeddings = async () => {
      if (++calls >= 3) await gate;
    };
    await switchTo(shop, { model: 'embed-a' });
    const run = runner('a').runDue();
    await until(() => calls >= 3, 'the second batch');

    const during = await loadShopEmbedding(db(), keys, shop);
    expect(during).toMatchObject({ state: 'reembedding', active: null, done: 4, total: BEAUTY_CATALOG.length + 2 });
    const old = await shopModels.embedderFor(shop);
    expect(old.id).toBe('local-hash-v1');
    const before = fake.embeddingRequests.length;
    expect((await searchProducts(db(), old, shop, { text: '干皮粉底液' })).map((h) => h.name)).toContain('珂拉琪 干皮亲妈水光粉底液');
    expect((await searchKnowledgeBase(db(), old, shop, '多久发货'))[0]!.content).toContain('48小时');
    // The questions were embedded by the service's embedder: nothing reached the shop's endpoint.
    expect(fake.embeddingRequests.length).toBe(before);

    release();
    expect(await run).toBe(1);
    const after = await loadShopEmbedding(db(), keys, shop);
    expect(after).toMatchObject({ state: 'ready', active: { model: 'embed-a', dim: 64 }, generation: 1, done: BEAUTY_CATALOG.length + 2, total: BEAUTY_CATALOG.length + 2, error: null });
    expect(after.finishedAt).toBeInstanceOf(Date);

    const now = await shopModels.embedderFor(shop);
    expect([now.id, now.dim]).toEqual(['openai:embed-a', 64]);
    expect((await searchProducts(db(), now, shop, { text: '干皮粉底液' })).map((h) => h.name)).toContain('珂拉琪 干皮亲妈水光粉底液');
    expect((await searchKnowledgeBase(db(), now, shop, '多久发货'))[0]!.content).toContain('48小时');
    expect(fake.embeddingRequests.slice(-2).map((r) => r.input)).toEqual([['干皮粉底液'], ['多久发货']]);
    expect(await vectorMakers(shop)).toEqual({ products: ['openai:embed-a'], chunks: ['openai:embed-a'] });
    // Every product and chunk embedded once.
    const texts = embeddedTexts('embed-a').filter((t) => t !== '干皮粉底液' && t !== '多久发货');
    expect(texts).toHaveLength(BEAUTY_CATALOG.length + 2);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('goes back to the service embedder the same way', async () => {
    const shop = 'switch-a';
    fake.onEmbeddings = undefined;
    await switchTo(shop, null);
    expect((await shopModels.embedderFor(shop)).id).toBe('openai:embed-a');
    expect(await runner('back').runDue()).toBe(1);
    expect(await loadShopEmbedding(db(), keys, shop)).toMatchObject({ state: 'ready', active: null, generation: 2 });
    const now = await shopModels.embedderFor(shop);
    expect(now.id).toBe('local-hash-v1');
    expect((await searchProducts(db(), now, shop, { text: '薇诺娜' }))[0]!.name).toBe('薇诺娜 舒敏保湿特护霜');
    expect(await vectorMakers(shop)).toEqual({ products: ['local-hash-v1'], chunks: ['local-hash-v1'] });
  });

  it('leaves search on the old vectors when the endpoint refuses, and reports why in plain words', async () => {
    const shop = 'switch-fail';
    await shopWith(shop, NEIGHBOUR_CATALOG);
    fake.onEmbeddings = undefined;
    await switchTo(shop, { model: 'embed-a', apiKey: 'sk-wrong' });
    expect(await runner('f').runDue()).toBe(2);
    const state = await loadShopEmbedding(db(), keys, shop);
    expect(state).toMatchObject({ state: 'failed', active: null, generation: 0, attempts: 2 });
    expect(state.error).toMatch(/^The model service refused the API key \(HTTP 401\)/);
    const embedder = await shopModels.embedderFor(shop);
    expect(embedder.id).toBe('local-hash-v1');
    expect((await searchProducts(db(), embedder, shop, { text: '粉底液' }))[0]!.name).toBe('隔壁店 干皮水润粉底液');
    expect(await vectorMakers(shop)).toEqual({ products: ['local-hash-v1'], chunks: ['local-hash-v1'] });
  });

  it('retries a call that failed, then an attempt that failed from where it stopped, not the whole job', async () => {
    const shop = 'switch-retry';
    await shopWith(shop, BEAUTY_CATALOG);
    calls = 0;
    // The second batch's call fails, and so does its retry: the attempt stops and the next resumes.
    fake.onEmbeddings = () => (++calls === 3 || calls === 4 ? 502 : undefined);
    await switchTo(shop, { model: 'embed-r' });
    expect(await runner('r').runDue()).toBe(2);
    expect(await loadShopEmbedding(db(), keys, shop)).toMatchObject({ state: 'ready', active: { model: 'embed-r' }, attempts: 1 });
    const texts = embeddedTexts('embed-r');
    expect(texts).toHaveLength(BEAUTY_CATALOG.length + 2);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('resumes a switch whose runner stopped (a crash, a restart) without embedding again what it had written', async () => {
    const shop = 'switch-resume';
    await shopWith(shop, BEAUTY_CATALOG);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    calls = 0;
    // The first runner's third call never returns while it matters: it stops renewing its lease.
    fake.onEmbeddings = async (r) => {
      if (r.model === 'embed-c' && ++calls === 3) await gate;
    };
    await switchTo(shop, { model: 'embed-c' });
    const crashed = runner('crashed', { leaseMs: 300 }).runDue();
    await until(() => calls >= 3, "the first runner's second batch");
    const firstBatch = embeddedTexts('embed-c');
    expect(firstBatch).toHaveLength(4);
    await sleep(400);
    expect(await runner('restarted').runDue()).toBe(1);
    const resumed = embeddedTexts('embed-c').slice(4);
    expect(resumed.filter((t) => firstBatch.includes(t))).toEqual([]);
    expect(resumed).toHaveLength(BEAUTY_CATALOG.length + 2 - 4);
    release();
    await crashed;
    expect(await loadShopEmbedding(db(), keys, shop)).toMatchObject({ state: 'ready', active: { model: 'embed-c' } });
    expect(await vectorMakers(shop)).toEqual({ products: ['openai:embed-c'], chunks: ['openai:embed-c'] });
  });

  it('runs a switch on one runner when two look at once: each product and chunk is embedded once', async () => {
    const shop = 'switch-two';
    await shopWith(shop, BEAUTY_CATALOG);
    fake.onEmbeddings = undefined;
    await switchTo(shop, { model: 'embed-t' });
    const runs = await Promise.all([runner('one').runDue(), runner('two').runDue()]);
    expect(runs.sort()).toEqual([0, 1]);
    const texts = embeddedTexts('embed-t');
    expect(texts).toHaveLength(BEAUTY_CATALOG.length + 2);
    expect(new Set(texts).size).toBe(texts.length);
    expect(fake.embeddingRequests.filter((r) => r.model === 'embed-t' && r.input[0] === PROBE)).toHaveLength(1);
  });
});
