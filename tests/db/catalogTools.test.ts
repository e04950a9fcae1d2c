// The two catalog tools as the agent runs them: untrusted input through runTool (zod), the shop
// from the caller only, compact results, errors as results.
import { beforeAll, expect, it } from 'vitest';
import { fixedClock, type ToolContext } from '../../src/context.ts';
import { indexProducts } from '../../src/domain/catalog/indexer.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { silentLogger } from '../../src/log.ts';
import { isToolError, runTool } from '../../tools/defineTool.ts';
import { getProduct } from '../../tools/getProduct.ts';
import { searchProducts } from '../../tools/searchProducts.ts';
import { BEAUTY_CATALOG, INJECTED_DESCRIPTION, NEIGHBOUR_CATALOG, seedCatalog } from '../helpers/catalogFixtures.ts';
import { describeDb } from '../helpers/db.ts';

interface CompactProduct {
  id: number;
  name: string;
  category: string;
  price: string;
  inStock: boolean;
  skinTypes?: string[];
}

describeDb('catalog tools', (db) => {
  let ids: Record<string, number>;
  let neighbour: Record<string, number>;
  let ctx: ToolContext;

  beforeAll(async () => {
    ids = await seedCatalog(db(), 'tools', BEAUTY_CATALOG);
    neighbour = await seedCatalog(db(), 'tools-b', NEIGHBOUR_CATALOG);
    const embedder = createLocalEmbedder();
    await indexProducts(db(), embedder, { shopId: 'tools' });
    await indexProducts(db(), embedder, { shopId: 'tools-b' });
    ctx = {
      caller: { role: 'shopper', shopId: 'tools', shopperId: 1, tier: 'converted', referralIdentity: 'member' },
      db: db(),
      embedder,
      clock: fixedClock('2026-09-17T02:00:00Z'),
      log: silentLogger,
    };
  });

  const search = async (input: unknown) => {
    const out = await runTool(searchProducts, ctx, input);
    if (isToolError(out)) throw new Error(`unexpected tool error: ${out.error.message}`);
    return out as { products: CompactProduct[]; note?: string };
  };

  it('takes the budget in yuan and answers compact products', async () => {
    const { products } = await search({ query: '适合干皮的粉底液', maxPrice: 200, skinType: '干皮' });
    expect(products.map((p) => p.id)).toEqual([ids['fd-dry-hero'], ids['fd-serum']]);
    expect(products[0]).toEqual({
      id: ids['fd-dry-hero'],
      name: '珂拉琪 干皮亲妈水光粉底液',
      brand: '珂拉琪',
      category: '粉底液',
      price: '¥159.00',
      inStock: true,
      spec: '30ml',
      skinTypes: ['干皮', '中性皮'],
      effects: ['保湿', '水光'],
      page: `/pages/goods/detail?id=${ids['fd-dry-hero']}`,
    });
  });

  it('converts yuan to fen exactly at the edge of the budget', async () => {
    const at = await search({ category: '粉底液', skinType: '干皮', maxPrice: 159 });
    const below = await search({ category: '粉底液', skinType: '干皮', maxPrice: 158.99 });
    expect(at.products.map((p) => p.id)).toContain(ids['fd-dry-hero']);
    expect(below.products.map((p) => p.id)).not.toContain(ids['fd-dry-hero']);
  });

  it("searches the caller's shop whatever the input says", async () => {
    const { products } = await search({ query: '干皮水润粉底液', shopId: 'tools-b', limit: 20 });
    expect(products.length).toBeGreaterThan(0);
    expect(products.map((p) => p.id)).not.toContain(neighbour['fd-neighbour']);
  });

  it('says so when nothing matches', async () => {
    const out = await search({ category: '香水' });
    expect(out.products).toEqual([]);
    expect(out.note).toMatch(/放宽/);
  });

  it('answers invalid input with an invalid result, not an exception', async () => {
    const out = await runTool(searchProducts, ctx, { query: '口红', limit: 50 });
    expect(isToolError(out) && out.error.code).toBe('invalid');
    const range = await runTool(searchProducts, ctx, { minPrice: 300, maxPrice: 100 });
    expect(isToolError(range) && range.error.code).toBe('invalid');
  });

  it('shows a product with traceability and the shipping promise', async () => {
    const out = await runTool(getProduct, ctx, { productId: ids['serum-lancome'] });
    expect(out).toMatchObject({
      name: '兰蔻 小黑瓶精华肌底液',
      price: '¥760.00',
      description: INJECTED_DESCRIPTION,
      traceability: { origin: '法国', qcReportRef: 'QC-2026-0917-LC', batchNo: 'B20260801', warehouse: '杭州仓' },
      shippingPromise: '48小时内发货',
      usageCycleDays: 90,
    });
  });

  it("answers another shop's product exactly like a missing one", async () => {
    const theirs = await runTool(getProduct, ctx, { productId: neighbour['fd-neighbour'] });
    const missing = await runTool(getProduct, ctx, { productId: 999_999_999 });
    expect(isToolError(theirs) && theirs.error.code).toBe('not_found');
    expect(isToolError(missing) && missing.error.code).toBe('not_found');
    expect(theirs).toEqual({ error: { code: 'not_found', message: `本店没有 id 为 ${neighbour['fd-neighbour']} 的商品` } });
  });
});
