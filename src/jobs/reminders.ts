// The reminder jobs of one process: a daily run per shop at the shop's run time (default 08:00) in
// the shop's own time zone (daily.ts), and the outbox worker loop every few seconds. Replicas may all
// run it: the plan is serialised per shop and idempotent, and the outbox is shared through SKIP
// LOCKED claims. start() also catches up a day whose run time has passed (a restart at 09:00 still
// plans the day); stop() waits for what is in flight, for a graceful shutdown.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { runOutboxOnce, type OutboxDeps, type WorkerReport } from '../domain/reminders/outbox.ts';
import { loadReminderSettings } from '../domain/reminders/repo.ts';
import { runReminders, type ReminderDeps } from '../domain/reminders/run.ts';
import { scheduleDailyPerShop } from './daily.ts';

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

export function createReminderJobs(deps: ReminderJobsDeps, o: ReminderJobsOptions = {}): ReminderJobs {
  const workerId = o.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const interval = o.outboxIntervalMs ?? 5_000;
  const batchSize = o.outboxBatchSize ?? 50;
  const log = deps.log.child({ job: 'reminders' });
  let running = false;
  let timer: NodeJS.Timeout | undefined;

  const daily = scheduleDailyPerShop({
    name: 'reminder',
    db: deps.db,
    clock: deps.clock,
    log,
    async runAt(shop) {
      const { settings } = await loadReminderSettings(deps.db, shop.id);
      return settings.enabled ? settings.runAt : null;
    },
    run: (shopId) => runReminders(deps, { shopId }),
    syncIntervalMs: o.syncIntervalMs,
    catchUp: o.catchUp,
  });

  const drainOnce = () => runOutboxOnce(deps, { workerId, batchSize });

  function scheduleOutbox(delay: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      const pass = daily.track(
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
      await daily.start();
      scheduleOutbox(0);
      log.info('reminder jobs started', { workerId, shops: daily.size() });
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await daily.stop();
      log.info('reminder jobs stopped', { workerId });
    },
    drainOnce,
  };
}
