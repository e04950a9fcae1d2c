// npm run bench:load -- [--connections 200] [--duration 60] [--driver both|pglite|pg] [--timeout 60]
// npm run bench:load -- --open [--rate 100] [--duration 60] [--driver pg]      (open loop, see below)
//   [--cpu-prof DIR]  the server runs under node --cpu-prof and writes its profile into DIR on stop
//                     (summarise it with `npx tsx scripts/cpu-profile-summary.ts DIR/*.cpuprofile`)
// Many shoppers at once: autocannon on loopback against the real service (src/main.ts in a child
// process, offline model, no OPENAI_API_KEY), each connection a different demo shopper with its
// own token, each request a single-turn shopper message from the eval set (evals/cases/*.jsonl, all
// intents mixed) as a fresh conversation. Prints turns/s, p50/p99 latency, errors, non-2xx and the
// server's error log lines (a turn that failed still answers 200), and the server's peak RSS and
// CPU seconds; a BENCH_RESULT line per driver for `npm run bench`.
//
// Rate limits are OFF for this run (RATE_LIMIT_SHOPPER_PER_MIN=0, RATE_LIMIT_IP_PER_MIN=0): every
// connection comes from 127.0.0.1, so the per-IP limit would turn this into a test of 429s.
// PGlite runs file-backed in a temporary DATA_DIR, as the service does; PostgreSQL runs in a fresh
// database on BENCH_DATABASE_URL / TEST_DATABASE_URL / the local test server, dropped at the end.
// The demo shop is seeded here before the server starts (the server finds it and skips seeding),
// so that the shoppers' ids can be read and their tokens minted, as `npm run token` does.
//
// With --rate the load is an OPEN loop instead (bench/lib/openLoop.ts): turns arrive at that fixed
// rate for --duration seconds whatever the server does, each to the next shopper in turn, and their
// latency is measured from the time each was scheduled to leave, so that queueing counts. It reports
// p50/p99/max, errors and the rate achieved; its target is p99 ≤ 300 ms and no errors at 100 turns/s.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTokenIssuer } from '../src/auth/tokens.ts';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDb } from '../src/db/open.ts';
import { DEMO_SHOP_ID, findShopperIdByOpenid } from '../src/demo/index.ts';
import { prepareDemoShop } from '../src/demo/prepare.ts';
import { createEmbedder } from '../src/embed/index.ts';
import { createDatabase } from '../scripts/lib/pgbouncer.ts';
import { startChildServer, type ChildServer } from './lib/childServer.ts';
import { loadAverage } from './lib/machine.ts';
import { runOpenLoop } from './lib/openLoop.ts';
import { emitResult } from './lib/result.ts';
import { BENCH_PG_URL } from './lib/pgUrl.ts';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '200' },
    duration: { type: 'string', default: '60' },
    driver: { type: 'string' },
    // Seconds before a turn counts as a timeout: 60, the mini-program client's own default (wx.request).
    timeout: { type: 'string', default: '60' },
    open: { type: 'boolean', default: false },
    rate: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
// --open alone is 100 turns/s; --rate N implies --open.
const OPEN_RATE = args.rate !== undefined ? Number(args.rate) : args.open ? 100 : null;
if (OPEN_RATE !== null && !(OPEN_RATE > 0)) throw new Error(`--rate must be a positive number of turns per second, not ${args.rate}`);
const OPEN_P99_TARGET_MS = 300;
const CONNECTIONS = Number(args.connections);
const DURATION_S = Number(args.duration);
const TIMEOUT_S = Number(args.timeout);
const PG_URL = BENCH_PG_URL;
const CASES_DIR = fileURLToPath(new URL('../evals/cases/', import.meta.url));
const SEEDED_SHOPPERS = 240;

interface ShopperMessage {
  intent: string;
  message: string;
}

/** Every single-turn case of the eval set, in a fixed shuffled order so that intents interleave. */
function evalMessages(): ShopperMessage[] {
  const all = readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(join(CASES_DIR, f), 'utf8').split('\n').filter((l) => l.trim()))
    .map((l) => JSON.parse(l) as { intent: string; turns: { user: string }[] })
    .filter((c) => c.turns.length === 1)
    .map((c) => ({ intent: c.intent, message: c.turns[0]!.user }));
  if (!all.length) throw new Error(`no single-turn cases in ${CASES_DIR}`);
  // A multiplicative stride co-prime with the length: a deterministic shuffle.
  const stride = [7919, 104729, 1299709].find((p) => all.length % p !== 0)!;
  return all.map((_, i) => all[(i * stride) % all.length]!);
}

