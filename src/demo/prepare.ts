import type { Db } from '../db/db.ts';
import type { Embedder } from '../embed/embedder.ts';
import { indexProducts } from '../domain/catalog/indexer.ts';
import { ingestDemoKnowledge } from './knowledge.ts';
import { DEMO_SHOP_ID, seedDemoShop, type SeedSummary } from './index.ts';

/** Lines for a person watching a long first start. */
export type Progress = (line: string) => void;

/** The demo shop ready to chat with: seeded, its catalog indexed and its knowledge documents loaded. */
export async function prepareDemoShop(db: Db, embedder: Embedder, now: Date, progress: Progress = () => {}): Promise<SeedSummary> {
  let started = performance.now();
  const took = () => {
    const s = ((performance.now() - started) / 1000).toFixed(1);
    started = performance.now();
    return `${s} s`;
  };
  progress('  seeding the catalog, shoppers, orders, coupons, points and referrals …');
  const summary = await seedDemoShop(db, { now });
  progress(`  seeded ${summary.products} products, ${summary.shoppers} shoppers, ${summary.orders} orders (${took()})`);
  progress(`  indexing the catalog for search (${embedder.id}) …`);
  await indexProducts(db, embedder, {
    shopId: DEMO_SHOP_ID,
    onBatch: (done, total) => progress(`  indexed ${done}/${total} products${done === total ? ` (${took()})` : ''}`),
  });
  progress('  loading the knowledge documents …');
  await ingestDemoKnowledge(db, embedder, DEMO_SHOP_ID, (done, total) => {
    if (done === total) progress(`  loaded ${total} knowledge documents (${took()})`);
  });
  return summary;
}
