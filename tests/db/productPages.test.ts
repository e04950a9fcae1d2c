// The product tools give the product's page in the mall (docs/domain.md §2 Buying): the card cannot
// take orders, so whatever it shows comes with the shop's productPagePath, the product's id filled in.
import { beforeAll, expect, it } from 'vitest';
import { fixedClock, type ToolContext } from '../../src/context.ts';
import { indexProducts } from '../../src/domain/catalog/indexer.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { silentLogger } from '../../src/log.ts';
import { isToolError, runTool, type AnyToolDef, type ToolOutput } from '../../tools/defineTool.ts';
import { getProduct } from '../../tools/getProduct.ts';
import { listOrders } from '../../tools/listOrders.ts';
import { searchProducts } from '../../tools/searchProducts.ts';
import { BEAUTY_CATALOG, seedCatalog } from '../helpers/catalogFixtures.ts';
import { describeDb } from '../helpers/db.ts';
import { createOrder, createShopper } from '../helpers/fixtures.ts';

const OWN_PAGE = '/pkgMall/goods/index?gid={productId}&from=card';

describeDb('product pages in the product tools', (db) => {
  let own: { ctx: ToolContext; ids: Record<string, number> };
  let plain: { ctx: ToolContext; ids: Record<string, number> };

  async function shop(shopId: string, settings: Record<string, unknown>) {
    const ids = await seedCatalog(db(), shopId, BEAUTY_CATALOG);
    await db().query('UPDATE shops SET settings = $2 WHERE id = $1', [shopId, JSON.stringify(settings)]);
    const embedder = createLocalEmbedder();
    await indexProducts(db(), embedder, { shopId });
    const shopperId = (await createShopper(db(), { shopId })).id;
    const ctx: ToolContext = {
      caller: { role: 'shopper', shopId, shopperId, tier: 'converted', referralIdentity: 'member' },
      db: db(),
      embedder,
      clock: fixedClock('2026-03-15T02:00:00Z'),
      log: silentLogger,
    };
    return { ctx, ids };
  }

  async function run<T extends AnyToolDef>(tool: T, ctx: ToolContext, input: unknown): Promise<ToolOutput<T>> {
    const out = await runTool(tool, ctx, input);
    if (isToolError(out)) throw new Error(`unexpected tool error: ${out.error.message}`);
    return out;
  }

  beforeAll(async () => {
    own = await shop('pages-own', { productPagePath: OWN_PAGE });
    plain = await shop('pages-plain', {});
  });

  it("gives a product's page on the shop's own path", async () => {
    const id = own.ids['serum-lancome']!;
    const out = await run(getProduct, own.ctx, { productId: id });
    expect(out.page).toBe(`/pkgMall/goods/index?gid=${id}&from=card`);
  });

  it('gives the default goods detail page when the shop set none', async () => {
    const id = plain.ids['serum-lancome']!;
    const out = await run(getProduct, plain.ctx, { productId: id });
    expect(out.page).toBe(`/pages/goods/detail?id=${id}`);
  });

  it('gives every search hit its own page', async () => {
    const { products } = await run(searchProducts, own.ctx, { query: '粉底液', limit: 5 });
    expect(products.length).toBeGreaterThan(1);
    for (const p of products) expect(p.page).toBe(`/pkgMall/goods/index?gid=${p.id}&from=card`);
  });

  it("gives the page of each product of the shopper's orders, to buy it again", async () => {
    const id = own.ids['serum-lancome']!;
    await createOrder(db(), {
      shopId: 'pages-own',
      shopperId: own.ctx.caller.shopperId,
      status: 'completed',
      items: [{ productId: id, name: '兰蔻 小黑瓶精华肌底液', unitPriceFen: 76_000 }],
    });
    const { orders } = await run(listOrders, own.ctx, {});
    expect(orders[0]!.products).toEqual([{ productId: id, name: '兰蔻 小黑瓶精华肌底液', category: expect.any(String), quantity: 1, page: `/pkgMall/goods/index?gid=${id}&from=card` }]);
  });

  it('tells the model, in each product tool’s description, that it cannot order and the page is where to buy', () => {
    for (const tool of [getProduct, searchProducts, listOrders]) {
      expect(tool.description).toContain('page');
      expect(tool.description).toMatch(/不能下单/);
    }
  });

  it('declares the page in each tool’s output schema, so readers of results can rely on it', () => {
    const page = '/pages/goods/detail?id=1';
    const hit = { id: 1, name: 'x', brand: 'b', category: 'c', price: '¥1.00', inStock: true };
    expect(searchProducts.output.safeParse({ products: [hit] }).success).toBe(false);
    expect(searchProducts.output.safeParse({ products: [{ ...hit, page }] }).success).toBe(true);
  });
});
