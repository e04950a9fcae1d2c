// The scale-out shape on real parts, on one machine (README §Scale-out): PgBouncer (transaction
// pooling) in front of a fresh database on the PostgreSQL server of TEST_DATABASE_URL, two replicas
// of the service (src/main.ts, as `npm start`) through it with DATABASE_POOL_MODE=transaction and a
// direct DATABASE_LISTEN_URL, HAProxy in front of them. Checks, each a line PASS/FAIL:
//   1. load through HAProxy: every turn 200, no errors;
//   2. a staff reply sent on replica A reaches the shopper's live stream open on replica B;
//   3. the reminder and settlement jobs, running on both replicas, plan, deliver and settle each item once;
//   4. kill -9 of replica B mid-load: every turn answered 200 is in the database afterwards, and
//      HAProxy keeps serving from A.
// And the cost of the pooler: the same load on one replica directly on PostgreSQL (named prepared
// statements) and on one through PgBouncer (none), side by side. Everything it starts it stops;
// exit code 1 when a check fails. Run by scripts/cluster.sh, which installs haproxy and pgbouncer.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSecondsOfPid } from '../bench/lib/machine.ts';
import { createTokenIssuer, type TokenIssuer } from '../src/auth/tokens.ts';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { hnswDefaultsSql, openPg } from '../src/db/pg.ts';
import { DEMO_SHOP_ID, findShopperIdByOpenid } from '../src/demo/index.ts';
import { prepareDemoShop } from '../src/demo/prepare.ts';
import { createEmbedder } from '../src/embed/index.ts';
import { createReferralOrder, createReferralShop, createReferralShopper, deliverOrder, payOrder } from '../tests/db/referralFixtures.ts';
import { openStream } from '../tests/helpers/sse.ts';
import { createDatabase, freePort, runSql, startPgBouncer, type PgBouncer } from './lib/pgbouncer.ts';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '15' },
    shoppers: { type: 'string', default: '60' },
  },
});
const CONNECTIONS = Number(args.connections);
const DURATION_S = Number(args.duration);
const SHOPPERS = Number(args.shoppers);
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/laotie_test';
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const CASES_DIR = fileURLToPath(new URL('../evals/cases/', import.meta.url));
const REWARD_ORDERS = 20;
const DEADLINE_S = 270;

