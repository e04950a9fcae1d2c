// The reward settlement of every shop, once a day at SETTLE_AT in the shop's own time zone (daily.ts),
// and on start when that time has passed. Replicas may all run it: settleRewards takes a per-shop lock
// and settles only pending rewards, so the replica that comes second settles nothing twice.
import { settleRewards, type SettlementDeps } from '../domain/referral/settlement.ts';
import { scheduleDailyPerShop } from './daily.ts';

// Early in the shop's day, when few orders move: a reward whose window passed during the day settles
// the night after (docs/domain.md §4.5 Reward lifecycle).
export const SETTLE_AT = '02:00';

export interface SettlementJobsOptions {
  syncIntervalMs?: number;
  catchUp?: boolean;
}

export interface SettlementJobs {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSettlementJobs(deps: SettlementDeps, o: SettlementJobsOptions = {}): SettlementJobs {
  const log = deps.log.child({ job: 'settlement' });
  const daily = scheduleDailyPerShop({
    name: 'settlement',
    db: deps.db,
    clock: deps.clock,
    log,
    runAt: async () => SETTLE_AT,
    run: (shopId) => settleRewards({ ...deps, log }, { shopId }),
    syncIntervalMs: o.syncIntervalMs,
    catchUp: o.catchUp,
  });
  return {
    async start() {
      await daily.start();
      log.info('settlement jobs started', { shops: daily.size() });
    },
    stop: () => daily.stop(),
  };
}
