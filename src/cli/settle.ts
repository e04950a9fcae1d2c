// npm run settle -- --shop demo [--date 2026-09-17] [--dry-run] [--show 20]
// Settles a shop's 链动 rewards whose return window has passed by the end of a local day (today: now),
// as the daily job does, and prints what was (or, with --dry-run, would be) settled.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.ts';
import { systemClock } from '../context.ts';
import { migrate } from '../db/migrate.ts';
import { openDbOrExit } from '../db/open.ts';
import { formatPrice } from '../domain/catalog/price.ts';
import { settleRewards, type SettlementReport } from '../domain/referral/settlement.ts';
import { createLogger } from '../log.ts';

const { values } = parseArgs({
  options: {
    shop: { type: 'string', default: 'demo' },
    date: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    show: { type: 'string', default: '20' },
  },
});

function print(r: SettlementReport): void {
  console.log(`${r.dryRun ? 'DRY RUN — nothing saved. ' : ''}shop ${r.shopId}, day ${r.date}, rewards due by ${r.dueBy}`);
  console.log(`  ${r.dryRun ? 'would settle' : 'settled'} ${r.settled} rewards, ${formatPrice(r.settledFen)} in all`);
  if (r.held.count) console.log(`  held back by an open after-sales request: ${r.held.count} rewards, ${formatPrice(r.held.fen)}`);
  for (const e of r.entries) {
    const who = `${e.beneficiary ?? '(erased)'} (shopper ${e.beneficiaryId})`;
    console.log(`  #${e.id}  order ${e.orderNo}  ${who}  ${e.kind} L${e.level}  ${formatPrice(e.amountFen)}  window ended ${e.settleAfter}`);
  }
  if (r.settled > r.entries.length) console.log(`  … and ${r.settled - r.entries.length} more`);
}

const config = loadConfigOrExit();
const db = await openDbOrExit(config);
try {
  await migrate(db);
  const report = await settleRewards(
    { db, clock: systemClock, log: createLogger('warn') },
    { shopId: values.shop!, date: values.date, dryRun: values['dry-run'], sampleSize: Number(values.show) },
  );
  print(report);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await db.close();
}
