import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../../src/auth/tokens.ts';
import { callerOf, type Role } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { errorHandler, notFoundHandler } from '../../src/http/errors.ts';
import { knowledgeRoutes } from '../../src/http/knowledge.ts';
import { silentLogger } from '../../src/log.ts';
import { pgliteDriver } from '../helpers/db.ts';
import { createShop } from '../helpers/fixtures.ts';

const tokens = createTokenIssuer('k'.repeat(32));
let db: Db;
let dispose: () => Promise<void>;
let app: Hono;
let shopA: string;
let shopB: string;

const DOC = { docKey: 'shipping', title: '发货与物流', content: '## 下单后几天能发货\n付款后48小时内发货。\n## 运费\n满69元包邮。' };

async function call(method: string, path: string, o: { role?: Role; shopId?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // A shopper's token names a shopper id; staff and admins have names.
  if (o.role) headers.authorization = `Bearer ${await tokens.mint(callerOf(o.shopId ?? shopA, o.role, o.role === 'shopper' ? 1 : 'op-1')!)}`;
  const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  return app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
}

beforeAll(async () => {
  ({ db, dispose } = await pgliteDriver.open());
  shopA = (await createShop(db)).id;
  shopB = (await createShop(db)).id;
  app = new Hono();
  app.route('/', knowledgeRoutes({ db, embedder: createLocalEmbedder(), tokens }));
  app.notFound(notFoundHandler);
  app.onError(errorHandler(silentLogger));
});
afterAll(() => dispose());

describe('the knowledge admin API', () => {
  it('answers 401 without a token and 403 for a shopper or staff token', async () => {
    expect((await call('GET', '/v1/admin/knowledge')).status).toBe(401);
    expect((await call('POST', '/v1/admin/knowledge', { body: DOC })).status).toBe(401);
    expect((await call('POST', '/v1/admin/knowledge', { role: 'shopper', body: DOC })).status).toBe(403);
    expect((await call('DELETE', '/v1/admin/knowledge/shipping', { role: 'staff' })).status).toBe(403);
  });

  it('answers 400 naming the field for a bad body', async () => {
    const bad = [
      { ...DOC, docKey: 'Not A Slug' },
      { ...DOC, content: '   ' },
      { ...DOC, content: 'x'.repeat(200_001) },
      { ...DOC, shopId: shopB },
      { title: DOC.title, content: DOC.content },
    ];
    const paths: string[] = [];
    for (const body of bad) {
      const res = await call('POST', '/v1/admin/knowledge', { role: 'admin', body });
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe('invalid');
      paths.push(error.details.fields[0].path);
    }
    expect(paths).toEqual(['docKey', 'content', 'content', 'body', 'docKey']);
    expect((await call('POST', '/v1/admin/knowledge', { role: 'admin', raw: '{"docKey":' })).status).toBe(400);
  });

  it('imports a document idempotently and counts versions of real changes', async () => {
    const first = await call('POST', '/v1/admin/knowledge', { role: 'admin', body: DOC });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ docKey: 'shipping', version: 1, chunks: 2, unchanged: false });
    const again = await call('POST', '/v1/admin/knowledge', { role: 'admin', body: DOC });
    expect(await again.json()).toEqual({ docKey: 'shipping', version: 1, chunks: 2, unchanged: true });
    const changed = await call('POST', '/v1/admin/knowledge', { role: 'admin', body: { ...DOC, content: DOC.content + '\n## 快递\n中通、圆通。' } });
    expect(await changed.json()).toEqual({ docKey: 'shipping', version: 2, chunks: 3, unchanged: false });
  });

  it('lists and deletes only the token’s shop’s documents', async () => {
    const listA = await (await call('GET', '/v1/admin/knowledge', { role: 'admin' })).json();
    expect(listA.documents).toEqual([
      expect.objectContaining({ docKey: 'shipping', title: '发货与物流', version: 2, chunks: 3, source: 'admin:op-1' }),
    ]);
    expect((await (await call('GET', '/v1/admin/knowledge', { role: 'admin', shopId: shopB })).json()).documents).toEqual([]);
    expect((await call('DELETE', '/v1/admin/knowledge/shipping', { role: 'admin', shopId: shopB })).status).toBe(404);

    expect((await call('DELETE', '/v1/admin/knowledge/shipping', { role: 'admin' })).status).toBe(204);
    expect((await call('DELETE', '/v1/admin/knowledge/shipping', { role: 'admin' })).status).toBe(404);
    expect((await (await call('GET', '/v1/admin/knowledge', { role: 'admin' })).json()).documents).toEqual([]);
  });
});
