// A scripted OpenAI-compatible server over real HTTP: the protocol peer our tests and the chat
// benchmark talk to instead of a real LLM. Like openai-agents-js's ScriptedModel, it fails loudly:
// a request beyond the script, or a script step left unused, is reported by `assertDone()`.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export type ScriptStep =
  | { toolCalls: Array<{ name: string; args: Record<string, unknown> }>; delayMs?: number }
  | { text: string; delayMs?: number }
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

export interface FakeOpenAI {
  baseURL: string;
  requests: RecordedRequest[];
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

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  let steps: ScriptStep[] = [];
  let loop = false;
  let cursor = 0;
  let callSeq = 0;
  const problems: string[] = [];
  const requests: RecordedRequest[] = [];

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
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
      problems.push(`request ${cursor} is beyond the script: ${JSON.stringify(body.messages.at(-1)).slice(0, 200)}`);
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
    const finish = toolCalls ? 'tool_calls' : 'stop';
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'text' in step ? step.text : null, tool_calls: toolCalls }, finish_reason: finish }],
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
    else for (const piece of (step as { text: string }).text.match(/.{1,8}/gsu) ?? []) send({ content: piece }, null);
    send({}, finish, { usage });
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
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
}