const results: { name: string; ok: boolean; detail: string }[] = [];
function check(name: string, ok: boolean, detail: string): void {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
}
const say = (line: string) => console.log(`[cluster] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Shopper messages from the eval set (single turns), as bench/load.ts sends them. */
function messages(): string[] {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(join(CASES_DIR, f), 'utf8').split('\n').filter((l) => l.trim()))
    .map((l) => JSON.parse(l) as { turns: { user: string }[] })
    .filter((c) => c.turns.length === 1)
    .map((c) => c.turns[0]!.user);
}

interface Replica {
  name: string;
  url: string;
  proc: ChildProcess;
  lines: string[];
  exited: Promise<void>;
}

async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const proc = spawn(process.execPath, [...process.execArgv, MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let pending = '';
  const onOutput = (chunk: Buffer) => {
    const parts = (pending + chunk.toString('utf8')).split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  };
  proc.stdout!.on('data', onOutput);
  proc.stderr!.on('data', onOutput);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const m = lines.map((l) => /Laotie is serving on (\S+)/.exec(l)).find(Boolean);
    if (m) return { name, url: m[1]!, proc, lines, exited };
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`replica ${name} did not start:\n${lines.slice(-20).join('\n')}`);
    }
    await sleep(100);
  }
}

async function stopReplica(r: Replica): Promise<void> {
  if (r.proc.exitCode !== null || r.proc.signalCode !== null) return;
  r.proc.kill('SIGTERM');
  const force = setTimeout(() => r.proc.kill('SIGKILL'), 10_000);
  await r.exited;
  clearTimeout(force);
}

const logged = (r: Replica, msg: string) =>
  r.lines.flatMap((l) => {
    try {
      const j = JSON.parse(l) as Record<string, unknown>;
      return j.msg === msg ? [j] : [];
    } catch {
      return [];
    }
  });

async function startHaproxy(dir: string, backends: Replica[]): Promise<{ url: string; proc: ChildProcess; exited: Promise<void> }> {
  const port = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    [
      'global',
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  timeout check 5s',
      // The live streams are long: a tunnel (SSE) lives on past the request timeouts.
      '  timeout tunnel 1h',
      // A request that never reached a replica (connection refused: the replica is gone) goes to the
      // other one; one that did is not replayed (a turn is not idempotent).
      '  retries 3',
      '  option redispatch',
      '  retry-on conn-failure',
      'frontend laotie',
      `  bind 127.0.0.1:${port}`,
      '  default_backend replicas',
      'backend replicas',
      '  balance roundrobin',
      // Liveness, not /readyz: a replica whose pool is busy for 2 s answers "not ready", and under a
      // load that saturates every replica's pool that would take them all out at once. A replica
      // that is gone refuses the connection, and the check takes it out within a second.
      '  option httpchk GET /healthz',
      '  http-check expect status 200',
      ...backends.map((b) => {
        const u = new URL(b.url);
        return `  server ${b.name} ${u.hostname}:${u.port} check inter 500 fall 2 rise 2`;
      }),
      '',
    ].join('\n'),
  );
  const proc = spawn('haproxy', ['-f', cfg, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return { url, proc, exited };
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`HAProxy did not start: ${err}`);
    await sleep(100);
  }
}

/** autocannon's closed loop: `connections` shoppers, each its own token, fresh single-turn conversations. */
async function chatLoad(url: string, tokens: string[], msgs: string[], connections: number, durationS: number, pids: number[] = []) {
  const cpu = () => pids.reduce((s, pid) => s + (cpuSecondsOfPid(pid) ?? 0), 0);
  const cpuBefore = cpu();
  let n = 0;
  const r = await autocannon({
    url: `${url}/v1/chat`,
    connections,
    duration: durationS,
    timeout: 30,
    setupClient(client) {
      const token = tokens[n++ % tokens.length]!;
      let next = (n * 31) % msgs.length;
      client.setRequests([
        {
          method: 'POST',
          path: '/v1/chat',
          setupRequest: (req) => ({
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ message: msgs[next++ % msgs.length] }),
          }),
        },
      ]);
    },
  });
  const cpuSeconds = cpu() - cpuBefore;
  return {
    turns: r['2xx'],
    perSecond: r['2xx'] / r.duration,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    p50: r.latency.p50,
    p99: r.latency.p99,
    perCpuSecond: pids.length ? r['2xx'] / Math.max(cpuSeconds, 0.01) : null,
  };
}
type LoadFigures = Awaited<ReturnType<typeof chatLoad>>;
const figures = (f: LoadFigures) =>
  `${f.turns} turns, ${f.perSecond.toFixed(1)} turns/s${f.perCpuSecond === null ? '' : ` (${f.perCpuSecond.toFixed(1)} per CPU-second of the service and pooler)`}, ` +
  `p50 ${f.p50} ms, p99 ${f.p99} ms, errors ${f.errors}, non-2xx ${f.non2xx}`;

/**
 * Our own loop for the kill: every answer is read, so every conversation acknowledged with a 200 is
 * known and can be looked for in the database afterwards.
 */
async function ackedLoad(url: string, tokens: string[], msgs: string[], workers: number, durationMs: number, onTick: (elapsed: number) => void) {
  const acked: string[] = [];
  const statuses = new Map<string, number>();
  const t0 = Date.now();
  const ticker = setInterval(() => onTick(Date.now() - t0), 100);
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      let i = w * 7;
      while (Date.now() - t0 < durationMs) {
        const token = tokens[(w + i) % tokens.length]!;
        let key: string;
        try {
          const res = await fetch(`${url}/v1/chat`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ message: msgs[i++ % msgs.length] }),
            signal: AbortSignal.timeout(30_000),
          });
          key = String(res.status);
          const body = await res.text();
          if (res.status === 200) {
            const id = (JSON.parse(body) as { conversationId?: string }).conversationId;
            if (id) acked.push(id);
            else key = '200 without a conversation';
          }
        } catch (e) {
          // fetch's TypeError: the connection was cut before an answer (the killed replica's turns).
          key = (e as Error).name === 'TypeError' ? 'cut' : (e as Error).name;
        }
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    }),
  );
  clearInterval(ticker);
  return { acked, statuses };
}

async function main(): Promise<void> {
  const started = performance.now();
  say(`load average at start: ${load()}`);
  const dir = mkdtempSync(join(tmpdir(), 'laotie-cluster-'));
  const name = `laotie_cluster_${randomBytes(4).toString('hex')}`;
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => say(`cleanup: ${(e as Error).message}`));
    cleanups.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: tearing down`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  // Bounded: a run that hangs fails and still stops what it started (cluster.sh's own bound is 300 s).
  setTimeout(() => {
    check('cluster run', false, `not done within ${DEADLINE_S} s`);
    void cleanup().finally(() => process.exit(1));
  }, DEADLINE_S * 1000).unref();
  try {
    // The database, set up as the README's recipe says: pgvector, and the search settings as the
    // database's defaults (a transaction pooler passes no per-connection settings).
    const database = await createDatabase(PG_URL, name);
    cleanups.push(() => database.drop());
    await runSql(database.url, hnswDefaultsSql(name));
    const bouncer: PgBouncer = await startPgBouncer(PG_URL, { poolSize: 20 });
    cleanups.push(() => bouncer.stop());
    say(`PgBouncer 1.18 (transaction pooling, 20 server connections) on port ${bouncer.port}; database ${name}`);

    const secret = randomBytes(32).toString('base64url');
    const baseEnv: Record<string, string> = {
      ...(Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(OPENAI_|DATABASE_)/.test(k))) as Record<string, string>),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dir,
      AUTH_SECRET: secret,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      RATE_LIMIT_SHOPPER_PER_MIN: '0',
      RATE_LIMIT_IP_PER_MIN: '0',
      REMINDERS_SCHEDULER: 'true',
      SETTLEMENT_SCHEDULER: 'true',
    };
    const pooledEnv = { ...baseEnv, DATABASE_URL: bouncer.url(name), DATABASE_POOL_MODE: 'transaction', DATABASE_LISTEN_URL: database.url };

    // Seeded once, directly: the demo shop, tokens, and a second shop whose rewards are due.
    let t = performance.now();
    const tokens = createTokenIssuer(secret);
    const seed = await seedData(database.url, tokens);
    const before = await reminderCounts(database.url);
    say(`seeded the demo shop and ${REWARD_ORDERS} due rewards in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    const [a, b] = await Promise.all([startReplica('a', pooledEnv), startReplica('b', pooledEnv)]);
    cleanups.push(() => stopReplica(a!), () => stopReplica(b!));
    const haproxy = await startHaproxy(dir, [a!, b!]);
    cleanups.push(async () => {
      haproxy.proc.kill('SIGTERM');
      await haproxy.exited;
    });
    say(`replicas ${a!.url} and ${b!.url} behind HAProxy ${haproxy.url}, up in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const msgs = messages();

    // 1. Load through HAProxy.
    const through = await chatLoad(haproxy.url, seed.shopperTokens, msgs, CONNECTIONS, DURATION_S);
    check(`load through HAProxy (${CONNECTIONS} shoppers × ${DURATION_S} s)`, through.turns > 0 && through.errors === 0 && through.non2xx === 0, figures(through));
    const served = [a!, b!].map((r) => r.lines.filter((l) => l.includes('"path":"/v1/chat"')).length);
    say(`turns logged per replica: a ${served[0]}, b ${served[1]}`);

    // 2. A staff reply on A reaches the shopper's stream on B.
    await checkLiveAcross(a!, b!, seed);

    // 3. The jobs on both replicas: each item once.
    await checkJobsOnce(database.url, [a!, b!], seed.rewardShop, before);

    // 4. kill -9 of B mid-load.
    let killed = false;
    const kill = await ackedLoad(haproxy.url, seed.shopperTokens, msgs, 20, 10_000, (elapsed) => {
      if (!killed && elapsed > 4_000) {
        killed = true;
        b!.proc.kill('SIGKILL');
      }
    });
    await b!.exited;
    const missing = await countMissing(database.url, kill.acked);
    const after = await Promise.all(Array.from({ length: 10 }, (_, i) => postTurn(haproxy.url, seed.shopperTokens[i]!, msgs[i]!)));
    const statusLine = [...kill.statuses].map(([k, v]) => `${k}×${v}`).join(', ');
    check(
      'kill -9 of replica b mid-load loses no acknowledged turn',
      kill.acked.length > 0 && missing === 0,
      `${kill.acked.length} turns answered 200, ${missing} of them missing from the database; answers during the run: ${statusLine}`,
    );
    check('HAProxy keeps serving from replica a after the kill', after.every((s) => s === 200), `10 turns after the kill: ${after.join(' ')}`);

    // The pooler's cost: one replica directly on PostgreSQL (prepared statements) vs one through PgBouncer (none).
    await stopReplica(a!);
    // Without the jobs: their start-up runs would weigh on one side of the comparison.
    const noJobs = { REMINDERS_SCHEDULER: 'false', SETTLEMENT_SCHEDULER: 'false' };
    const direct = await startReplica('direct', { ...baseEnv, ...noJobs, DATABASE_URL: database.url });
    const pooled = await startReplica('pooled', { ...pooledEnv, ...noJobs });
    cleanups.push(() => stopReplica(direct), () => stopReplica(pooled));
    // Alternated (direct, pooled, pooled, direct) so that a machine growing busier or quieter during
    // the run weighs on both alike; turns per CPU-second of the service (and of PgBouncer, for the
    // pooled one) is the figure a shared machine disturbs least. Fewer shoppers than above: one replica.
    const half = Math.max(5, Math.round(DURATION_S * 0.75));
    const shoppers = Math.max(1, Math.round(CONNECTIONS / 2));
    // Each warmed first, one after the other: a replica's first loaded seconds are its compiler's and
    // caches', not its database's (a first run measured a fifth of the next one's turns per CPU-second).
    for (const r of [direct, pooled]) await chatLoad(r.url, seed.shopperTokens, msgs, shoppers, 6);
    const runs: { via: 'direct' | 'pooled'; f: LoadFigures }[] = [];
    for (const via of ['direct', 'pooled', 'pooled', 'direct'] as const) {
      const [target, pids] = via === 'direct' ? [direct, [direct.proc.pid!]] : [pooled, [pooled.proc.pid!, bouncer.pid]];
      runs.push({ via, f: await chatLoad(target.url, seed.shopperTokens, msgs, shoppers, half, pids) });
    }
    for (const { via, f } of runs) {
      say(`one replica ${via === 'direct' ? 'directly on PostgreSQL, named prepared statements' : 'through PgBouncer, unnamed statements          '}: ${figures(f)}`);
    }
    const mean = (via: string, of: (f: LoadFigures) => number) => runs.filter((r) => r.via === via).reduce((s, r) => s + of(r.f), 0) / 2;
    const directMean = mean('direct', (f) => f.perSecond);
    const pooledMean = mean('pooled', (f) => f.perSecond);
    const directCpu = mean('direct', (f) => f.perCpuSecond ?? 0);
    const pooledCpu = mean('pooled', (f) => f.perCpuSecond ?? 0);
    const viaPooler = { perSecond: pooledMean };
    say(
      `cost of the pooler and unnamed statements (pooled ÷ direct): turns/s ${(pooledMean / directMean).toFixed(3)} (direct ${directMean.toFixed(1)}, pooled ${pooledMean.toFixed(1)}), ` +
        `turns per CPU-second ${(pooledCpu / directCpu).toFixed(3)} (direct ${directCpu.toFixed(1)}, pooled ${pooledCpu.toFixed(1)}); ${shoppers} shoppers, ${half} s each run, load average ${load()}`,
    );
    console.log(
      `CLUSTER_RESULT ${JSON.stringify({
        haproxyTurnsPerS: Math.round(through.perSecond * 10) / 10,
        haproxyErrors: through.errors + through.non2xx,
        directTurnsPerS: Math.round(directMean * 10) / 10,
        pooledTurnsPerS: Math.round(viaPooler.perSecond * 10) / 10,
        directTurnsPerCpuS: Math.round(directCpu * 10) / 10,
        pooledTurnsPerCpuS: Math.round(pooledCpu * 10) / 10,
        killAcked: kill.acked.length,
        killMissing: missing,
        loadAverage: load(),
      })}`,
    );
  } catch (e) {
    check('cluster run', false, (e as Error).stack ?? String(e));
  } finally {
    await cleanup();
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed  (${((performance.now() - started) / 1000).toFixed(0)} s, load average ${load()})`);
  process.exit(failed ? 1 : 0);
}

interface Seed {
  shopperTokens: string[];
  shopperIds: number[];
  staffToken: string;
  rewardShop: string;
}

async function seedData(url: string, tokens: TokenIssuer): Promise<Seed> {
  const db = await openPg(url, { poolSize: 4 });
  try {
    await migrate(db);
    await prepareDemoShop(db, createEmbedder(loadConfig({})), new Date());
    const shopperIds: number[] = [];
    for (let i = 1; i <= SHOPPERS; i++) {
      const id = await findShopperIdByOpenid(db, DEMO_SHOP_ID, `demo-openid-${String(i).padStart(4, '0')}`);
      if (id !== null) shopperIds.push(id);
    }
    // A shop with rewards whose return window passed long ago: due at its first settlement run.
    const shop = await createReferralShop(db, { returnWindowDays: 7 });
    const boss = await createReferralShopper(db, shop.id, { identity: 'boss' });
    const agent = await createReferralShopper(db, shop.id, { identity: 'agent', referrerId: boss });
    const longAgo = new Date(Date.now() - 30 * 86_400_000);
    for (let i = 0; i < REWARD_ORDERS; i++) {
      const buyer = await createReferralShopper(db, shop.id, { referrerId: agent });
      const o = await createReferralOrder(db, shop, { buyerId: buyer, payFen: 10_000, createdAt: longAgo });
      await payOrder(db, shop.id, o, longAgo);
      await deliverOrder(db, shop.id, o, new Date(longAgo.getTime() + 86_400_000));
    }
    // Every shop's clock at about 13:00 today, past the reminders' 08:00 and the settlement's 02:00,
    // outside the quiet hours: both jobs run their day as each replica starts (their catch-up).
    const offset = Math.max(-12, Math.min(14, 13 - new Date().getUTCHours()));
    const zone = offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    await db.query('UPDATE shops SET timezone = $1', [zone]);
    // The seed planned and delivered the demo shop's reminders of today already: gone, so that the
    // replicas' own runs plan and deliver the day.
    await db.query("DELETE FROM messages WHERE shop_id = $1 AND meta->>'kind' = 'reminder'", [DEMO_SHOP_ID]);
    await db.query('DELETE FROM reminders WHERE shop_id = $1', [DEMO_SHOP_ID]);
    return {
      shopperIds,
      shopperTokens: await Promise.all(shopperIds.map((id) => tokens.mint({ role: 'shopper', shopId: DEMO_SHOP_ID, shopperId: id }, 3600))),
      staffToken: await tokens.mint({ role: 'staff', shopId: DEMO_SHOP_ID, staffId: 's1' }, 3600),
      rewardShop: shop.id,
    };
  } finally {
    await db.close();
  }
}

async function postTurn(url: string, token: string, message: string): Promise<number> {
  try {
    const res = await fetch(`${url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ message }),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function post(url: string, token: string, body: unknown): Promise<Record<string, any>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, any>;
}

