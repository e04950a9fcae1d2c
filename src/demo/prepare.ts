import type { Db } from '../db/db.ts';
import type { Embedder } from '../embed/embedder.ts';
import { indexProducts } from '../domain/catalog/indexer.ts';
import { ingestDemoKnowledge } from './knowledge.ts';
import { DEMO_SHOP_ID, seedDemoShop, type SeedSummary } from './index.ts';
import { replayRecentReminders } from './reminders.ts';

/**
 * The demo shop ready to chat with: seeded, its catalog indexed, its knowledge documents loaded and
 * its last week of reminders delivered.
 */
export async function prepareDemoShop(db: Db, embedder: Embedder, now: Date): Promise<SeedSummary> {
  const summary = await seedDemoShop(db, { now });
  await indexProducts(db, embedder, { shopId: DEMO_SHOP_ID });
  await ingestDemoKnowledge(db, embedder, DEMO_SHOP_ID);
  await replayRecentReminders(db, DEMO_SHOP_ID, now);
  return summary;
}
