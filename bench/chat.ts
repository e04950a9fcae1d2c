// npm run bench:chat [-- --turns 30 --latency 200]
// Server overhead of a tool-using chat turn: POST /v1/chat against a local fake OpenAI-compatible
// server that answers every call after a fixed latency (call 1: a tool call; call 2: the reply).
// The fake server runs on a thread of its own (bench/lib/fakeModelWorker.ts), like a model elsewhere.
// Side by side in the same run, on the same fake server: the same turn through a LangChain agent
// (createAgent, our tools wrapped as LangChain tools, ChatOpenAI). The model's own time for each is
// its two recorded requests replayed directly to the fake server, so a bigger prompt costs the
// model, not the agent. We report turn time ÷ model time (absolute times alone mean little here).
// Runs on PGlite, then on PostgreSQL (DATABASE_URL, else bench/lib/pgUrl.ts's server; skipped when
// nothing listens there) in a schema of its own, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Db } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPg } from '../src/db/pg.ts';
import { openPglite } from '../src/db/pglite.ts';
import { DEMO_SHOP_ID, findShopperIdByOpenid } from '../src/demo/index.ts';
import { runTurn } from '../src/agent/runTurn.ts';
import { resolveShopperCaller } from '../src/domain/shoppers/repo.ts';
import { createShopCards } from '../src/domain/shops/cards.ts';
import { createLocalEmbedder } from '../src/embed/local.ts';
import { createLogger } from '../src/log.ts';
import { fixedClock } from '../src/context.ts';
import { DEMO_NOW, seedDemo } from '../tests/helpers/demo.ts';
import type { RecordedRequest } from '../tests/helpers/fakeOpenAI.ts';
import { startFakeModelThread, type FakeModelThread } from './lib/fakeModelWorker.ts';
import { startTestServer } from '../tests/helpers/server.ts';
import { createLangChainTurn } from './lib/langchainTurn.ts';
import { BENCH_PG_URL, shownUrl } from './lib/pgUrl.ts';
import { emitResult } from './lib/result.ts';
import { ms, printTable, summary } from './lib/stats.ts';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '30' }, latency: { type: 'string', default: '200' } } });
const turns = Number(values.turns);
const latency = Number(values.latency);
const MESSAGE = '我有多少积分';
const pgUrl = process.env.DATABASE_URL ?? BENCH_PG_URL;

interface Opened {
  db: Db;
  dispose(): Promise<void>;
}

async function openPgliteDemo(): Promise<Opened> {
  const db = await openPglite();
  await migrate(db);
  await seedDemo(db);
  return { db, dispose: () => db.close() };
}

async function openPgDemo(url: string): Promise<Opened> {
  const schema = `bench_chat_${randomBytes(4).toString('hex')}`;
  const db = await openPg(url, { schema, poolSize: 10 });
  await migrate(db);
  await seedDemo(db);
  return {
    db,
    async dispose() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await c.end();
    },
  };
}

/** The model's own time for requests already made: the same bodies, sent straight to the fake server. */
async function replay(fake: FakeModelThread, requests: readonly RecordedRequest[]): Promise<number> {
  const t = performance.now();
  for (const r of requests) {
    const res = await fetch(`${fake.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(r.body),
    });
    await res.text();
  }
  return performance.now() - t;
}

interface DriverResult {
  driver: string;
  ours: number[];
  oursModel: number[];
  inProcess: number[];
  inProcessModel: number[];
  langchain: number[];
  langchainModel: number[];
}

async function measure(driver: string, opened: Opened): Promise<DriverResult> {
  const { db } = opened;
  const fake = await startFakeModelThread();
  const script = [
    { toolCalls: [{ name: 'getPoints', args: {} }], delayMs: latency },
    { text: '您当前的积分余额已为您查到。', delayMs: latency },
  ];
  const log = createLogger('silent');
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
    log,
  });
  const shopperId = (await findShopperIdByOpenid(db, DEMO_SHOP_ID, 'demo-openid-0001'))!;
  const token = await server.token(shopperId);
  const caller = (await resolveShopperCaller(db, { shopId: DEMO_SHOP_ID, shopperId: shopperId }))!;

  async function ours(): Promise<number> {
    const t = performance.now();
    const res = await fetch(`${server.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: MESSAGE }),
    });
    const body = (await res.json()) as { toolCalls: unknown[] };
    if (res.status !== 200 || body.toolCalls.length !== 1) throw new Error(`unexpected turn: ${res.status} ${JSON.stringify(body)}`);
    return performance.now() - t;
  }

  // The same turn without HTTP and the token: runTurn called in-process, as the LangChain agent is.
  const embedder = createLocalEmbedder();
  const agentDeps = { db, embedder, clock: fixedClock(DEMO_NOW), log, models: server.models, shopCards: createShopCards(db) };
  async function inProcess(): Promise<number> {
    const t = performance.now();
    const r = await runTurn(agentDeps, caller, { message: MESSAGE });
    if (r.toolCalls.length !== 1) throw new Error(`unexpected in-process turn: ${JSON.stringify(r)}`);
    return performance.now() - t;
  }

  await fake.script(script, { loop: true });
  await ours();
  // The same system prompt as ours, taken from what our turn really sent.
  const [first] = await fake.requests(2);
  const system = first!.body.messages.find((m) => m.role === 'system')!.content as string;
  const langchainTurn = createLangChainTurn({
    baseURL: fake.baseURL,
    model: 'fake',
    systemPrompt: system,
    ctx: { db, embedder, clock: fixedClock(DEMO_NOW), log, caller },
  });
  async function langchain(): Promise<number> {
    const t = performance.now();
    const r = await langchainTurn(MESSAGE);
    if (r.toolCalls !== 1 || !r.text.includes('积分')) throw new Error(`unexpected LangChain turn: ${JSON.stringify(r)}`);
    return performance.now() - t;
  }
  const lastTwo = () => fake.requests(2);

  for (let i = 0; i < 3; i++) {
    await ours();
    await inProcess();
    await langchain();
  }
  const result: DriverResult = { driver, ours: [], oursModel: [], inProcess: [], inProcessModel: [], langchain: [], langchainModel: [] };
  for (let i = 0; i < turns; i++) {
    result.ours.push(await ours());
    const oursRequests = await lastTwo();
    result.inProcess.push(await inProcess());
    const inProcessRequests = await lastTwo();
    result.langchain.push(await langchain());
    const langchainRequests = await lastTwo();
    result.oursModel.push(await replay(fake, oursRequests));
    result.inProcessModel.push(await replay(fake, inProcessRequests));
    result.langchainModel.push(await replay(fake, langchainRequests));
  }
  await fake.assertDone();
  await server.close();
  await fake.close();
  return result;
}

