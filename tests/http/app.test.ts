import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createModels } from '../../src/agent/models.ts';
import { createTokenIssuer } from '../../src/auth/tokens.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { createApp } from '../../src/http/app.ts';
import { bearerAuth } from '../../src/http/auth.ts';
import { jsonBody } from '../../src/http/errors.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { createLogger } from '../../src/log.ts';
import { pgliteDriver } from '../helpers/db.ts';

const tokens = createTokenIssuer('x'.repeat(32));
const logLines: string[] = [];
let db: Db;
let dispose: () => Promise<void>;

function buildApp() {
  const log = createLogger('info', {}, (l) => logLines.push(l));
  const embedder = createLocalEmbedder();
  const app = createApp({
    db,
    log,
    tokens,
    clock: fixedClock('2026-09-17T02:00:00Z'),
    embedder,
    config: { BODY_LIMIT_BYTES: 1024 * 1024 },
    models: createModels(loadConfig({}), embedder, log),
  });
  // A probe route, so the skeleton's validation and auth are exercised as real routes use them.
  app.post('/probe', bearerAuth({ tokens, roles: ['staff'] }), async (c) => {
    const body = await jsonBody(c, z.object({ qty: z.number().int().min(1) }));
    return c.json({ qty: body.qty, caller: c.get('caller') });
  });
  return app;
}

beforeAll(async () => {
  ({ db, dispose } = await pgliteDriver.open());
});
afterAll(() => dispose());

describe('the HTTP skeleton', () => {
  it('answers liveness and readiness', async () => {
    const app = buildApp();
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', driver: 'pglite' });
  });

  it('answers an unknown route with a 404 JSON error', async () => {
    const res = await buildApp().request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /nope' } });
  });

  it('refuses a body over 1 MiB with 413 JSON', async () => {
    const res = await buildApp().request('/probe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('answers a missing, forged or expired token with 401 JSON', async () => {
    const app = buildApp();
    const forged = await createTokenIssuer('y'.repeat(32)).mint({ shopId: 'demo', role: 'staff', staffId: '1' });
    const expired = await tokens.mint({ shopId: 'demo', role: 'staff', staffId: '1' }, -10);
    for (const auth of [undefined, 'Bearer nonsense', `Bearer ${forged}`, `Bearer ${expired}`]) {
      const res = await app.request('/probe', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: '{"qty":1}',
      });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
  });

  it('answers a role that may not call the route with 403', async () => {
    const token = await tokens.mint({ shopId: 'demo', role: 'shopper', shopperId: 1 });
    const res = await buildApp().request('/probe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"qty":1}',
    });
    expect(res.status).toBe(403);
  });

  it('answers malformed JSON and invalid fields with 400 naming the fields', async () => {
    const app = buildApp();
    const token = await tokens.mint({ shopId: 'demo', role: 'staff', staffId: '7' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const malformed = await app.request('/probe', { method: 'POST', headers, body: '{"qty":' });
    expect(malformed.status).toBe(400);
    const invalid = await app.request('/probe', { method: 'POST', headers, body: '{"qty":0}' });
    expect(invalid.status).toBe(400);
    const body = await invalid.json();
    expect(body.error.code).toBe('invalid');
    expect(body.error.details.fields[0].path).toBe('qty');
    const ok = await app.request('/probe', { method: 'POST', headers, body: '{"qty":2}' });
    expect(await ok.json()).toEqual({ qty: 2, caller: { shopId: 'demo', role: 'staff', staffId: '7' } });
  });

  it('logs one line per request with its request id, returned as X-Request-Id', async () => {
    logLines.length = 0;
    const res = await buildApp().request('/healthz', { headers: { 'x-request-id': 'req-12345678' } });
    expect(res.headers.get('x-request-id')).toBe('req-12345678');
    expect(logLines).toHaveLength(1);
    expect(JSON.parse(logLines[0]!)).toMatchObject({ msg: 'request', requestId: 'req-12345678', status: 200, path: '/healthz' });
  });
});
