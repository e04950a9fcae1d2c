import { openPg } from './src/db/pg.ts';
import { planDayOf, deliveryTime } from './src/domain/reminders/run.ts';
import { planDay } from './src/domain/reminders/planner.ts';
import { claimForWriting, queueWritten } from './src/domain/reminders/materialize.ts';
import { templateMessage } from './src/domain/reminders/message.ts';
import { getShop } from './src/domain/shops/repo.ts';
import { loadReminderSettings } from './src/domain/reminders/repo.ts';
const db = await openPg('postgres://postgres:postgres@127.0.0.1:5432/laotie_test', { schema: 'bench_keep', poolSize: 2 });
await db.exec('DELETE FROM reminders; DELETE FROM coupons');
const shop = await getShop(db, 'bench');
const stored = await loadReminderSettings(db, 'bench');
const day = planDayOf(shop, stored, '2026-09-17');
const now = new Date('2026-09-17T00:00:00Z');
let t = performance.now();
const lap = (m: string) => { const n = performance.now(); console.log(m, (n - t).toFixed(0), 'ms'); t = n; };
await db.transaction((tx) => planDay(tx, day, deliveryTime(day.date, shop.timezone, stored.settings, now), now));
lap('plan');
for (let i = 0; i < 3; i++) {
  const batch = await db.transaction((tx) => claimForWriting(tx, shop, now, 1000, 60000));
  lap(`claim ${batch.length}`);
  const written = batch.map((r) => ({ reminder: r, written: { message: templateMessage(r.facts), writtenBy: 'template' } }));
  lap('write');
  await db.transaction((tx) => queueWritten(tx, shop.id, written, null, now));
  lap('queue');
}
await db.close();
