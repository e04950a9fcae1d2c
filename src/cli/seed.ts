// npm run seed: (re)creates the demo shop "demo" with data relative to now, then prints what it holds
// and the sample shoppers to try. Shopper ids change with every re-seed; the openids do not.
import { loadConfigOrExit } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { openDbOrExit } from '../db/open.ts';
import { prepareDemoShop } from '../demo/prepare.ts';
import { createEmbedder } from '../embed/index.ts';

const config = loadConfigOrExit();
// Under NODE_ENV=production SEED_DEMO is off unless set: a real shop's database gets the demo shop
// (and its printed ids) only when asked for by name.
if (!config.SEED_DEMO && config.NODE_ENV === 'production') {
  console.error('NODE_ENV=production: the demo shop is seeded only with SEED_DEMO=true');
  process.exit(2);
}

const db = await openDbOrExit(config);
try {
  await migrate(db);
  const started = performance.now();
  const summary = await prepareDemoShop(db, createEmbedder(config), new Date(), (line) => console.log(line));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const statuses = Object.entries(summary.ordersByStatus)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  console.log(
    [
      `Seeded shop "${summary.shopId}" on ${db.driver} in ${seconds} s:`,
      `  ${summary.products} products in ${summary.categories} categories, ${summary.couponTemplates} coupon templates`,
      `  ${summary.shoppers} shoppers, ${summary.orders} orders (${statuses})`,
      'Sample shoppers:',
    ].join('\n'),
  );
  console.table(summary.sampleShoppers);
  console.log(`A token for one of them: npm run token -- --shop ${summary.shopId} --user <id>`);
} finally {
  await db.close();
}
