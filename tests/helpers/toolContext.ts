// A ToolContext for a shopper as the server builds it: the caller resolved from the database (tier
// as stored), a fixed clock, a silent log and the local embedder.
import { fixedClock, type ToolContext } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { resolveShopperCaller } from '../../src/domain/shoppers/repo.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { silentLogger } from '../../src/log.ts';

/** The tests' "now": 2026-03-15 10:00 in Asia/Shanghai. */
export const TEST_NOW = '2026-03-15T02:00:00.000Z';

export async function shopperContext(db: Db, shopId: string, shopperId: number, now: Date | string = TEST_NOW): Promise<ToolContext> {
  const caller = await resolveShopperCaller(db, { shopId: shopId, shopperId: shopperId });
  if (!caller) throw new Error(`no shopper ${shopperId} in shop ${shopId}`);
  return { caller, db, clock: fixedClock(now), log: silentLogger, embedder: createLocalEmbedder() };
}
