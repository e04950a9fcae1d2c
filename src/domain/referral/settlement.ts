// The settlement run of one shop (结算, docs/domain.md §4.5 Reward lifecycle): every pending reward whose
// return window has passed by the end of a shop-local day settles. The scheduler runs it once a day per
// shop (src/jobs/settlement.ts); `npm run settle` and POST /v1/admin/referral/settle run it by hand.
// Replicas running it at once settle each reward once: a per-shop advisory lock makes the runs take
// turns, and the second finds the rewards settled already (the UPDATE only takes pending rows). A dry run
// does the same inside a transaction that is rolled back, so it shows exactly what would settle.
import type { Clock } from '../../context.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { Invalid } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { addDays, isIsoDate, localDateOf, zonedInstant } from '../reminders/time.ts';
import { getShop } from '../shops/repo.ts';
import { heldRewards, settleDueEntries, type SettledEntry } from './settle.ts';

export interface SettlementDeps {
  db: Db;
  clock: Clock;
  log: Logger;
}

export interface SettlementOptions {
  shopId: string;
  /** The shop-local day whose end is the cut-off; today by default (then the cut-off is now). */
  date?: string;
  dryRun?: boolean;
  /** How many of the settled rewards the report lists. */
  sampleSize?: number;
}

export interface SettlementReport {
  shopId: string;
  date: string;
  dryRun: boolean;
  /** Rewards whose window had passed by this instant settle. */
  dueBy: string;
  settled: number;
  settledFen: number;
  /** Past their window but held back by an open after-sales request of their order. */
  held: { count: number; fen: number };
  entries: Array<Omit<SettledEntry, 'settleAfter'> & { settleAfter: string }>;
}

// Thrown to roll a dry run's transaction back.
const ROLLBACK = new Error('dry run: rolled back');

async function settleLocked(tx: Queryable, shopId: string, dueBy: Date, at: Date) {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('laotie.referral.settle:' || $1::text))", [shopId]);
  const settled = await settleDueEntries(tx, shopId, dueBy, at);
  return { settled, held: await heldRewards(tx, shopId, dueBy) };
}

/** Settles the shop's rewards that are due (or, dry, shows which would). */
export async function settleRewards(deps: SettlementDeps, o: SettlementOptions): Promise<SettlementReport> {
  const now = deps.clock.now();
  const shop = await getShop(deps.db, o.shopId);
  const today = localDateOf(now, shop.timezone);
  const date = o.date ?? today;
  if (!isIsoDate(date)) throw new Invalid('date must be a calendar date YYYY-MM-DD');
  const dryRun = o.dryRun ?? false;
  // A reward settles only once its window has passed: a later day can be looked at, not settled.
  if (date > today && !dryRun) throw new Invalid(`date ${date} is after today (${today}) in the shop's time zone: only a dry run can look ahead`);
  const endOfDay = zonedInstant(addDays(date, 1), '00:00', shop.timezone);
  // Today's cut-off is now; a past day's is its end; a later day's (dry) is its end too.
  const dueBy = date > today || endOfDay < now ? endOfDay : now;
  // Stamped now; a dry look ahead stamps the cut-off (and is rolled back).
  const at = dueBy > now ? dueBy : now;

  let result: Awaited<ReturnType<typeof settleLocked>> | undefined;
  if (dryRun) {
    try {
      await deps.db.transaction(async (tx) => {
        result = await settleLocked(tx, shop.id, dueBy, at);
        throw ROLLBACK;
      });
    } catch (e) {
      if (e !== ROLLBACK) throw e;
    }
  } else {
    result = await deps.db.transaction((tx) => settleLocked(tx, shop.id, dueBy, at));
  }
  const { settled, held } = result!;
  const report: SettlementReport = {
    shopId: shop.id,
    date,
    dryRun,
    dueBy: dueBy.toISOString(),
    settled: settled.length,
    settledFen: settled.reduce((sum, e) => sum + e.amountFen, 0),
    held,
    entries: settled.slice(0, o.sampleSize ?? 50).map((e) => ({ ...e, settleAfter: e.settleAfter.toISOString() })),
  };
  if (!dryRun) deps.log.info('rewards settled', { shop: shop.id, date, settled: report.settled, settledFen: report.settledFen, held: held.count });
  return report;
}
