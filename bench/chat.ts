// npm run bench:chat [-- --turns 40 --latency 200]
// Server overhead of a tool-using chat turn: POST /v1/chat against a local fake OpenAI-compatible
// server that answers every call after a fixed latency (call 1: a tool call; call 2: the reply).
// Side by side in the same run, the same two model calls are made directly to the fake server;
// the ratio turn time ÷ model time is what we report (absolute times alone mean little here).
import { parseArgs } from 'node:util';
import { migrate } from '../src/db/migrate.ts';
import { openPglite } from '../src/db/pglite.ts';
import { findShopperIdByOpenid, DEMO_SHOP_ID } from '../src/domain/seed/index.ts';
import { seedDemo } from '../tests/helpers/demo.ts';
import { startFakeOpenAI } from '../tests/helpers/fakeOpenAI.ts';
import { startTestServer } from '../tests/helpers/server.ts';
import { createLogger } from '../src/log.ts';
import { ms, printTable, summary } from './lib/stats.ts';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '40' }, latency: { type: 'string', default: '200' } } });
const turns = Number(values.turns);
const latency = Number(values.latency);

const db = await openPglite();
await migrate(db);
await seedDemo(db);
const fake = await startFakeOpenAI();
const script = [
  { toolCalls: [{ name: 'getPoints', args: {} }], delayMs: latency },
  { text: '您当前的积分余额已为您查到。', delayMs: latency },
];
fake.script(script, { loop: true });
const server = await startTestServer(db, {
  env: {
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: fake.baseURL,
    MODEL: 'fake',
    MODEL_TIMEOUT_MS: '10000',
    // The benchmark measures turns, not the flood guard.
    RATE_LIMIT_SHOPPER_PER_MIN: '0',
    RATE_LIMIT_IP_PER_MIN: '0',
  },
  log: createLogger('silent'),
});
const shopperId = (await findShopperIdByOpenid(db, DEMO_SHOP_ID, 'demo-openid-0001'))!;
const token = await server.token(shopperId);

async function turn(): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${server.url}/v1/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ message: '我有多少积分' }),
  });
  const body = (await res.json()) as { toolCalls: unknown[] };
  if (res.status !== 200 || body.toolCalls.length !== 1) throw new Error(`unexpected turn: ${res.status} ${JSON.stringify(body)}`);
  return performance.now() - t;
}

// The model's own time for the same two calls, measured directly against the fake server.
async function modelOnly(): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${fake.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake', messages: [{ role: 'user', content: '我有多少积分' }] }),
    });
    await res.text();
  }
  return performance.now() - t;
}

for (let i = 0; i < 3; i++) await turn(); // warm-up
fake.script(script, { loop: true });
const ours: number[] = [];
const model: number[] = [];
for (let i = 0; i < turns; i++) {
  ours.push(await turn());
  model.push(await modelOnly());
}
const o = summary(ours);
const m = summary(model);
const overhead = summary(ours.map((v, i) => v - model[i]!));
printTable(`Chat turn overhead (${turns} two-step turns, fake model latency ${latency} ms per call, PGlite)`, ['', 'p50', 'p99'], [
  ['turn time (POST /v1/chat)', ms(o.p50), ms(o.p99)],
  ['model time (same 2 calls direct)', ms(m.p50), ms(m.p99)],
  ['overhead (turn − model)', ms(overhead.p50), ms(overhead.p99)],
  ['ratio turn ÷ model (target ≤ 1.05)', (o.p50 / m.p50).toFixed(3), (o.p99 / m.p99).toFixed(3)],
]);
await server.close();
await fake.close();
await db.close();
