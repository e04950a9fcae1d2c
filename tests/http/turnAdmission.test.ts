// The line for chat turns, over real HTTP: how many run at once, who goes next, what the shopper
// past the queue's bound is told, and that a streamed reply keeps its place until it ends.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createTurnAdmission, defaultTurnConcurrency, type TurnAdmission } from '../../src/http/turnAdmission.ts';

interface Gate {
  open(): void;
  opened: Promise<void>;
}
const gate = (): Gate => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
};

let server: ServerType | undefined;
afterEach(async () => {
  (server as unknown as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A turn endpoint whose turns end when the test opens their gate; `started` lists them in order. */
async function serveTurns(admission: TurnAdmission) {
  const gates = new Map<string, Gate>();
  const started: string[] = [];
  const closedEarly = new Set<string>();
  const app = new Hono();
  app.use('/turn/:id', async (c, next) => {
    const id = c.req.param('id');
    c.req.raw.signal.addEventListener('abort', () => closedEarly.add(id));
    await next();
  });
  app.use('/turn/*', admission.middleware);
  app.post('/turn/:id', async (c) => {
    const id = c.req.param('id');
    started.push(id);
    await gates.get(id)!.opened;
    return c.json({ id });
  });
  app.post('/turn-stream/:id', admission.middleware, (c) => {
    const id = c.req.param('id');
    started.push(id);
    return streamSSE(c, async (s) => {
      await s.writeSSE({ data: 'first words' });
      await gates.get(id)!.opened;
      await s.writeSSE({ data: 'the end' });
    });
  });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const send = (id: string, path = 'turn', signal?: AbortSignal) => {
    gates.set(id, gate());
    return fetch(`${url}/${path}/${id}`, { method: 'POST', signal });
  };
  const until = async (cond: () => boolean) => {
    while (!cond()) await new Promise((r) => setTimeout(r, 5));
  };
  return { send, started, closedEarly, until, open: (id: string) => gates.get(id)!.open() };
}

describe('turn admission', () => {
  it('runs at most `concurrency` turns at once and lets the waiters in first come, first served', async () => {
    const admission = createTurnAdmission({ concurrency: 2, queueMax: 10 });
    const t = await serveTurns(admission);
    const a = t.send('a');
    const b = t.send('b');
    await t.until(() => t.started.length === 2);
    const c = t.send('c');
    await t.until(() => admission.stats().waiting === 1);
    const d = t.send('d');
    await t.until(() => admission.stats().waiting === 2);
    expect(t.started).toEqual(['a', 'b']);

    t.open('b');
    expect((await (await b).json()).id).toBe('b');
    await t.until(() => t.started.length === 3);
    expect(t.started[2]).toBe('c');
    expect(admission.stats()).toEqual({ running: 2, waiting: 1 });

    t.open('a');
    t.open('c');
    await t.until(() => t.started.length === 4);
    expect(t.started[3]).toBe('d');
    t.open('d');
    expect(await Promise.all([a, c, d].map(async (r) => (await r).status))).toEqual([200, 200, 200]);
    expect(admission.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it('tells the shopper past the queue bound to retry later, as JSON with Retry-After', async () => {
    const admission = createTurnAdmission({ concurrency: 1, queueMax: 1, retryAfterSeconds: 7 });
    const t = await serveTurns(admission);
    const a = t.send('a');
    await t.until(() => t.started.length === 1);
    const b = t.send('b');
    await t.until(() => admission.stats().waiting === 1);

    const refused = await t.send('c');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(await refused.json()).toEqual({ error: { code: 'overloaded', message: expect.stringContaining('retry') } });
    expect(t.started).toEqual(['a']);

    t.open('a');
    t.open('b');
    expect([(await a).status, (await b).status]).toEqual([200, 200]);
  });

  it('keeps a streamed reply in its place until the stream ends', async () => {
    const admission = createTurnAdmission({ concurrency: 1, queueMax: 10 });
    const t = await serveTurns(admission);
    const streamed = await t.send('s', 'turn-stream');
    const reader = streamed.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('first words');

    const next = t.send('n');
    await t.until(() => admission.stats().waiting === 1);
    expect(t.started).toEqual(['s']);

    t.open('s');
    while (!(await reader.read()).done);
    await t.until(() => t.started.length === 2);
    t.open('n');
    expect((await next).status).toBe(200);
    expect(admission.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it('gives the place back when the shopper closes a streamed reply early', async () => {
    const admission = createTurnAdmission({ concurrency: 1, queueMax: 10 });
    const t = await serveTurns(admission);
    const leaving = new AbortController();
    const streamed = await t.send('s', 'turn-stream', leaving.signal);
    await streamed.body!.getReader().read();
    const next = t.send('n');
    await t.until(() => admission.stats().waiting === 1);

    leaving.abort();
    await t.until(() => t.started.length === 2);
    t.open('n');
    t.open('s');
    expect((await next).status).toBe(200);
  });

  it('does not run the turn of a shopper who left while waiting', async () => {
    const admission = createTurnAdmission({ concurrency: 1, queueMax: 10 });
    const t = await serveTurns(admission);
    const a = t.send('a');
    await t.until(() => t.started.length === 1);
    const leaving = new AbortController();
    const left = t.send('gone', 'turn', leaving.signal).catch((e: Error) => e.name);
    await t.until(() => admission.stats().waiting === 1);
    leaving.abort();
    expect(await left).toBe('AbortError');
    await t.until(() => t.closedEarly.has('gone'));

    t.open('a');
    await a;
    await t.until(() => admission.stats().running === 0);
    expect(t.started).toEqual(['a']);
  });

  it('lets everything through with no limit', async () => {
    const admission = createTurnAdmission({ concurrency: 0, queueMax: 0 });
    const t = await serveTurns(admission);
    const all = ['a', 'b', 'c'].map((id) => t.send(id));
    await t.until(() => t.started.length === 3);
    for (const id of ['a', 'b', 'c']) t.open(id);
    expect((await Promise.all(all)).map((r) => r.status)).toEqual([200, 200, 200]);
  });
});

describe('the default limit', () => {
  it('is 8 only when the offline model and the embedded database share the thread', () => {
    expect(defaultTurnConcurrency('pglite', false)).toBe(8);
    expect(defaultTurnConcurrency('pglite', true)).toBe(0);
    expect(defaultTurnConcurrency('pg', false)).toBe(0);
    expect(defaultTurnConcurrency('pg', true)).toBe(0);
  });

  it('is read from CHAT_CONCURRENCY and CHAT_QUEUE_MAX, which must be whole numbers', () => {
    const c = loadConfig({ CHAT_CONCURRENCY: '3', CHAT_QUEUE_MAX: '50' });
    expect([c.CHAT_CONCURRENCY, c.CHAT_QUEUE_MAX]).toEqual([3, 50]);
    expect(loadConfig({}).CHAT_CONCURRENCY).toBeUndefined();
    expect(() => loadConfig({ CHAT_CONCURRENCY: '-1' })).toThrow(/CHAT_CONCURRENCY/);
    expect(() => loadConfig({ CHAT_QUEUE_MAX: 'lots' })).toThrow(/CHAT_QUEUE_MAX/);
  });
});
