// Buying again and coupons for a purchase, driven through the offline model the way the agent loop
// drives it, with canned tools shaped like the real ones.
import { type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import { productWordIn } from '../../../src/agent/offline/slots.ts';
import type { ToolOutput } from '../../../tools/defineTool.ts';
import { TOOLS } from '../../../tools/index.ts';
import { offlineChat } from '../../helpers/offlineChat.ts';

const CONTEXT = {
  shopName: '老铁优选',
  advisorName: '小美',
  tier: 'converted',
  today: '2026-11-24',
  categories: ['洗衣液', '面膜', '身体乳'],
  productNames: ['薰衣草洗衣液', '玫瑰美白身体乳', '补水面膜'],
  handoffAvailable: true,
};

const { canned, chat: talk } = offlineChat(CONTEXT);
const chat = (user: string, tools: ToolSet) => talk(tools, user);

const DETERGENT = {
  id: 41,
  name: '净澈 薰衣草洗衣液 3kg',
  brand: '净澈',
  category: '洗衣液',
  price: '¥39.90',
  onSale: true,
  inStock: true,
  stock: 120,
  skinTypes: [],
  colors: [],
  effects: [],
  description: '低泡易漂。',
  usageCycleDays: 45,
  traceability: { origin: '广州', qcReportRef: 'QC-1', batchNo: 'B1', supplier: '净澈', warehouse: '广州仓' },
  shippingPromise: '48小时内发货',
  page: '/pages/goods/detail?id=41',
};

const MASK = { id: 52, name: '水漾 补水面膜 1片', brand: '水漾', category: '面膜', price: '¥9.90', inStock: true, page: '/pages/goods/detail?id=52' };

const ORDERS: ToolOutput<typeof TOOLS.listOrders>['orders'] = [
  {
    orderNo: 'LT20261010000042',
    status: 'completed',
    statusLabel: '已完成',
    createdAt: '2026-10-10T02:00:00.000Z',
    payFen: 3990,
    pay: '¥39.90',
    items: '净澈 薰衣草洗衣液 3kg ×1',
    products: [{ productId: 41, name: '净澈 薰衣草洗衣液 3kg', category: '洗衣液', quantity: 1, page: '/pages/goods/detail?id=41' }],
    shipment: { status: 'delivered', statusLabel: '已签收' },
    afterSales: { open: false, kinds: [], note: '售后期已结束。' },
  },
];

type Usable = ToolOutput<typeof TOOLS.listCoupons>['usable'];

function shopTools(usable: Usable): ToolSet {
  return {
    listOrders: canned(TOOLS.listOrders, () => ({ orders: ORDERS, hasMore: false })),
    getProduct: canned(TOOLS.getProduct, ({ productId }) =>
      productId === DETERGENT.id ? DETERGENT : { error: { code: 'not_found', message: `本店没有 id 为 ${productId} 的商品` } },
    ),
    searchProducts: canned(TOOLS.searchProducts, ({ query }) => ({ products: query === '面膜' ? [MASK] : [] })),
    listCoupons: canned(TOOLS.listCoupons, () => ({ usable, claimable: [] })),
  };
}

const NEWCOMER_99 = { name: '新人专享券', rule: '满99减10', minSpendFen: 9900, validUntil: '2026-12-31T00:00:00.000Z' };
const NEWCOMER_FREE = { name: '新人专享券', rule: '无门槛减5', minSpendFen: 0, validUntil: '2026-12-31T00:00:00.000Z' };

describe('buying the same product again', () => {
  it('finds the product among her orders, looks it up as it is now, and says the card cannot place the order', async () => {
    const r = await chat('洗衣液快用完了 再来一桶一样的', shopTools([]));
    expect(r.calls[0]).toMatchObject({ name: 'listOrders', input: { productKeyword: '洗衣液' } });
    expect(r.calls[1]).toEqual({ name: 'getProduct', input: { productId: 41 } });
    expect(r.text).toContain('净澈 薰衣草洗衣液 3kg');
    expect(r.text).toContain('¥39.90');
    expect(r.text).toContain('不能替你下单');
    expect(r.text).not.toContain('已为你下单');
  });
});

describe("buying again by the shopper's word for a category", () => {
  const CLEANSER_ORDER = {
    ...ORDERS[0]!,
    orderNo: 'LT20261101000077',
    items: '初研 酵素洁颜粉 50g ×1',
    products: [{ productId: 63, name: '初研 酵素洁颜粉 50g', category: '洁面', quantity: 1, page: '/pages/goods/detail?id=63' }],
  };
  const CLEANSER = { ...DETERGENT, id: 63, name: '初研 酵素洁颜粉 50g', brand: '初研', category: '洁面', price: '¥119.00', page: '/pages/goods/detail?id=63' };
  const shop = offlineChat({ ...CONTEXT, categories: ['洁面', '洗衣液'], productNames: ['酵素洁颜粉', '薰衣草洗衣液'] });

  it('finds the 洁颜粉 she bought when she asks for her 洗面奶 again, by the shop category the word means', async () => {
    const tools: ToolSet = {
      listOrders: shop.canned(TOOLS.listOrders, ({ productKeyword }) => ({ orders: productKeyword === '洁面' ? [CLEANSER_ORDER] : [], hasMore: false })),
      getProduct: shop.canned(TOOLS.getProduct, () => CLEANSER),
      searchProducts: shop.canned(TOOLS.searchProducts, () => ({ products: [] })),
    };
    const r = await shop.chat(tools, '洗面奶用完啦 同款再来一个');
    expect(r.calls[0]).toMatchObject({ name: 'listOrders', input: { productKeyword: '洁面' } });
    expect(r.calls[1]).toEqual({ name: 'getProduct', input: { productId: 63 } });
    expect(r.text).toContain('初研 酵素洁颜粉 50g');
  });
});

describe('a coupon for a stated purchase', () => {
  it('says a coupon whose threshold the price does not reach cannot be used yet', async () => {
    const r = await chat('新人券能买那个9块9的面膜吗', shopTools([NEWCOMER_99]));
    expect(r.calls.map((c) => c.name)).toContain('listCoupons');
    expect(r.text).toContain('还用不了');
    expect(r.text).toMatch(/不满¥99.*还差¥89\.1/);
  });

  it('says a coupon with no threshold can be used directly', async () => {
    const r = await chat('新人券能买那个9块9的面膜吗', shopTools([NEWCOMER_FREE]));
    expect(r.text).toContain('无门槛');
    expect(r.text).toContain('可以直接用');
    expect(r.text).not.toContain('还用不了');
  });

  it('says so when she has no coupon she can use', async () => {
    const r = await chat('新人券能买那个9块9的面膜吗', shopTools([]));
    expect(r.calls.map((c) => c.name)).toContain('listCoupons');
    expect(r.text).toContain('没有可用的优惠券');
  });
});

describe('productWordIn: the piece of a product name a message uses', () => {
  it('takes the head noun of the name ("身体乳" of 玫瑰美白身体乳)', () => {
    expect(productWordIn('身体乳用完了', ['玫瑰美白身体乳'])).toBe('身体乳');
  });

  it('prefers the longest piece the message contains', () => {
    expect(productWordIn('玫瑰身体乳和美白身体乳哪个好', ['玫瑰美白身体乳'])).toBe('美白身体乳');
  });

  it('takes the piece that ends a name (洗衣液) over an equally long one inside it (薰衣草)', () => {
    expect(productWordIn('要薰衣草味的那个洗衣液', ['薰衣草洗衣液'])).toBe('洗衣液');
  });

  it('ignores effect words: 保湿 names a need, not a product', () => {
    expect(productWordIn('有保湿的吗', ['玻尿酸保湿面霜'])).toBeUndefined();
  });
});