/** The demo shop and every seeded shopper's token, written before the server opens the database. */
async function prepare(env: Record<string, string>, wanted: number): Promise<string[]> {
  const config = loadConfig(env);
  const db = await openDb(config);
  const ids: number[] = [];
  try {
    await migrate(db);
    await prepareDemoShop(db, createEmbedder(config), new Date());
    for (let i = 1; i <= Math.min(wanted, SEEDED_SHOPPERS); i++) {
      const id = await findShopperIdByOpenid(db, DEMO_SHOP_ID, `demo-openid-${String(i).padStart(4, '0')}`);
      if (id !== null) ids.push(id);
    }
  } finally {
    await db.close();
  }
  if (!ids.length) throw new Error('no demo shoppers were seeded');
  const tokens = createTokenIssuer(env.AUTH_SECRET!);
  return Promise.all(ids.map((id) => tokens.mint({ shopId: DEMO_SHOP_ID, role: 'shopper', shopperId: id }, 24 * 3600)));
}

async function runDriver(driver: 'pglite' | 'pg', messages: ShopperMessage[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'laotie-bench-load-'));
  const database = driver === 'pg' ? await createDatabase(PG_URL, `laotie_bench_load_${randomBytes(4).toString('hex')}`) : null;
  // The server's environment: the parent's, without a model key (offline model) and with ours.
  const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _base, DATABASE_URL: _db, ...inherited } = process.env;
  const env: Record<string, string> = {
    ...(Object.fromEntries(Object.entries(inherited).filter(([, v]) => v !== undefined)) as Record<string, string>),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_SHOPPER_PER_MIN: '0',
    RATE_LIMIT_IP_PER_MIN: '0',
    ...(database ? { DATABASE_URL: database.url } : {}),
  };
  try {
    let t = performance.now();
    const tokens = await prepare(env, OPEN_RATE === null ? CONNECTIONS : SEEDED_SHOPPERS);
    console.log(`[${driver}] demo shop seeded and ${tokens.length} shopper tokens minted in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    const profileDir = args['cpu-prof'];
    const server = await startChildServer(env, profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {});
    console.log(`[${driver}] server pid ${server.pid} ready at ${server.url} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    try {
      if (OPEN_RATE !== null) return await openLoop(driver, server, tokens, messages, OPEN_RATE);
      const cpuBefore = server.cpuSeconds() ?? 0;
      const timesBefore = server.cpuTimes();
      const loadBefore = loadAverage();
      let nextClient = 0;
      const result = await autocannon({
        url: `${server.url}/v1/chat`,
        connections: CONNECTIONS,
        duration: DURATION_S,
        timeout: TIMEOUT_S,
        // Each connection is one shopper (its own token), walking the mix from its own offset.
        setupClient(client) {
          const n = nextClient++;
          const token = tokens[n % tokens.length]!;
          let next = (n * 31) % messages.length;
          client.setRequests([
            {
              method: 'POST',
              path: '/v1/chat',
              setupRequest: (req) => {
                const { message } = messages[next++ % messages.length]!;
                return {
                  ...req,
                  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                  body: JSON.stringify({ message }),
                };
              },
            },
          ]);
        },
      });
      const serverCpu = (server.cpuSeconds() ?? cpuBefore) - cpuBefore;
      const peakRssMb = server.peakRssMb();
      // A turn that failed inside a 200 (the shopper got the apology) is logged at error level.
      const serverErrors = server.errorLines().length;
      const turns = result['2xx'];
      const perSecond = turns / result.duration;
      const errors = result.errors; // connection errors, timeouts included
      console.log(
        `[${driver}] ${CONNECTIONS} shoppers × ${result.duration.toFixed(0)} s: ${turns} turns (${perSecond.toFixed(1)}/s, ` +
          `${(turns / Math.max(serverCpu, 0.01)).toFixed(1)} per server CPU-second, ${cpuSplit(timesBefore, server.cpuTimes())}); latency p50 ${result.latency.p50} ms, ` +
          `p99 ${result.latency.p99} ms, max ${result.latency.max} ms; errors ${errors} (timeouts ${result.timeouts}), ` +
          `non-2xx ${result.non2xx}, server error log lines ${serverErrors}; server peak RSS ${peakRssMb ?? '?'} MB; ` +
          `load average ${loadBefore} → ${loadAverage()}`,
      );
      for (const line of server.errorLines().slice(0, 3)) console.log(`[${driver}]   server error: ${line.slice(0, 300)}`);
      const zero = (name: string, value: number) => ({ name, value, target: '0', met: value === 0 });
      emitResult({
        bench: 'load',
        driver,
        figures: [
          { name: `turns/s (${CONNECTIONS} shoppers, ${DURATION_S} s)`, value: Math.round(perSecond * 10) / 10 },
          { name: 'turns per server CPU-second', value: Math.round((turns / Math.max(serverCpu, 0.01)) * 10) / 10 },
          { name: 'latency p50', value: result.latency.p50, unit: 'ms' },
          { name: 'latency p99', value: result.latency.p99, unit: 'ms' },
          zero('errors + timeouts', errors),
          zero('non-2xx', result.non2xx),
          zero('server error log lines (turns failed inside a 200)', serverErrors),
        ],
        peakRssMb: peakRssMb ?? undefined,
        note: 'server process RSS; rate limits off',
      });
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  }
}

/** The server's CPU in user and kernel time over a run, e.g. "user 41.2 s + system 12.0 s". */
function cpuSplit(before: { user: number; system: number } | null, after: { user: number; system: number } | null): string {
  if (!before || !after) return 'user/system unknown';
  return `user ${(after.user - before.user).toFixed(1)} s + system ${(after.system - before.system).toFixed(1)} s`;
}

/** The open loop against a started server: one BENCH_RESULT line (bench `load-open`). */
async function openLoop(driver: 'pglite' | 'pg', server: ChildServer, tokens: string[], messages: ShopperMessage[], rate: number): Promise<void> {
  const cpuBefore = server.cpuSeconds() ?? 0;
  const timesBefore = server.cpuTimes();
  const loadBefore = loadAverage();
  const r = await runOpenLoop({
    origin: server.url,
    rate,
    durationS: DURATION_S,
    timeoutS: TIMEOUT_S,
    request: (i) => ({
      path: '/v1/chat',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]!}` },
      body: JSON.stringify({ message: messages[i % messages.length]!.message }),
    }),
  });
  const serverCpu = (server.cpuSeconds() ?? cpuBefore) - cpuBefore;
  const serverErrors = server.errorLines().length;
  console.log(
    `[${driver}] open loop, ${rate} turns/s scheduled × ${DURATION_S} s: ${r.ok} of ${r.scheduled} answered 2xx (achieved ${r.achievedRate}/s, ` +
      `${(r.ok / Math.max(serverCpu, 0.01)).toFixed(1)} per server CPU-second, ${cpuSplit(timesBefore, server.cpuTimes())}); latency from the scheduled send p50 ${r.latency.p50} ms, ` +
      `p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; errors + timeouts ${r.errors}, non-2xx ${r.non2xx}, ` +
      `server error log lines ${serverErrors}; the generator's own worst send lag ${r.maxSendLagMs} ms; ` +
      `server peak RSS ${server.peakRssMb() ?? '?'} MB; load average ${loadBefore} → ${loadAverage()}`,
  );
  for (const line of server.errorLines().slice(0, 3)) console.log(`[${driver}]   server error: ${line.slice(0, 300)}`);
  for (const [kind, n] of Object.entries(r.errorKinds)) console.log(`[${driver}]   client error × ${n}: ${kind}`);
  for (const [kind, n] of Object.entries(r.non2xxKinds)) console.log(`[${driver}]   answered × ${n}: ${kind}`);
  const zero = (name: string, value: number) => ({ name, value, target: '0', met: value === 0 });
  emitResult({
    bench: 'load-open',
    driver,
    figures: [
      { name: `achieved turns/s (${rate}/s scheduled, ${DURATION_S} s)`, value: r.achievedRate },
      { name: 'latency p50 from scheduled send', value: r.latency.p50, unit: 'ms' },
      {
        name: 'latency p99 from scheduled send',
        value: r.latency.p99,
        unit: 'ms',
        target: `≤ ${OPEN_P99_TARGET_MS}`,
        met: r.latency.p99 <= OPEN_P99_TARGET_MS && r.ok === r.scheduled,
      },
      { name: 'latency max from scheduled send', value: r.latency.max, unit: 'ms' },
      zero('errors + timeouts + non-2xx', r.errors + r.non2xx),
      zero('server error log lines (turns failed inside a 200)', serverErrors),
      { name: 'turns per server CPU-second', value: Math.round((r.ok / Math.max(serverCpu, 0.01)) * 10) / 10 },
    ],
    peakRssMb: server.peakRssMb() ?? undefined,
    note: 'open loop, latency from each turn\'s scheduled send time; rate limits off',
  });
}

// The closed loop measures both drivers; the open loop's target is PostgreSQL's.
const driverArg = args.driver ?? (OPEN_RATE !== null ? 'pg' : 'both');
const drivers = driverArg === 'both' ? (['pglite', 'pg'] as const) : [driverArg];
const messages = evalMessages();
console.log(
  (OPEN_RATE !== null ? `load bench, open loop: ${OPEN_RATE} turns/s scheduled` : `load bench: ${CONNECTIONS} concurrent shoppers`) +
  ` for ${DURATION_S} s per driver, ${messages.length} single-turn eval messages ` +
    `(${new Set(messages.map((m) => m.intent)).size} intents), offline model, rate limits off; load average ${loadAverage()}`,
);
for (const driver of drivers) {
  if (driver !== 'pglite' && driver !== 'pg') throw new Error(`--driver must be pglite, pg or both, not ${driver}`);
  await runDriver(driver, messages);
}