async function checkLiveAcross(a: Replica, b: Replica, seed: Seed): Promise<void> {
  // The last seeded shopper: not one the load used for a turn just now that could be in a hand-off.
  const shopperToken = seed.shopperTokens[seed.shopperTokens.length - 1]!;
  const turn = await post(`${a.url}/v1/chat`, shopperToken, { message: '我要找人工客服' });
  const ticketId = turn.handoff?.ticketId as number | undefined;
  if (!ticketId) return check('a staff reply on replica a reaches the shopper on replica b', false, `no hand-off ticket: ${JSON.stringify(turn).slice(0, 200)}`);
  const stream = openStream(b.url, shopperToken);
  try {
    await stream.until((e) => e.event === 'ready');
    const text = `您好，人工客服为您服务 ${randomBytes(3).toString('hex')}`;
    await post(`${a.url}/v1/staff/tickets/${ticketId}/claim`, seed.staffToken, {});
    const sent = performance.now();
    await post(`${a.url}/v1/staff/tickets/${ticketId}/reply`, seed.staffToken, { text });
    const seen = await Promise.race([
      stream.until((e) => e.event === 'message' && (e.data as any)?.payload?.content === text),
      sleep(10_000).then(() => null),
    ]);
    check(
      'a staff reply on replica a reaches the shopper on replica b',
      seen !== null,
      seen ? `in ${(performance.now() - sent).toFixed(0)} ms (LISTEN on the direct URL, NOTIFY through PgBouncer)` : 'not within 10 s',
    );
  } finally {
    stream.close();
  }
}

