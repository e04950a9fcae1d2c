import pg from 'pg';
import { openPg } from './src/db/pg.ts';
import { migrate } from './src/db/migrate.ts';
import { planDayOf } from './src/domain/reminders/run.ts';
import { getShop } from './src/domain/shops/repo.ts';
import { loadReminderSettings } from './src/domain/reminders/repo.ts';
import { OCCASION_HANDLERS } from './src/domain/reminders/occasions/index.ts';
const URL = 'postgres://postgres:postgres@127.0.0.1:5432/laotie_test';
const schema = 'bench_keep';
const db = await openPg(URL, { schema, poolSize: 2 });
const { rows: have } = await db.query<{ n: number }>(`SELECT count(*)::int n FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name = 'shops'`);
if (!have[0]!.n) { console.log('no data'); process.exit(1); }
const shop = await getShop(db, 'bench');
const stored = await loadReminderSettings(db, 'bench');
const day = planDayOf(shop, stored, '2026-09-17');
for (const name of Object.keys(OCCASION_HANDLERS) as (keyof typeof OCCASION_HANDLERS)[]) {
  const params: unknown[] = [day.shopId, day.date, day.dayEnd, day.timezone, day.settings.occasions[name].tiers, name];
  const bind = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const sql = OCCASION_HANDLERS[name].candidates(day, bind);
  if (!sql) continue;
  const t = performance.now();
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, TIMING OFF) WITH base AS (SELECT $1::text a, $2::date b, $3::timestamptz c, $4::text d, $5::text[] e, $6::text f) SELECT count(*) FROM (${sql}) x`, params);
  console.log(`== ${name} ${(performance.now() - t).toFixed(0)} ms`);
  if (process.argv.includes('-v')) console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
}
await db.close();
