// Each shop its own model: an admin sets an OpenAI-compatible endpoint at run time, the shop's turns
// are answered by it (two shops, two fake OpenAI-compatible servers over real HTTP), the key is never
// shown or logged, the base URL passes the webhook's destination guard, and the test route says what
// is wrong in plain words.
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSecretBox } from '../../src/auth/secretBox.ts';
import { fixedClock } from '../../src/context.ts';
import { describeDb } from '../helpers/db.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { indexProducts } from '../../src/domain/catalog/indexer.ts';
import { ingestKnowledge } from '../../src/domain/knowledge/ingest.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { BEAUTY_CATALOG, seedCatalog } from '../helpers/catalogFixtures.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const KEY_A = 'sk-shop-a-0123456789abcdef';
const KEY_B = 'sk-shop-b-fedcba9876543210';

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describeDb('each shop its own model', (db) => {
  let server: TestServer;
  let fakeA: FakeOpenAI;
  let fakeB: FakeOpenAI;
  const shop: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const shopper: Record<'a' | 'b' | 'c', number> = { a: 0, b: 0, c: 0 };

  beforeAll(async () => {
    [fakeA, fakeB] = await Promise.all([startFakeOpenAI({ apiKey: KEY_A }), startFakeOpenAI({ apiKey: KEY_B })]);
    // The fakes listen on loopback: the operator allows that host, as a shop's Ollama next door would be.
    // A short model timeout, for the test route's "took too long" (the fakes answer in milliseconds).
    server = await startTestServer(db(), { env: { WEBHOOK_ALLOW_HOSTS: '127.0.0.1', MODEL_TIMEOUT_MS: '1500' }, clock: fixedClock('2026-09-17T02:00:00Z') });
    for (const k of ['a', 'b', 'c'] as const) {
      shop[k] = (await createShop(db())).id;
      shopper[k] = (await createShopper(db(), { shopId: shop[k], tier: 'core' })).id;
    }
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([fakeA?.close(), fakeB?.close()]);
  });

  async function call(method: string, path: string, o: { shop?: string; role?: 'admin' | 'staff' | 'shopper'; id?: string | number; body?: unknown; s?: TestServer } = {}) {
    const s = o.s ?? server;
    const token = await s.token(o.id ?? '7', { shop: o.shop ?? shop.a, role: o.role ?? 'admin' });
    const res = await fetch(s.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }
  const chat = (k: 'a' | 'b' | 'c', message: string) => call('POST', '/v1/chat', { shop: shop[k], role: 'shopper', id: shopper[k], body: { message } });
  const setModel = (k: 'a' | 'b' | 'c', body: Record<string, unknown>) => call('PUT', '/v1/admin/model', { shop: shop[k], body });

  it('admits only an admin of the shop', async () => {
    expect((await fetch(server.url + '/v1/admin/model')).status).toBe(401);
    expect((await call('GET', '/v1/admin/model', { role: 'staff' })).status).toBe(403);
    expect((await call('GET', '/v1/admin/model', { role: 'shopper', id: shopper.a })).status).toBe(403);
    expect((await call('PUT', '/v1/admin/model', { role: 'staff', body: { baseURL: fakeA.baseURL, model: 'm', apiKey: KEY_A, version: 0 } })).status).toBe(403);
    expect((await call('POST', '/v1/admin/model/test', { role: 'staff', body: {} })).status).toBe(403);
    expect((await call('DELETE', '/v1/admin/model?version=0', { role: 'staff' })).status).toBe(403);
  });

  it('answers two shops on one service with two different models, and a shop without one with the offline model', async () => {
    expect((await setModel('a', { baseURL: fakeA.baseURL, model: 'qwen-shop-a', apiKey: KEY_A, version: 0 })).status).toBe(200);
    expect((await setModel('b', { baseURL: fakeB.baseURL, model: 'deepseek-shop-b', apiKey: KEY_B, version: 0 })).status).toBe(200);
    fakeA.script([{ text: '您好，我是 A 店的模型' }]);
    fakeB.script([{ text: '您好，我是 B 店的模型' }]);

    const a = await chat('a', '你好');
    const b = await chat('b', '你好');
    const c = await chat('c', '你好');
    expect(a.body.reply).toBe('您好，我是 A 店的模型');
    expect(b.body.reply).toBe('您好，我是 B 店的模型');
    expect(c.body.reply).not.toMatch(/A 店|B 店/);
    fakeA.assertDone();
    fakeB.assertDone();
    expect(fakeA.requests.map((r) => r.body.model)).toEqual(['qwen-shop-a']);
    expect(fakeB.requests.map((r) => r.body.model)).toEqual(['deepseek-shop-b']);

    const { rows } = await db().query<{ shop_id: string; model_source: string; model: string }>(
      `SELECT shop_id, model_source, model FROM messages WHERE role = 'assistant' AND shop_id = ANY($1) ORDER BY id`,
      [[shop.a, shop.b, shop.c]],
    );
    expect(rows).toEqual([
      { shop_id: shop.a, model_source: 'shop', model: 'qwen-shop-a' },
      { shop_id: shop.b, model_source: 'shop', model: 'deepseek-shop-b' },
      { shop_id: shop.c, model_source: 'offline', model: server.models.offline.modelId },
    ]);
  });

  it("streams a turn from the shop's model too", async () => {
    fakeA.script([{ text: '流式回答来自 A 店模型' }]);
    const token = await server.token(shopper.a, { shop: shop.a, role: 'shopper' });
    const res = await fetch(`${server.url}/v1/chat/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: '你好' }),
    });
    expect(res.status).toBe(200);
    const deltas = (await res.text())
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)) as { type: string; delta?: string })
      .filter((c) => c.type === 'text-delta')
      .map((c) => c.delta)
      .join('');
    expect(deltas).toBe('流式回答来自 A 店模型');
    fakeA.assertDone();
    expect(fakeA.requests.at(-1)!.body).toMatchObject({ model: 'qwen-shop-a', stream: true });
  });

  it("writes a shop's reminders with its own model, and another shop's with the service's (here the templates)", async () => {
    await db().query(`UPDATE shoppers SET birthday = '1990-09-17', registered_at = '2024-01-01' WHERE shop_id = ANY($1)`, [[shop.a, shop.c]]);
    // The model writes from the facts it is sent, as the fact check wants: the birthday coupon's rule in it.
    fakeA.script([
      {
        text: (body) => {
          const facts = JSON.parse(String(body.messages.at(-1)!.content).replace(/^事实：/, '')) as { 券: { 规则: string } };
          return `生日快乐！送您一张生日券：${facts.券.规则}。`;
        },
      },
    ]);
    const a = await call('POST', '/v1/admin/reminders/run', { body: { date: '2026-09-17' } });
    expect(a.body).toMatchObject({ planned: 1, queued: 1, writtenBy: { 'qwen-shop-a': 1 } });
    fakeA.assertDone();
    expect(fakeA.requests.at(-1)!.body.model).toBe('qwen-shop-a');
    const c = await call('POST', '/v1/admin/reminders/run', { shop: shop.c, body: { date: '2026-09-17' } });
    expect(c.body).toMatchObject({ planned: 1, queued: 1, writtenBy: { template: 1 } });
  });

  it('never returns the key, stores it only encrypted and never logs it', async () => {
    const got = await call('GET', '/v1/admin/model');
    expect(got.body).toMatchObject({
      setting: { baseURL: fakeA.baseURL, model: 'qwen-shop-a', hasApiKey: true },
      answeredBy: { source: 'shop', model: 'qwen-shop-a' },
    });
    expect(JSON.stringify(got.body)).not.toContain(KEY_A);
    const { rows } = await db().query<{ api_key_enc: string }>('SELECT api_key_enc FROM shop_models WHERE shop_id = $1', [shop.a]);
    expect(rows[0]!.api_key_enc).not.toContain(KEY_A);
    // A wrong key's failure is answered and logged: still without the key.
    expect((await call('POST', '/v1/admin/model/test', { body: { baseURL: fakeA.baseURL, model: 'qwen-shop-a', apiKey: 'sk-wrong-key-000' } })).body.ok).toBe(false);
    const logs = server.logLines.join('\n');
    expect(logs).toContain('shop model set');
    expect(logs).not.toContain(KEY_A);
    expect(logs).not.toContain(KEY_B);
    expect(logs).not.toContain('sk-wrong-key-000');
  });

  it('refuses a stale version with 409, and goes back to the service model on DELETE', async () => {
    const now = (await call('GET', '/v1/admin/model', { shop: shop.b })).body.version as number;
    const stale = await setModel('b', { baseURL: fakeB.baseURL, model: 'other', version: now - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect((await call('DELETE', `/v1/admin/model?version=${now - 1}`, { shop: shop.b })).status).toBe(409);
    // The same address keeps the stored key; the version moves on.
    const renamed = await setModel('b', { baseURL: fakeB.baseURL, model: 'deepseek-v2', version: now });
    expect(renamed.status).toBe(200);
    expect(renamed.body.version).toBe(now + 1);
    fakeB.script([{ text: '新模型在此' }]);
    expect((await chat('b', '在吗')).body.reply).toBe('新模型在此');
    expect(fakeB.requests.at(-1)!.body.model).toBe('deepseek-v2');

    const cleared = await call('DELETE', `/v1/admin/model?version=${now + 1}`, { shop: shop.b });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ version: now + 2, setting: null, answeredBy: { source: 'offline' } });
    const before = fakeB.requests.length;
    expect((await chat('b', '在吗')).body.reply).not.toBe('');
    expect(fakeB.requests.length).toBe(before);
  });

  it('asks for the key again when the base URL changes', async () => {
    const v = (await call('GET', '/v1/admin/model')).body.version as number;
    const moved = await setModel('a', { baseURL: fakeB.baseURL, model: 'qwen-shop-a', version: v });
    expect(moved.status).toBe(400);
    expect(moved.body.error.details.fields[0].path).toBe('apiKey');
  });

  it('refuses a body with unknown fields', async () => {
    const v = (await call('GET', '/v1/admin/model')).body.version as number;
    expect((await setModel('a', { baseURL: fakeA.baseURL, model: 'm', version: v, shop: 'other' })).status).toBe(400);
    expect((await call('GET', '/v1/admin/model')).body.version).toBe(v);
  });

  it("re-embeds the shop's catalog and knowledge when its embedding model changes, with progress in GET; its search then embeds with that model, and DELETE goes back to the service's embedder", async () => {
    const s = await startTestServer(db(), { env: { WEBHOOK_ALLOW_HOSTS: '127.0.0.1' }, reembed: { pollMs: 50, batchSize: 4 } });
    try {
      const shopId = 'embed-http';
      await seedCatalog(db(), shopId, BEAUTY_CATALOG);
      await indexProducts(db(), createLocalEmbedder(), { shopId });
      await ingestKnowledge(db(), createLocalEmbedder(), shopId, { docKey: 'rules', title: '售后规则', content: '## 发货\n付款后48小时内发货。' });
      const buyer = (await createShopper(db(), { shopId, tier: 'core' })).id;
      const put = await call('PUT', '/v1/admin/model', { s, shop: shopId, body: { baseURL: fakeA.baseURL, model: 'qwen-e', apiKey: KEY_A, embeddingModel: 'embed-e', version: 0 } });
      expect(put.status).toBe(200);
      expect(put.body.setting.embeddingModel).toBe('embed-e');
      expect(put.body.embedding).toMatchObject({ model: 'local-hash-v1', source: 'service', state: 'reembedding', target: 'embed-e', error: null });
      let view = put.body;
      for (let i = 0; i < 200 && view.embedding.state !== 'ready'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        view = (await call('GET', '/v1/admin/model', { s, shop: shopId })).body;
      }
      const total = BEAUTY_CATALOG.length + 1;
      expect(view.embedding).toMatchObject({ model: 'embed-e', source: 'shop', state: 'ready', target: null, done: total, total, error: null });
      expect(view.embedding.finishedAt).toEqual(expect.any(String));

      fakeA.script([{ toolCalls: [{ name: 'searchProducts', args: { query: '干皮粉底液' } }] }, { text: '给您找到了' }]);
      const turn = await call('POST', '/v1/chat', { s, shop: shopId, role: 'shopper', id: buyer, body: { message: '有干皮粉底液吗' } });
      expect(turn.status).toBe(200);
      expect(turn.body.products.map((p: { name: string }) => p.name)).toContain('珂拉琪 干皮亲妈水光粉底液');
      expect(fakeA.embeddingRequests.at(-1)).toMatchObject({ model: 'embed-e', input: ['干皮粉底液'] });

      const cleared = await call('DELETE', `/v1/admin/model?version=${view.version}`, { s, shop: shopId });
      expect(cleared.body.embedding).toMatchObject({ model: 'embed-e', state: 'reembedding', target: 'local-hash-v1' });
      for (let i = 0; i < 200 && view.embedding.source !== 'service'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        view = (await call('GET', '/v1/admin/model', { s, shop: shopId })).body;
      }
      expect(view.embedding).toMatchObject({ model: 'local-hash-v1', source: 'service', state: 'ready' });
    } finally {
      await s.close();
    }
  });

  it('refuses a loopback base URL unless the operator allows the host', async () => {
    const strict = await startTestServer(db());
    try {
      const refused = await call('PUT', '/v1/admin/model', { s: strict, shop: shop.c, body: { baseURL: fakeA.baseURL, model: 'm', apiKey: KEY_A, version: 0 } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.fields[0]).toEqual({
        path: 'baseURL',
        message: expect.stringMatching(/^refused destination: 127\.0\.0\.1 is a loopback address .*WEBHOOK_ALLOW_HOSTS/),
      });
      const tested = await call('POST', '/v1/admin/model/test', { s: strict, shop: shop.c, body: { baseURL: 'http://169.254.169.254/v1', model: 'm', apiKey: 'k' } });
      expect(tested.status).toBe(400);
    } finally {
      await strict.close();
    }
  });

  it('checks the base URL again when the model is called: a setting allowed before is refused after the operator removes the host', async () => {
    const strict = await startTestServer(db());
    try {
      fakeA.script([]);
      const before = fakeA.requests.length;
      const turn = await call('POST', '/v1/chat', { s: strict, shop: shop.a, role: 'shopper', id: shopper.a, body: { message: '你好' } });
      expect(turn.status).toBe(200);
      // The offline model answered; the shop's model, on loopback, was never reached.
      expect(fakeA.requests.length).toBe(before);
      fakeA.assertDone();
      const { rows } = await db().query<{ model_source: string }>(`SELECT model_source FROM messages WHERE id = $1`, [turn.body.messageId]);
      expect(rows[0]!.model_source).toBe('offline');
    } finally {
      await strict.close();
    }
  });

  it('tests the model and says in plain words what is wrong: a wrong key, an unreachable server', async () => {
    fakeA.script([{ text: 'ok' }]);
    const good = await call('POST', '/v1/admin/model/test', { body: {} });
    expect(good.body).toMatchObject({ ok: true, model: 'qwen-shop-a', reply: 'ok' });
    expect(good.body.latencyMs).toBeGreaterThanOrEqual(0);

    const wrongKey = await call('POST', '/v1/admin/model/test', { body: { baseURL: fakeA.baseURL, model: 'qwen-shop-a', apiKey: 'sk-not-the-key' } });
    expect(wrongKey.body).toMatchObject({ ok: false, problem: 'wrong_key', status: 401 });
    expect(wrongKey.body.message).toMatch(/refused the API key/);

    const port = await closedPort();
    const down = await call('POST', '/v1/admin/model/test', { body: { baseURL: `http://127.0.0.1:${port}/v1`, model: 'm', apiKey: 'k' } });
    expect(down.body).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(down.body.message).toBe(`The model service at 127.0.0.1:${port} could not be reached. Check the base URL, and that the service is running.`);

    expect((await call('POST', '/v1/admin/model/test', { shop: shop.c, body: {} })).status).toBe(400);
  });

  it('tests the model and says when the model is unknown there or does not answer in time', async () => {
    fakeA.script([{ status: 404 }, { hang: true }]);
    const unknown = await call('POST', '/v1/admin/model/test', { body: {} });
    expect(unknown.body).toMatchObject({ ok: false, problem: 'model_not_found', status: 404 });
    expect(unknown.body.message).toMatch(/does not know the model "qwen-shop-a"/);
    const slow = await call('POST', '/v1/admin/model/test', { body: {} });
    expect(slow.body).toMatchObject({ ok: false, problem: 'timeout' });
    expect(slow.body.message).toMatch(/did not answer within 1.5 seconds/);
    expect(slow.body.latencyMs).toBeGreaterThanOrEqual(1400);
    fakeA.assertDone();
  });

  it('leaves a shop whose key was sealed under another AUTH_SECRET on the service model until the key is entered again', async () => {
    const v = (await call('GET', '/v1/admin/model', { shop: shop.c })).body.version as number;
    expect((await setModel('c', { baseURL: fakeB.baseURL, model: 'deepseek-shop-c', apiKey: KEY_B, version: v })).status).toBe(200);
    // As after an operator changed AUTH_SECRET: the stored key no longer opens.
    const foreign = createSecretBox('some-other-auth-secret-of-32-characters').seal(KEY_B, shop.c);
    await db().query('UPDATE shop_models SET api_key_enc = $2, version = version + 1 WHERE shop_id = $1', [shop.c, foreign]);

    const got = await call('GET', '/v1/admin/model', { shop: shop.c });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ version: v + 2, setting: { model: 'deepseek-shop-c', hasApiKey: false }, answeredBy: { source: 'offline' } });
    fakeB.script([]);
    const before = fakeB.requests.length;
    expect((await chat('c', '你好')).status).toBe(200);
    expect(fakeB.requests.length).toBe(before);
    const tested = await call('POST', '/v1/admin/model/test', { shop: shop.c, body: {} });
    expect(tested.status).toBe(400);
    expect(tested.body.error.message).toMatch(/enter the key again/);
    expect((await setModel('c', { baseURL: fakeB.baseURL, model: 'deepseek-shop-c', version: v + 2 })).status).toBe(400);

    const again = await setModel('c', { baseURL: fakeB.baseURL, model: 'deepseek-shop-c', apiKey: KEY_B, version: v + 2 });
    expect(again.body).toMatchObject({ setting: { hasApiKey: true }, answeredBy: { source: 'shop', model: 'deepseek-shop-c' } });
    fakeB.script([{ text: 'C 店的模型回来了' }]);
    expect((await chat('c', '你好')).body.reply).toBe('C 店的模型回来了');
    fakeB.assertDone();
  });

  it("shows staff which model answered each turn in the ticket's conversation", async () => {
    fakeA.script([{ text: '好的，这就为您转接人工' }]);
    const asked = await chat('a', '转人工');
    const ticketId = asked.body.handoff?.ticketId as number;
    expect(ticketId).toBeGreaterThan(0);
    const staff = await call('GET', `/v1/staff/tickets/${ticketId}`, { role: 'staff' });
    const assistant = (staff.body.messages as Array<{ role: string; answeredBy?: unknown }>).filter((m) => m.role === 'assistant');
    expect(assistant.map((m) => m.answeredBy)).toEqual([{ source: 'shop', model: 'qwen-shop-a' }]);
    // A person owns the chat now: the shopper's next question waits for them, and the reply suggested
    // to staff is drafted by the shop's model too.
    const before = fakeA.requests.length;
    const waiting = await call('POST', '/v1/chat', { shop: shop.a, role: 'shopper', id: shopper.a, body: { message: '这款精华退货怎么退', conversationId: asked.body.conversationId } });
    expect(waiting.status).toBe(200);
    expect(fakeA.requests.length).toBe(before);
    fakeA.script([{ text: '亲，退货请在订单页申请售后' }]);
    const suggestion = await call('GET', `/v1/staff/tickets/${ticketId}/suggestion`, { role: 'staff' });
    expect(suggestion.body.text).toBe('亲，退货请在订单页申请售后');
    fakeA.assertDone();
    expect(fakeA.requests.at(-1)!.body.model).toBe('qwen-shop-a');

    // The live events reach the shopper's pages too: which vendor the shop uses is not theirs to read.
    const { rows } = await db().query<{ payload: unknown }>(`SELECT payload FROM live_events WHERE shop_id = $1 AND kind = 'message'`, [shop.a]);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain('qwen-shop-a');
  });
});
