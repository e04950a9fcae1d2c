// A chat turn reads its shop once, for the shop's card (cached per shop by the app): the tools that
// need a setting of the shop (where its product pages are, the return window, the shipping promise)
// take it from that card instead of reading the shops table again. The offline model over the real
// tools; the statements counted on the way to the real database.
import { beforeAll, expect, it } from 'vitest';
import { createModels } from '../../src/agent/models.ts';
import { runTurn } from '../../src/agent/runTurn.ts';
import type { AgentDeps } from '../../src/agent/turn.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/context.ts';
import { indexProducts } from '../../src/domain/catalog/indexer.ts';
import { createShopCards } from '../../src/domain/shops/cards.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { silentLogger } from '../../src/log.ts';
import { countingDb, type CountingDb } from '../helpers/countingDb.ts';
import { describeDb } from '../helpers/db.ts';
import { createOrder, createProduct, createShop, createShopper } from '../helpers/fixtures.ts';

const NOW = new Date('2026-03-05T02:00:00Z');

describeDb('the shop a turn reads', (db) => {
  const embedder = createLocalEmbedder();
  let shopReads: CountingDb;
  let deps: AgentDeps;
  let shopId: string;
  let shopperId: number;

  const ask = (message: string) => runTurn(deps, { role: 'shopper', shopId, shopperId }, { message });
  const tools = (turn: { toolCalls: { name: string }[] }) => turn.toolCalls.map((c) => c.name);

  beforeAll(async () => {
    // A statement that reads the shop's row itself (not a subquery of its time zone inside another).
    shopReads = countingDb(db(), /^\s*SELECT [^()]*\bFROM shops WHERE id = \$1/i);
    const counted = shopReads.db;
    deps = {
      db: counted,
      embedder,
      clock: fixedClock(NOW),
      log: silentLogger,
      models: createModels(loadConfig({}), embedder, silentLogger),
      shopCards: createShopCards(counted, { ttlMs: 3_600_000 }),
    };
    shopId = (await createShop(db(), { settings: { productPagePath: '/pages/mall/item?pid={productId}' } })).id;
    shopperId = (await createShopper(db(), { shopId })).id;
    const product = await createProduct(db(), { shopId, name: '玫瑰保湿面霜', category: '面霜' });
    await indexProducts(db(), embedder, { shopId });
    await createOrder(db(), { shopId, shopperId, status: 'shipped', createdAt: '2026-03-03T02:00:00Z', items: [{ productId: product.id, name: product.name }] });
    // The first turn loads the shop's card.
    await ask('你好');
  });

  it.each([
    ['推荐一款面霜', 'searchProducts'],
    ['我的订单', 'listOrders'],
    ['我的快递到哪了', 'trackShipment'],
  ])('answers %s with %s and no read of the shops table beside the cached card', async (message, tool) => {
    shopReads.reset();
    const turn = await ask(message);
    expect(tools(turn)).toContain(tool);
    expect(shopReads.count).toBe(0);
  });

  it('still gives the product page from the shop’s settings in the card', async () => {
    const turn = await ask('推荐一款面霜');
    expect(JSON.stringify(turn.toolCalls)).toContain('/pages/mall/item?pid=');
  });
});
