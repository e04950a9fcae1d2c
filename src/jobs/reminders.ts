// The reminder jobs of one process: a daily run per shop at the shop's run time (default 08:00) in
// the shop's own time zone (croner), and the outbox worker loop every few seconds. Replicas may all
// run it: the plan is serialised per shop and idempotent, and the outbox is shared through SKIP
// LOCKED claims. start() also catches up a day whose run time has passed (a restart at 09:00 still
// plans the day); stop() waits for what is in flight, for a graceful shutdown.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import { runOutboxOnce, type OutboxDeps, type WorkerReport } from '../domain/reminders/outbox.ts';
import { loadReminderSettings } from '../domain/reminders/repo.ts';
import { runReminders, type ReminderDeps, type RunReport } from '../domain/reminders/run.ts';
import { localClock, toMinutes } from '../domain/reminders/time.ts';
import { listShops } from '../domain/shops/repo.ts';

export interface ReminderJobsDeps extends ReminderDeps, Pick<OutboxDeps, 'webhookGuard'> {}

export interface ReminderJobsOptions {
  /** Identifies this process's outbox claims; unique per replica. */
  workerId?: string;
  outboxIntervalMs?: number;
  outboxBatchSize?: number;
  /** How often the shop list, time zones and run times are re-read. */
  syncIntervalMs?: number;
  /** Plan today on start when the shop's run time has already passed (default true). */
  catchUp?: boolean;
}

export interface ReminderJobs {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One outbox pass now (tests, CLI). */
  drainOnce(): Promise<WorkerReport>;
}

interface ShopJob {
  key: string;
  cron: Cron;
}

export function createReminderJobs(deps: ReminderJobsDeps, o: ReminderJobsOptions = {}): ReminderJobs {
  const workerId = o.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const interval = o.outboxIntervalMs ?? 5_000;
  const batchSize = o.outboxBatchSize ?? 50;
  const log = deps.log.child({ job: 'reminders' });
  const shops = new Map<string, ShopJob>();
  const inFlight = new Set<Promise<unknown>>();
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let syncCron: Cron | undefined;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };

  const runShop = (shopId: string): Promise<RunReport | undefined> =>
    track(
      runReminders(deps, { shopId }).catch((e: unknown) => {
        log.error('daily reminder run failed', { shop: shopId, err: e as Error });
        return undefined;
      }),
    );

  const drainOnce = () => runOutboxOnce(deps, { workerId, batchSize });

  async function sync(first: boolean): Promise<void> {
    const seen = new Set<string>();
    for (const shop of await listShops(deps.db)) {
      seen.add(shop.id);
      const { settings } = await loadReminderSettings(deps.db, shop.id);
      const key = `${shop.timezone} ${settings.runAt} ${settings.enabled}`;
      const existing = shops.get(shop.id);
      if (existing?.key === key) continue;
      existing?.cron.stop();
      shops.delete(shop.id);
      if (!settings.enabled) continue;
      const [hh, mm] = settings.runAt.split(':').map(Number);
      const cron = new Cron(`${mm} ${hh} * * *`, { timezone: shop.timezone, protect: true, name: `reminders:${shop.id}` }, () => {
        void runShop(shop.id);
      });
      shops.set(shop.id, { key, cron });
      const local = localClock(deps.clock.now(), shop.timezone);
      if (first && (o.catchUp ?? true) && local.minutes >= toMinutes(settings.runAt)) void runShop(shop.id);
    }
    for (const [id, job] of shops) {
      if (!seen.has(id)) {
        job.cron.stop();
        shops.delete(id);
      }
    }
  }

  function scheduleOutbox(delay: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      const pass = track(
        drainOnce().then(
          (r) => r,
          (e: unknown) => {
            log.error('outbox pass failed', { err: e as Error });
            return undefined;
          },
        ),
      );
      // A full batch means more is due: go again at once; otherwise wait for the interval.
      void pass.then((r) => scheduleOutbox(r && r.claimed >= batchSize ? 0 : interval));
    }, delay);
  }

  return {
    async start() {
      if (running) return;
      running = true;
      await sync(true);
      syncCron = new Cron(`*/${Math.max(1, Math.round((o.syncIntervalMs ?? 600_000) / 60_000))} * * * *`, { protect: true }, () => {
        void track(sync(false).catch((e: unknown) => log.error('reminder schedule sync failed', { err: e as Error })));
      });
      scheduleOutbox(0);
      log.info('reminder jobs started', { workerId, shops: shops.size });
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      syncCron?.stop();
      for (const job of shops.values()) job.cron.stop();
      shops.clear();
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      log.info('reminder jobs stopped', { workerId });
    },
    drainOnce,
  };
}
