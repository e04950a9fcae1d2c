// Graceful shutdown of the real service (`tsx src/main.ts`, as `npm start` runs it) in a child
// process on the file-backed embedded database: SIGTERM while a streaming chat turn waits on a slow
// model. The turn must finish and be stored, a live (SSE) stream must end, new connections must be
// refused, and the process must close the database and exit 0.
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, get as httpGet, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { DEMO_SNAPSHOT_FILE } from '../helpers/paths.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODEL_DELAY_MS = 1500;

/**
 * The provider the child talks to. Chat turns (they always offer tools) go to the scripted fake, so
 * the test controls their latency and any unexpected turn fails it; embeddings are answered with the
 * local embedder's own vectors (so re-indexing the catalog under the provider's embedder is cheap);
 * other model calls (the reminder writer) fail at once, and the writer uses its templates.
 */
async function startProvider(fake: FakeOpenAI): Promise<{ baseURL: string; server: Server }> {
  const local = createLocalEmbedder();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(raw || '{}') as { input?: string[]; tools?: unknown[] };
    if (req.url === '/v1/embeddings') {
      const vectors = await local.embed(body.input ?? []);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ object: 'list', data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })), model: 'local', usage: { prompt_tokens: 0, total_tokens: 0 } }),
      );
      return;
    }
    if (req.url === '/v1/chat/completions' && body.tools?.length) {
      const answer = await fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
      return;
    }
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"not in this test","type":"server_error"}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { baseURL: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, server };
}

/** The child's stdout, line by line, with a way to wait for a line. */
function watchOutput(child: ChildProcessWithoutNullStreams) {
  const lines: string[] = [];
  let partial = '';
  const waiters: Array<{ test: (l: string) => boolean; resolve: (l: string) => void }> = [];
  const onData = (d: Buffer) => {
    partial += d.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) if (w.test(line)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    lines,
    waitFor(test: (l: string) => boolean, what: string, ms = 45_000): Promise<string> {
      const seen = lines.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${what}" from the server:\n${lines.slice(-20).join('\n')}`)), ms);
        waiters.push({ test, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
  };
}

describe('graceful shutdown of the service [pglite, file-backed]', () => {
  let fake: FakeOpenAI;
  let provider: Server;
  let dataDir: string;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    dataDir = mkdtempSync(join(tmpdir(), 'laotie-shutdown-'));
    // The seeded demo snapshot of this run (globalSetup) is PGlite's dumpDataDir tarball of the data
    // directory: unpacked, it is a ready data dir, which spares the child seeding the shop (≈ 15 s).
    mkdirSync(join(dataDir, 'pglite'));
    execFileSync('tar', ['-xf', DEMO_SNAPSHOT_FILE, '-C', join(dataDir, 'pglite')], { stdio: 'ignore' });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await new Promise<void>((r) => (provider ? provider.close(() => r()) : r()));
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on SIGTERM finishes the streaming turn in flight, ends live streams, refuses new connections, closes the db and exits 0', async () => {
    const p = await startProvider(fake);
    provider = p.server;
    const { DATABASE_URL: _url, TEST_DATABASE_URL: _test, ...env } = process.env;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...env,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        AUTH_SECRET: 'shutdown-test-secret-'.padEnd(40, 'x'),
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: p.baseURL,
        MODEL: 'fake-model',
        EMBEDDING_DIM: String(createLocalEmbedder().dim),
        MODEL_TIMEOUT_MS: '10000',
        REMINDERS_SCHEDULER: 'true',
        SHUTDOWN_TIMEOUT_MS: '20000',
        LOG_LEVEL: 'info',
      },
    });
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    const out = watchOutput(child);

    // main prints where it serves, the card page with the first sample shopper's token, then how to mint more.
    await out.waitFor((l) => l.startsWith('More tokens:'), 'its start-up lines');
    const url = /serving on (http:\/\/\S+)/.exec(out.lines.find((l) => l.startsWith('Laotie is serving on '))!)![1]!;
    const token = /\/card\/demo#token=(\S+)$/.exec(out.lines.find((l) => l.includes('/card/demo#token='))!)![1]!;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await out.waitFor((l) => l.includes('"reminder jobs started"'), 'reminder jobs started');

    // A live stream (as the card page holds one) and a streaming turn that waits on the slow model.
    const live = await fetch(`${url}/v1/live?token=${token}`);
    expect(live.status).toBe(200);
    const liveBody = live.text();
    fake.script([{ text: '您好，我是您的专属顾问，很高兴为您服务', delayMs: MODEL_DELAY_MS }]);
    const turn = fetch(`${url}/v1/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: '你好，在吗' }),
    });
    // SIGTERM once the model has the request, so the turn is surely in flight.
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    await out.waitFor((l) => l.includes('"shutting down"'), 'shutting down');

    // No new connections from here on (a new socket, not one fetch keeps alive from earlier requests).
    const refused = await new Promise<string>((resolve) => {
      httpGet(`${url}/healthz`, { agent: false }, (r) => {
        r.resume();
        resolve('accepted');
      }).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? String(e)));
    });
    // Refused at the door (the listener is closed) or, in the instant before it closes, reset without
    // an answer: either way no new request is served.
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(refused);

    // The turn in flight completes, whole.
    const res = await turn;
    expect(res.status).toBe(200);
    const conversationId = res.headers.get('x-conversation-id')!;
    const events = (await res.text())
      .split('\n\n')
      .map((e) => e.replace(/^data: /, ''))
      .filter((e) => e.startsWith('{'))
      .map((e) => JSON.parse(e) as { type: string; delta?: string });
    expect(events.filter((e) => e.type === 'text-delta').map((e) => e.delta).join('')).toBe('您好，我是您的专属顾问，很高兴为您服务');
    expect(events.at(-1)?.type).toBe('finish');
    // The live stream was ended by the server (the page reconnects elsewhere and resumes).
    expect(await liveBody).toContain('event: ready');

    expect(await exited).toBe(0);
    expect(out.lines.some((l) => l.includes('"reminder jobs stopped"'))).toBe(true);
    expect(out.lines.some((l) => l.includes('"stopped"'))).toBe(true);
    fake.assertDone();

    // Reopened after the exit: the shopper's message and the reply are both there.
    const db = await openPglite({ dataDir: join(dataDir, 'pglite') });
    try {
      const { rows } = await db.query<{ role: string; content: string }>(
        'SELECT role, content FROM messages WHERE conversation_id = $1 ORDER BY id',
        [conversationId],
      );
      expect(rows).toEqual([
        { role: 'user', content: '你好，在吗' },
        { role: 'assistant', content: '您好，我是您的专属顾问，很高兴为您服务' },
      ]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
