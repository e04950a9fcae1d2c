// Where a product is bought (docs/domain.md §2 Buying), through the offline model the way the agent
// loop drives it: the card cannot order, so "帮我下单第一个", "链接发我", "第二个怎么买" about a product
// just shown are answered with that product looked up (its page is in the result) and where to buy it.
import { type ModelMessage, type ToolSet } from 'ai';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../../tools/index.ts';
import { offlineChat } from '../../helpers/offlineChat.ts';

const CONTEXT = {
  shopName: '老铁美妆',
  advisorName: '小美',
  persona: 'card',
  tier: 'converted',
  today: '2026-11-24',
  categories: ['面霜', '精华', '口红'],
  skinTypes: ['干皮', '油皮'],
  productNames: ['悦颜 玻尿酸保湿面霜', '雪棠 神经酰胺修护霜'],
  handoffAvailable: true,
};
const { canned, chat } = offlineChat(CONTEXT);

const PRODUCTS = [
  { id: 11, name: '悦颜 玻尿酸保湿面霜', brand: '悦颜', category: '面霜', price: '¥129.00', inStock: true, skinTypes: ['干皮'], effects: ['保湿'], page: '/pages/goods/detail?id=11' },
  { id: 12, name: '雪棠 神经酰胺修护霜', brand: '雪棠', category: '面霜', price: '¥159.00', inStock: true, skinTypes: ['干皮'], effects: ['修护'], page: '/pages/goods/detail?id=12' },
];
const detail = (id: number, onSale = true) => {
  const p = PRODUCTS.find((x) => x.id === id)!;
  return {
    ...p,
    colors: [],
    onSale,
    stock: 3,
    spec: '50g',
    description: '保湿面霜',
    usageCycleDays: null,
    traceability: { origin: '上海', qcReportRef: 'QC-1', batchNo: 'B1', supplier: '悦颜', warehouse: '上海仓' },
    shippingPromise: '48小时内发货',
  };
};

function shopTools(onSale = true): ToolSet {
  return {
    searchProducts: canned(TOOLS.searchProducts, () => ({ products: PRODUCTS })),
    getProduct: canned(TOOLS.getProduct, ({ productId }) => detail(productId, onSale)),
    listOrders: canned(TOOLS.listOrders, () => ({ orders: [], hasMore: false })),
    listCoupons: canned(TOOLS.listCoupons, () => ({ usable: [], claimable: [] })),
  };
}

describe('how to buy a product the card just showed', () => {
  let shown: ModelMessage[];
  beforeAll(async () => {
    shown = (await chat(shopTools(), '推荐个适合干皮的面霜')).messages;
  });

  it.each([
    ['帮我下单第一个', 11],
    ['第二个怎么买', 12],
    ['第二个在哪买', 12],
    ['我要买第一个', 11],
  ])('answers %s with that product, its price and where to buy it, and orders nothing', async (message, id) => {
    const r = await chat(shopTools(), message, shown);
    expect(r.calls).toEqual([{ name: 'getProduct', input: { productId: id } }]);
    const p = PRODUCTS.find((x) => x.id === id)!;
    expect(r.text).toContain(p.name);
    expect(r.text).toContain(p.price);
    expect(r.text).toContain('不能替你下单');
    expect(r.text).toContain('商品页');
  });

  it('asks which one when the message names none of the products shown', async () => {
    for (const message of ['链接发我', '怎么下单']) {
      const r = await chat(shopTools(), message, shown);
      expect(r.calls).toEqual([]);
      for (const p of PRODUCTS) expect(r.text).toContain(p.name);
    }
  });

  it('says a product taken off sale cannot be bought', async () => {
    const r = await chat(shopTools(false), '第二个怎么买', shown);
    expect(r.text).toContain('下架');
    expect(r.text).not.toContain('去看看');
  });
});

describe('how to buy with nothing shown yet', () => {
  it('finds the product named and says where to buy it', async () => {
    const r = await chat(shopTools(), '悦颜面霜怎么买');
    expect(r.calls.map((c) => c.name)).toContain('searchProducts');
    expect(r.text).toContain('悦颜 玻尿酸保湿面霜');
    expect(r.text).toContain('商品页');
  });

  it('asks which product, never answering with nothing', async () => {
    const r = await chat(shopTools(), '帮我下单');
    expect(r.text.trim()).not.toBe('');
  });
});
