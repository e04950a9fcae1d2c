// The demo shop's last week of reminders (docs/domain.md §8 Reminders): the shop's daily runs of the
// seven days before `now`, replayed through the real pipeline — the planner, the coupons it issues,
// the template writer and the in-card outbox — each day at its run time. So the demo holds what a
// shop that has been running holds: reminders already delivered to shoppers' cards (the sample
// shoppers' included: their refill reminders, a discount-day notice) and not yet seen, and the caps
// and occurrence keys that keep the live runs from sending them again. Templates only, never a
// model, so the same `now` gives the same reminders and messages.
import { reminderWriters } from '../agent/reminderWriter.ts';
import { fixedClock } from '../context.ts';
import type { Db } from '../db/db.ts';
import { runOutboxOnce } from '../domain/reminders/outbox.ts';
import { loadReminderSettings } from '../domain/reminders/repo.ts';
import { deliveryTime, runReminders } from '../domain/reminders/run.ts';
import { addDays, localDateOf } from '../domain/reminders/time.ts';
import { getShop } from '../domain/shops/repo.ts';
import { silentLogger } from '../log.ts';

export const REPLAYED_DAYS = 7;

/** Runs the shop's reminder days before `now` and delivers them; returns how many reached the card. */
export async function replayRecentReminders(db: Db, shopId: string, now: Date, days = REPLAYED_DAYS): Promise<number> {
  const shop = await getShop(db, shopId);
  const { settings } = await loadReminderSettings(db, shopId);
  const today = localDateOf(now, shop.timezone);
  const writers = reminderWriters(undefined, silentLogger);
  let delivered = 0;
  for (let back = days; back >= 1; back--) {
    const date = addDays(today, -back);
    const clock = fixedClock(deliveryTime(date, shop.timezone, settings, new Date(0)));
    await runReminders({ db, clock, log: silentLogger, writers }, { shopId, date });
    for (;;) {
      const report = await runOutboxOnce({ db, clock, log: silentLogger }, { workerId: 'demo-seed', batchSize: 500 });
      if (report.claimed === 0) break;
      // A seed that half-delivered would show a shop that does not work: stop instead.
      if (report.failed + report.dead + report.lost > 0) throw new Error(`demo reminders of ${date} were not all delivered: ${JSON.stringify(report)}`);
      delivered += report.sent;
    }
  }
  return delivered;
}