const ratio = (turn: number[], model: number[], p: 'p50' | 'p99') => (summary(turn)[p] / summary(model)[p]).toFixed(3);
const overhead = (turn: number[], model: number[]) => summary(turn.map((v, i) => v - model[i]!));

const driverIds: Record<string, string> = { PGlite: 'pglite', PostgreSQL: 'pg' };
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`load average at start: ${load()}`);
const drivers: Array<[string, () => Promise<Opened>]> = [
  ['PGlite', openPgliteDemo],
  ['PostgreSQL', () => openPgDemo(pgUrl)],
];

const results: DriverResult[] = [];
for (const [name, open] of drivers) {
  let opened: Opened;
  try {
    opened = await open();
  } catch (e) {
    if ((e as { code?: string }).code !== 'ECONNREFUSED') throw e;
    console.log(`(${name} skipped: no server at ${shownUrl(pgUrl)})`);
    continue;
  }
  try {
    const r = await measure(name, opened);
    results.push(r);
    const row = (label: string, v: number[]) => [label, ms(summary(v).p50), ms(summary(v).p99)];
    printTable(`Chat turn vs model, ${name} (${turns} two-step turns, fake model ${latency} ms per call)`, ['', 'p50', 'p99'], [
      row('ours: POST /v1/chat turn', r.ours),
      row('  model alone (its 2 requests replayed)', r.oursModel),
      row('  overhead (turn − model)', r.ours.map((v, i) => v - r.oursModel[i]!)),
      ['  ratio turn ÷ model (target ≤ 1.05)', ratio(r.ours, r.oursModel, 'p50'), ratio(r.ours, r.oursModel, 'p99')],
      row('ours: runTurn in-process (stores the turn too)', r.inProcess),
      row('  model alone (its 2 requests replayed)', r.inProcessModel),
      row('  overhead (turn − model)', r.inProcess.map((v, i) => v - r.inProcessModel[i]!)),
      ['  ratio turn ÷ model', ratio(r.inProcess, r.inProcessModel, 'p50'), ratio(r.inProcess, r.inProcessModel, 'p99')],
      row('LangChain createAgent turn (in-process)', r.langchain),
      row('  model alone (its 2 requests replayed)', r.langchainModel),
      row('  overhead (turn − model)', r.langchain.map((v, i) => v - r.langchainModel[i]!)),
      ['  ratio turn ÷ model', ratio(r.langchain, r.langchainModel, 'p50'), ratio(r.langchain, r.langchainModel, 'p99')],
    ]);
    // For `npm run bench` (bench/index.ts): one result line per driver.
    const oursP50 = Number(ratio(r.ours, r.oursModel, 'p50'));
    const inProcessP50 = Number(ratio(r.inProcess, r.inProcessModel, 'p50'));
    const langchainP50 = Number(ratio(r.langchain, r.langchainModel, 'p50'));
    emitResult({
      bench: 'chat',
      driver: driverIds[name],
      figures: [
        { name: 'turn ÷ model p50, POST /v1/chat', value: oursP50, target: '≤ 1.05', met: oursP50 <= 1.05 },
        { name: 'turn ÷ model p99, POST /v1/chat', value: Number(ratio(r.ours, r.oursModel, 'p99')) },
        { name: 'turn ÷ model p50, runTurn in-process', value: inProcessP50, target: '< LangChain', met: inProcessP50 < langchainP50 },
        { name: 'turn ÷ model p50, LangChain createAgent in-process', value: langchainP50 },
      ],
      note: `${turns} two-step turns, fake model ${latency} ms per call`,
    });
  } finally {
    await opened.dispose();
  }
}

printTable(
  'Agent overhead vs the model, side by side (ratio = turn time ÷ the same model requests alone; lower is better)',
  ['driver', 'ours HTTP p50', 'ours HTTP p99', 'ours in-process p50', 'ours in-process p99', 'LangChain in-process p50', 'LangChain in-process p99', 'in-process: ours lower'],
  results.map((r) => [
    r.driver,
    ratio(r.ours, r.oursModel, 'p50'),
    ratio(r.ours, r.oursModel, 'p99'),
    ratio(r.inProcess, r.inProcessModel, 'p50'),
    ratio(r.inProcess, r.inProcessModel, 'p99'),
    ratio(r.langchain, r.langchainModel, 'p50'),
    ratio(r.langchain, r.langchainModel, 'p99'),
    Number(ratio(r.inProcess, r.inProcessModel, 'p50')) < Number(ratio(r.langchain, r.langchainModel, 'p50')) ? 'yes' : 'NO',
  ]),
);
console.log(`load average at end: ${load()}`);
