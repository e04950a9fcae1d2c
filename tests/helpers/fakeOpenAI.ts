// A scripted OpenAI-compatible server over real HTTP: the protocol peer our tests and the chat
// benchmark talk to instead of a real LLM. Like openai-agents-js's ScriptedModel, it fails loudly:
// a request beyond the script, or a script step left unused, is reported by `assertDone()`.
// It also answers /v1/embeddings with vectors computed from the text, outside the script, so the
// whole service (catalog index, knowledge base, search) can run with OPENAI_API_KEY pointing here.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type ScriptStep =
  | { toolCalls: Array<{ name: string; args: Record<string, unknown> }>; delayMs?: number }
  /** A text answer; a function writes it from the request, as a model answers from the tool results it was sent. */
  | { text: string | ((request: RecordedRequest['body']) => string); delayMs?: number }
  | { status: number; delayMs?: number }
  | { hang: true };

export interface RecordedRequest {
  path: string;
  body: {
    model: string;
    stream?: boolean;
    messages: Array<{ role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }>;
    tools?: Array<{ function: { name: string } }>;
  };
}

export interface EmbeddingRequest {
  model: string;
  input: string[];
  dimensions?: number;
}

/** The vector length the fake answers when the request names no `dimensions`. */
export const FAKE_EMBEDDING_DIM = 64;

export interface FakeOpenAI {
  baseURL: string;
  /** Chat completion requests, in order (embedding requests are kept apart: they are not scripted). */
  requests: RecordedRequest[];
  embeddingRequests: EmbeddingRequest[];
  /**
   * Runs before each embeddings request is answered (n counts them from 1): may wait (a slow or
   * stuck service, released by the test) and may return an HTTP status to fail the request with.
   */
  onEmbeddings?: (request: EmbeddingRequest, n: number) => Promise<number | void> | number | void;
  /** Replaces the script; `loop` repeats it forever (benchmarks). */
  script(steps: ScriptStep[], opts?: { loop?: boolean }): void;
  assertDone(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A fixed unit vector for a text: each character (and each pair of neighbours) hashed into a slot with
 * a sign, so texts sharing characters point the same way — enough likeness for search to rank by.
 */
export function fakeEmbedding(text: string, dim = FAKE_EMBEDDING_DIM): number[] {
  const v = new Array<number>(dim).fill(0);
  const chars = [...text];
  const features = [...chars, ...chars.slice(1).map((c, i) => chars[i]! + c)];
  for (const f of features) {
    const h = createHash('sha256').update(f).digest();
    v[h.readUInt32LE(0) % dim]! += h[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...v);
  // An empty text (or features that cancel out) still gets a unit vector: a zero one has no cosine.
  if (norm === 0) return v.map((_, i) => (i === 0 ? 1 : 0));
  return v.map((x) => x / norm);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
}

/** POST /v1/embeddings as OpenAI answers it: float arrays, or base64 of little-endian float32 when asked. */
function answerEmbeddings(raw: string, res: ServerResponse, record: (r: EmbeddingRequest) => void): void {
  let body: { model?: unknown; input?: unknown; dimensions?: unknown; encoding_format?: unknown };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return sendError(res, 400, 'body is not JSON');
  }
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(input) || input.length === 0 || !input.every((t) => typeof t === 'string')) {
    return sendError(res, 400, 'input must be a string or a non-empty array of strings');
  }
  if (typeof body.model !== 'string' || !body.model) return sendError(res, 400, 'model is required');
  const { dimensions } = body;
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && (dimensions as number) > 0)) {
    return sendError(res, 400, 'dimensions must be a positive integer');
  }
  record({ model: body.model, input, ...(dimensions !== undefined ? { dimensions: dimensions as number } : {}) });
  const dim = (dimensions as number | undefined) ?? FAKE_EMBEDDING_DIM;
  const base64 = body.encoding_format === 'base64';
  const data = input.map((text, index) => {
    const v = fakeEmbedding(text, dim);
    return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v };
  });
  const tokens = input.reduce((n, t) => n + [...t].length, 0);
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }),
  );
}

export interface FakeOpenAIOptions {
  /** The key the server accepts: any other gets 401, as a real provider answers a wrong key. */
  apiKey?: string;
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let steps: ScriptStep[] = [];
  let loop = false;
  let cursor = 0;
  let callSeq = 0;
  const problems: string[] = [];
  const requests: RecordedRequest[] = [];
  const embeddingRequests: EmbeddingRequest[] = [];
  let embeddingCalls = 0;

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      // Like OpenAI's answer, and without echoing the key that was sent.
      return sendError(res, 401, 'Incorrect API key provided.');
    }
    if (req.method === 'POST' && req.url === '/v1/embeddings') {
      const hook = fake.onEmbeddings;
      if (hook) {
        const parsed = JSON.parse(raw) as EmbeddingRequest & { input: string | string[] };
        const request = { ...parsed, input: typeof parsed.input === 'string' ? [parsed.input] : parsed.input };
        const status = await hook(request, ++embeddingCalls);
        if (status) return sendError(res, status, 'scripted embeddings failure');
      }
      answerEmbeddings(raw, res, (r) => embeddingRequests.push(r));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      problems.push(`unexpected ${req.method} ${req.url}`);
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(raw) as RecordedRequest['body'];
    requests.push({ path: req.url, body });
    const step = steps[loop ? cursor % Math.max(steps.length, 1) : cursor];
    cursor++;
    if (!step) {
      problems.push(`request ${cursor} is beyond the script: ${String(JSON.stringify(body.messages?.at(-1))).slice(0, 200)}`);
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"off script"}}');
      return;
    }
    if ('hang' in step) return; // never answers: the client's timeout must fire
    if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
    if ('status' in step) {
      res.writeHead(step.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    const id = `chatcmpl-fake-${cursor}`;
    const created = 1_790_000_000;
    const toolCalls =
      'toolCalls' in step
        ? step.toolCalls.map((t, i) => ({ index: i, id: `call_${++callSeq}`, type: 'function', function: { name: t.name, arguments: JSON.stringify(t.args) } }))
        : undefined;
    const text = 'text' in step ? (typeof step.text === 'function' ? step.text(body) : step.text) : null;
    const finish = toolCalls ? 'tool_calls' : 'stop';
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: text, tool_calls: toolCalls }, finish_reason: finish }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (delta: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`);
    send({ role: 'assistant' }, null);
    if (toolCalls) send({ tool_calls: toolCalls }, null);
    else for (const piece of text?.match(/.{1,8}/gsu) ?? []) send({ content: piece }, null);
    send({}, finish, { usage });
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const fake: FakeOpenAI = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddingRequests,
    script(next, opts = {}) {
      steps = next;
      loop = opts.loop ?? false;
      cursor = 0;
    },
    assertDone() {
      if (!loop && cursor < steps.length) problems.push(`${steps.length - cursor} scripted step(s) never used`);
      if (problems.length) throw new Error(`fake OpenAI server: ${problems.join('; ')}`);
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return fake;
}
