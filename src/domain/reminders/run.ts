// The daily run of one shop: plan the day (planner.ts), then write and queue every planned message
// (materialize.ts). A dry run does the same inside one transaction that is rolled back, so it shows
// exactly what would be planned and written, and changes nothing.
import type { Clock } from '../../context.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { Invalid } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { getShop, type Shop } from '../shops/repo.ts';
import { mapLimit } from './concurrency.ts';
import type { MessageWriter, WriterFactory } from './message.ts';
import { claimForWriting, queueWritten, type Written } from './materialize.ts';
import type { PlanDay } from './occasion.ts';
import { planDay, type OccasionPlan } from './planner.ts';
import { loadReminderSettings, remindersOfDay, type ReminderView, type StoredReminderSettings } from './repo.ts';
import { addDays, isIsoDate, localDateOf, outOfQuietHours, zonedInstant } from './time.ts';

export interface ReminderDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Writes the planned messages (the agent's reminder writer: templates, or a model). */
  writers: WriterFactory;
}

export interface RunOptions {
  shopId: string;
  /** The shop-local day to plan; today in the shop's time zone by default. */
  date?: string;
  dryRun?: boolean;
  /** Reminders claimed per writing batch. */
  batchSize?: number;
  /** How many of the day's reminders the report shows. */
  sampleSize?: number;
}

export interface RunReport {
  shopId: string;
  date: string;
  dryRun: boolean;
  scheduledFor: string;
  occasions: OccasionPlan[];
  planned: number;
  /** Messages written and queued for delivery by this run (also leftovers of earlier runs). */
  queued: number;
  writtenBy: Record<string, number>;
  /** Wall time of planning and of writing + queueing, for operations and the bench. */
  durationsMs: { plan: number; write: number };
  sample: ReminderView[];
}

// Messages written at once (model calls in flight; templates are instant).
const WRITERS = 4;
// A batch whose writer died is taken up again after this long.
const WRITING_LEASE_MS = 5 * 60_000;

// Thrown to roll a dry run's transaction back.
const ROLLBACK = new Error('dry run: rolled back');

/** When the day's reminders may go out: the shop's run time that day, not before now, not in quiet hours. */
export function deliveryTime(date: string, timezone: string, settings: StoredReminderSettings['settings'], now: Date): Date {
  const planned = zonedInstant(date, settings.runAt, timezone);
  return outOfQuietHours(planned > now ? planned : now, timezone, settings.quietHours);
}

export function planDayOf(shop: Shop, stored: StoredReminderSettings, date: string): PlanDay {
  return {
    shopId: shop.id,
    date,
    dayEnd: zonedInstant(addDays(date, 1), '00:00', shop.timezone),
    timezone: shop.timezone,
    shop: shop.settings,
    settings: stored.settings,
  };
}

async function knownNames(db: Queryable, shopId: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT name FROM products WHERE shop_id = $1 UNION SELECT name FROM coupon_templates WHERE shop_id = $1`,
    [shopId],
  );
  return rows.map((r) => r.name);
}

/** Writes and queues every planned reminder of the shop, batch by batch; returns the counts. */
async function writeAll(
  claimAndQueue: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
  shop: Shop,
  stored: StoredReminderSettings,
  writer: MessageWriter,
  now: Date,
  batchSize: number,
): Promise<{ queued: number; writtenBy: Record<string, number> }> {
  const writtenBy: Record<string, number> = {};
  let queued = 0;
  const webhook = stored.webhook ? { settings: stored.settings, timezone: shop.timezone } : null;
  for (;;) {
    const batch = await claimAndQueue((tx) => claimForWriting(tx, shop, now, batchSize, WRITING_LEASE_MS));
    if (batch.length === 0) break;
    const written: Written[] = await mapLimit(batch, WRITERS, async (reminder) => ({ reminder, written: await writer.write(reminder.facts) }));
    for (const w of written) writtenBy[w.written.writtenBy] = (writtenBy[w.written.writtenBy] ?? 0) + 1;
    queued += await claimAndQueue((tx) => queueWritten(tx, shop.id, written, webhook, now));
    if (batch.length < batchSize) break;
  }
  return { queued, writtenBy };
}

/** Plans the shop's day and queues its messages (or, dry, shows what that would do). */
export async function runReminders(deps: ReminderDeps, o: RunOptions): Promise<RunReport> {
  const now = deps.clock.now();
  const shop = await getShop(deps.db, o.shopId);
  const date = o.date ?? localDateOf(now, shop.timezone);
  if (!isIsoDate(date)) throw new Invalid('date must be a calendar date YYYY-MM-DD');
  const stored = await loadReminderSettings(deps.db, shop.id);
  const day = planDayOf(shop, stored, date);
  const scheduledFor = deliveryTime(date, shop.timezone, stored.settings, now);
  const batchSize = o.batchSize ?? 1000;
  const sampleSize = o.sampleSize ?? 20;
  const writerFor = async (db: Queryable, dryRun: boolean) =>
    deps.writers({
      shopId: shop.id,
      persona: shop.card.persona,
      tone: shop.card.tone,
      knownNames: await knownNames(db, shop.id),
      modelBudget: stored.settings.maxModelMessagesPerRun,
      dryRun,
    });
  const t0 = performance.now();
  let tPlan = t0;
  const report = (plan: Awaited<ReturnType<typeof planDay>>, queued: number, writtenBy: Record<string, number>, sample: ReminderView[], dryRun: boolean): RunReport => ({
    shopId: shop.id,
    date,
    dryRun,
    scheduledFor: scheduledFor.toISOString(),
    occasions: plan.occasions,
    planned: plan.planned,
    queued,
    writtenBy,
    durationsMs: { plan: Math.round(tPlan - t0), write: Math.round(performance.now() - tPlan) },
    sample,
  });

  if (o.dryRun) {
    let shown: RunReport | undefined;
    try {
      await deps.db.transaction(async (tx) => {
        const plan = await planDay(tx, day, scheduledFor, now);
        tPlan = performance.now();
        const writer = await writerFor(tx, true);
        const w = await writeAll((fn) => fn(tx), shop, stored, writer, now, batchSize);
        shown = report(plan, w.queued, w.writtenBy, await remindersOfDay(tx, shop.id, date, sampleSize), true);
        throw ROLLBACK;
      });
    } catch (e) {
      if (e !== ROLLBACK) throw e;
    }
    return shown!;
  }

  const plan = await deps.db.transaction((tx) => planDay(tx, day, scheduledFor, now));
  tPlan = performance.now();
  const writer = await writerFor(deps.db, false);
  const w = await writeAll((fn) => deps.db.transaction(fn), shop, stored, writer, now, batchSize);
  const done = report(plan, w.queued, w.writtenBy, await remindersOfDay(deps.db, shop.id, date, sampleSize), false);
  deps.log.info('reminders planned', { shop: shop.id, date, planned: plan.planned, queued: w.queued, durationsMs: done.durationsMs });
  return done;
}
