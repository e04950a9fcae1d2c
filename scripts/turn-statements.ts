// npx tsx scripts/turn-statements.ts [--turns 6] [--pg URL] [--eval [--rounds 3]]
// The SQL statements one chat turn sends, counted and listed: the demo shop on an in-memory PGlite
// (or a fresh schema on --pg), the whole app called in-process, a few shopper messages of different
// intents, each turn's statements printed with their first line. What a turn costs in round trips
// is what the load benchmark's server pays for in socket writes and protocol parsing. --eval runs
// every single-turn message of the eval set instead (what bench:load sends) and prints the average
// and the statements most sent, without the per-turn lists; with --rounds it goes through them that
// many times and prints this process's CPU milliseconds per turn for each round (the first one warms
// the caches and the JIT): one turn at a time, so a loaded machine slows it but hardly changes it.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createModels } from '../src/agent/models.ts';
import { createTokenIssuer } from '../src/auth/tokens.ts';
import { loadConfig } from '../src/config.ts';
import type { Db, Queryable, QueryOptions } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPg } from '../src/db/pg.ts';
import { openPglite } from '../src/db/pglite.ts';
import { DEMO_SHOP_ID, findShopperIdByOpenid } from '../src/demo/index.ts';
import { prepareDemoShop } from '../src/demo/prepare.ts';
import { createLocalEmbedder } from '../src/embed/local.ts';
import { createApp } from '../src/http/app.ts';
import { silentLogger } from '../src/log.ts';
import { systemClock } from '../src/context.ts';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '6' }, pg: { type: 'string' }, eval: { type: 'boolean', default: false }, rounds: { type: 'string', default: '1' } } });
const CASES = fileURLToPath(new URL('../evals/cases/', import.meta.url));
const MESSAGES = ['推荐个适合干皮的粉底液 200以内', '我的订单到哪了', '我有多少积分', '有什么优惠券', '你好', '怎么退货'];

const inner: Db = values.pg ? await openPg(values.pg, { schema: `turn_statements_${randomBytes(3).toString('hex')}` }) : await openPglite();
let log: string[] = [];
const wrap = (q: Queryable, inTx: boolean): Queryable => ({
  query<T>(sql: string, params?: readonly unknown[], opts?: QueryOptions) {
    log.push(`${inTx ? '  tx ' : ''}${sql.trim().split('\n')[0]!.slice(0, 110)}`);
    return q.query<T>(sql, params, opts);
  },
  exec: (sql) => q.exec(sql),
});
const db: Db = {
  ...wrap(inner, false),
  driver: inner.driver,
  transaction: (fn) => {
    log.push('BEGIN … COMMIT');
    return inner.transaction((tx) => fn(wrap(tx, true)));
  },
  listen: (c, p, r) => inner.listen(c, p, r),
  ping: () => inner.ping(),
  close: () => inner.close(),
};
await migrate(inner);
const embedder = createLocalEmbedder();
await prepareDemoShop(inner, embedder, new Date());
const tokens = createTokenIssuer(randomBytes(32).toString('base64url'));
const app = createApp({
  db,
  log: silentLogger,
  tokens,
  clock: systemClock,
  embedder,
  config: { BODY_LIMIT_BYTES: 1024 * 1024, RATE_LIMIT_SHOPPER_PER_MIN: 0, RATE_LIMIT_IP_PER_MIN: 0 },
  models: createModels(loadConfig({}), embedder, silentLogger),
});
const shopperId = (await findShopperIdByOpenid(inner, DEMO_SHOP_ID, 'demo-openid-0001'))!;
const token = await tokens.mint({ shopId: DEMO_SHOP_ID, role: 'shopper', shopperId }, 3600);
const evalMessages = values.eval
  ? readdirSync(CASES)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(CASES, f), 'utf8').split('\n').filter((l) => l.trim()))
      .map((l) => JSON.parse(l) as { turns: { user: string }[] })
      .filter((c) => c.turns.length === 1)
      .map((c) => c.turns[0]!.user)
  : null;
const messages = evalMessages ?? MESSAGES;
const rounds = evalMessages ? Number(values.rounds) : 1;
const perRound = evalMessages ? evalMessages.length : Number(values.turns);
const turns = perRound * rounds;
let roundStart = process.cpuUsage();
const counts = new Map<string, number>();
let total = 0;
for (let i = 0; i < turns; i++) {
  const message = messages[i % messages.length]!;
  log = [];
  const res = await app.request('/v1/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ message }),
  });
  await res.text();
  // Writes after the answer (memory, events) land shortly after: give them a moment.
  await new Promise((r) => setTimeout(r, evalMessages ? 5 : 200));
  if (evalMessages && (i + 1) % perRound === 0) {
    const used = process.cpuUsage(roundStart);
    console.log(`round ${(i + 1) / perRound}: ${((used.user + used.system) / 1000 / perRound).toFixed(2)} CPU ms per turn (user ${(used.user / 1000 / perRound).toFixed(2)})`);
    roundStart = process.cpuUsage();
  }
  for (const l of log) counts.set(l, (counts.get(l) ?? 0) + 1);
  total += log.length;
  if (evalMessages) continue;
  console.log(`\n${message} → ${res.status}: ${log.filter((l) => !l.startsWith('BEGIN')).length} statements`);
  for (const l of log) console.log(`  ${l}`);
}
console.log(`\n${turns} turns: ${(total / turns).toFixed(2)} round trips per turn (BEGIN … COMMIT counted as one line here, two round trips on pg)`);
for (const [l, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(n / turns).toFixed(2).padStart(6)}  ${l}`);
await inner.close();
