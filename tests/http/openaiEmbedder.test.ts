// The OpenAI-compatible embedder against a protocol peer: a tiny /v1/embeddings server on a real
// port, answering deterministic vectors (or failing on request), and recording what it was sent.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/embed/index.ts';
import { createOpenAIEmbedder } from '../../src/embed/openai.ts';
import { Unavailable } from '../../src/errors.ts';

interface Received {
  authorization: string | undefined;
  body: { model: string; input: string[]; dimensions?: number };
}

const received: Received[] = [];
let failWith: { status: number; message: string } | undefined;
/** Answer 6-d vectors whatever `dimensions` asks, like a model that cannot shorten its vectors. */
let ignoreDimensions = false;
let server: Server;
let baseURL: string;

/** A fixed, unnormalised vector per text: character codes folded into `dim` slots. */
function fakeVector(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0.5);
  for (let i = 0; i < text.length; i++) v[i % dim]! += text.charCodeAt(i) % 7;
  return v;
}

async function readJson(req: IncomingMessage): Promise<Received['body']> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404).end();
      return;
    }
    const body = await readJson(req);
    received.push({ authorization: req.headers.authorization, body });
    res.setHeader('content-type', 'application/json');
    if (failWith) {
      res.writeHead(failWith.status).end(JSON.stringify({ error: { message: failWith.message, type: 'server_error' } }));
      return;
    }
    const dim = ignoreDimensions ? 6 : (body.dimensions ?? 6);
    res.end(
      JSON.stringify({
        object: 'list',
        model: body.model,
        data: body.input.map((t, index) => ({ object: 'embedding', index, embedding: fakeVector(t, dim) })),
        usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received.length = 0;
  failWith = undefined;
  ignoreDimensions = false;
});

const norm = (v: number[]) => Math.hypot(...v);

describe('the OpenAI-compatible embedder', () => {
  it('embeds over HTTP in order, normalised, and learns the dimension from the first answer', async () => {
    const e = createOpenAIEmbedder({ apiKey: 'test-key', baseURL, model: 'fake-embed', maxRetries: 0 });
    expect(e.id).toBe('openai:fake-embed');
    expect(() => e.dim).toThrow(/EMBEDDING_DIM/);

    const [a, b] = await e.embed(['适合干皮的粉底液', '口红']);
    expect(e.dim).toBe(6);
    expect(a).toHaveLength(6);
    expect(norm(a!)).toBeCloseTo(1, 10);
    expect(norm(b!)).toBeCloseTo(1, 10);
    expect(a).not.toEqual(b);
    expect(await e.embed(['适合干皮的粉底液'])).toEqual([a]);

    expect(received[0]).toMatchObject({
      authorization: 'Bearer test-key',
      body: { model: 'fake-embed', input: ['适合干皮的粉底液', '口红'] },
    });
    expect(received[0]!.body.dimensions).toBeUndefined();
  });

  it('asks for the configured dimension', async () => {
    const e = createEmbedder({
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: baseURL,
      EMBEDDING_MODEL: 'fake-embed',
      EMBEDDING_DIM: 16,
      MODEL_TIMEOUT_MS: 5_000,
    });
    expect(e.dim).toBe(16);
    const [v] = await e.embed(['粉底液']);
    expect(v).toHaveLength(16);
    expect(received[0]!.body.dimensions).toBe(16);
  });

  it('makes no call for nothing to embed', async () => {
    const e = createOpenAIEmbedder({ apiKey: 'k', baseURL, model: 'fake-embed' });
    expect(await e.embed([])).toEqual([]);
    expect(received).toHaveLength(0);
  });

  it('turns a server error into a clear Unavailable error', async () => {
    failWith = { status: 500, message: 'the embedding backend is down' };
    const e = createOpenAIEmbedder({ apiKey: 'k', baseURL, model: 'fake-embed', maxRetries: 0 });
    const err = await e.embed(['粉底液']).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(Unavailable);
    expect((err as Error).message).toBe(
      `embedding with fake-embed at ${baseURL} failed: HTTP 500: the embedding backend is down`,
    );
    expect(received).toHaveLength(1);
  });

  it('retries a server error before giving up', async () => {
    failWith = { status: 503, message: 'overloaded' };
    const e = createOpenAIEmbedder({ apiKey: 'k', baseURL, model: 'fake-embed', maxRetries: 1 });
    await expect(e.embed(['粉底液'])).rejects.toThrow('failed: HTTP 503: overloaded');
    expect(received).toHaveLength(2);
  });

  it('refuses vectors of another dimension than configured', async () => {
    ignoreDimensions = true;
    const e = createOpenAIEmbedder({ apiKey: 'k', baseURL, model: 'fake-embed', dim: 8, maxRetries: 0 });
    await expect(e.embed(['粉底液'])).rejects.toThrow(
      `embedding with fake-embed at ${baseURL} returned 1 vectors of 6 dimensions for 1 texts; expected 8 dimensions each`,
    );
  });
});
