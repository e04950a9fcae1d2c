// A job run once a day per shop, at a local time of the shop's own time zone (croner): the reminders'
// daily run and the reward settlement. The shop list, time zones and run times are re-read every few
// minutes; start() also catches up a day whose run time has passed (a restart at 09:00 still runs the
// day); stop() waits for the runs in flight, for a graceful shutdown. Each replica runs it: the runs
// themselves are what make a second replica's run of the same day change nothing.
import { Cron } from 'croner';
import type { Clock } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import { localClock, toMinutes } from '../domain/reminders/time.ts';
import { listShops } from '../domain/shops/repo.ts';
import type { Logger } from '../log.ts';

export interface DailyPerShopOptions {
  /** Names the job in logs ('reminders', 'settlement'). */
  name: string;
  db: Queryable;
  clock: Clock;
  log: Logger;
  /** The shop's local run time 'HH:MM', or null when the job is off for this shop. */
  runAt(shop: { id: string; timezone: string }): Promise<string | null>;
  run(shopId: string): Promise<unknown>;
  /** How often the shop list, time zones and run times are re-read. */
  syncIntervalMs?: number;
  /** Run today on start when the shop's run time has already passed (default true). */
  catchUp?: boolean;
}

export interface DailyPerShop {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Shops with a run scheduled. */
  size(): number;
  /** Counts a promise among the work stop() waits for (the reminders' outbox passes). */
  track<T>(p: Promise<T>): Promise<T>;
}

export function scheduleDailyPerShop(o: DailyPerShopOptions): DailyPerShop {
  const shops = new Map<string, { key: string; cron: Cron }>();
  const inFlight = new Set<Promise<unknown>>();
  let running = false;
  let syncCron: Cron | undefined;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };

  const runShop = (shopId: string) =>
    track(
      o.run(shopId).catch((e: unknown) => {
        o.log.error(`daily ${o.name} run failed`, { shop: shopId, err: e as Error });
      }),
    );

  async function sync(first: boolean): Promise<void> {
    const seen = new Set<string>();
    for (const shop of await listShops(o.db)) {
      seen.add(shop.id);
      const runAt = await o.runAt(shop);
      const key = `${shop.timezone} ${runAt}`;
      const existing = shops.get(shop.id);
      if (existing?.key === key) continue;
      existing?.cron.stop();
      shops.delete(shop.id);
      if (runAt === null) continue;
      const [hh, mm] = runAt.split(':').map(Number);
      // Unnamed: croner refuses a second job of the same name, and two schedulers may share a process (tests).
      const cron = new Cron(`${mm} ${hh} * * *`, { timezone: shop.timezone, protect: true }, () => {
        void runShop(shop.id);
      });
      shops.set(shop.id, { key, cron });
      const local = localClock(o.clock.now(), shop.timezone);
      if (first && (o.catchUp ?? true) && local.minutes >= toMinutes(runAt)) void runShop(shop.id);
    }
    for (const [id, job] of shops) {
      if (!seen.has(id)) {
        job.cron.stop();
        shops.delete(id);
      }
    }
  }

  return {
    async start() {
      if (running) return;
      running = true;
      await sync(true);
      syncCron = new Cron(`*/${Math.max(1, Math.round((o.syncIntervalMs ?? 600_000) / 60_000))} * * * *`, { protect: true }, () => {
        void track(sync(false).catch((e: unknown) => o.log.error(`${o.name} schedule sync failed`, { err: e as Error })));
      });
    },
    async stop() {
      running = false;
      syncCron?.stop();
      for (const job of shops.values()) job.cron.stop();
      shops.clear();
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    size: () => shops.size,
    track,
  };
}