type ReminderCounts = { reminders: number; sent: number; pending: number; messages: number; distinct_outbox: number };

async function reminderCounts(url: string): Promise<ReminderCounts> {
  const db = await openPg(url, { poolSize: 1 });
  try {
    const { rows } = await db.query<ReminderCounts>(
      `SELECT (SELECT count(*)::int FROM reminders WHERE shop_id = $1) AS reminders,
              (SELECT count(*)::int FROM reminder_outbox WHERE shop_id = $1 AND channel = 'in_card' AND state = 'sent') AS sent,
              (SELECT count(*)::int FROM reminder_outbox WHERE shop_id = $1 AND state IN ('pending', 'failed')) AS pending,
              (SELECT count(*)::int FROM messages WHERE shop_id = $1 AND meta->>'kind' = 'reminder') AS messages,
              (SELECT count(DISTINCT meta->>'outboxId')::int FROM messages WHERE shop_id = $1 AND meta->>'kind' = 'reminder') AS distinct_outbox`,
      [DEMO_SHOP_ID],
    );
    return rows[0]!;
  } finally {
    await db.close();
  }
}

async function checkJobsOnce(url: string, replicas: Replica[], rewardShop: string, before: ReminderCounts): Promise<void> {
  const db = await openPg(url, { poolSize: 2 });
  try {
    // Each replica ran both jobs' day on start; the outbox workers deliver within a few seconds.
    const deadline = Date.now() + 60_000;
    let settledRuns: Record<string, unknown>[] = [];
    let plannedRuns: Record<string, unknown>[] = [];
    let due = 0;
    for (;;) {
      settledRuns = replicas.flatMap((r) => logged(r, 'rewards settled')).filter((l) => l.shop === rewardShop);
      plannedRuns = replicas.flatMap((r) => logged(r, 'reminders planned')).filter((l) => l.shop === DEMO_SHOP_ID);
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM reminder_outbox WHERE state IN ('pending', 'failed') AND next_attempt_at <= now()",
      );
      due = rows[0]!.n;
      if ((settledRuns.length >= 2 && plannedRuns.length >= 2 && due === 0) || Date.now() > deadline) break;
      await sleep(500);
    }
    const { rows: rewards } = await db.query<{ state: string; n: number }>(
      'SELECT state, count(*)::int AS n FROM reward_ledger WHERE shop_id = $1 GROUP BY state',
      [rewardShop],
    );
    const settledRows = rewards.find((r) => r.state === 'settled')?.n ?? 0;
    const allRows = rewards.reduce((s, r) => s + r.n, 0);
    const settledByRuns = settledRuns.reduce((s, l) => s + Number(l.settled), 0);
    check(
      'settlement on both replicas settles each reward once',
      settledRuns.length === 2 && allRows > 0 && settledRows === allRows && settledByRuns === allRows,
      `${settledRuns.length} runs settled ${settledRuns.map((l) => l.settled).join(' + ')} = ${settledByRuns} rewards; ledger: ${settledRows} of ${allRows} rows settled`,
    );
    const r = await reminderCounts(url);
    const plannedByRuns = plannedRuns.reduce((s, l) => s + Number(l.planned), 0);
    check(
      'reminders on both replicas plan and deliver each reminder once',
      plannedRuns.length === 2 &&
        plannedByRuns > 0 &&
        plannedByRuns === r.reminders - before.reminders &&
        r.sent > before.sent &&
        r.messages === r.sent &&
        r.distinct_outbox === r.messages,
      `${plannedRuns.length} runs planned ${plannedRuns.map((l) => l.planned).join(' + ')} = ${plannedByRuns} (new rows: ${r.reminders - before.reminders}); ` +
        `in-card deliveries sent ${r.sent - before.sent} (${r.sent} in all), card messages ${r.messages} for ${r.distinct_outbox} outbox rows; ` +
        `still due ${due}, not yet due ${r.pending - due}`,
    );
  } finally {
    await db.close();
  }
}

async function countMissing(url: string, conversationIds: string[]): Promise<number> {
  const db = await openPg(url, { poolSize: 1 });
  try {
    // An acknowledged turn is its conversation with the shopper's message and the answer.
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unnest($1::text[]) AS c(id)
        WHERE (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id::uuid) < 2`,
      [conversationIds],
    );
    return rows[0]!.n;
  } finally {
    await db.close();
  }
}

await main();
