// An after-sales question on an order that can get the request is answered and the request offered;
// a short yes then asks for it, and a question that says it is not asking for one asks for nothing.
import { type ModelMessage, type ToolSet } from 'ai';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ToolOutput } from '../../../tools/defineTool.ts';
import { TOOLS } from '../../../tools/index.ts';
import { offlineChat } from '../../helpers/offlineChat.ts';

const CONTEXT = {
  shopName: '老铁美妆',
  advisorName: '小美',
  tier: 'converted',
  today: '2026-11-24',
  categories: ['化妆水', '面霜'],
  productNames: ['精粹水', '玻尿酸保湿面霜'],
  handoffAvailable: true,
};

const { canned, chat: talk } = offlineChat(CONTEXT);
const chat = (history: ModelMessage[], user: string) => talk(TOOLS_CANNED, user, history);

const TONER_ORDER = 'LT20261123000300';

const ORDERS: ToolOutput<typeof TOOLS.listOrders>['orders'] = [
  {
    orderNo: TONER_ORDER,
    status: 'paid',
    statusLabel: '已付款',
    createdAt: '2026-11-23T02:00:00.000Z',
    payFen: 19900,
    pay: '¥199.00',
    items: '澄肌 精粹水 150ml ×1',
    products: [{ productId: 31, name: '澄肌 精粹水 150ml', category: '精粹水', quantity: 1, page: '/pages/goods/detail?id=31' }],
    shipment: null,
    afterSales: { open: true, kinds: ['refund'], note: '订单还没有发货，可以直接申请退款。' },
  },
  {
    orderNo: 'LT20261110000120',
    status: 'delivered',
    statusLabel: '已签收',
    createdAt: '2026-11-10T02:00:00.000Z',
    payFen: 12900,
    pay: '¥129.00',
    items: '悦颜 玻尿酸保湿面霜 ×1',
    products: [{ productId: 11, name: '悦颜 玻尿酸保湿面霜', category: '面霜', quantity: 1, page: '/pages/goods/detail?id=11' }],
    shipment: { status: 'delivered', statusLabel: '已签收' },
    afterSales: { open: true, kinds: ['return', 'exchange', 'refund'], note: '可以申请退货、换货或退款，售后期到 2026-11-25 为止。' },
  },
];

const TONER_DETAIL: ToolOutput<typeof TOOLS.getOrder> = {
  orderNo: TONER_ORDER,
  status: 'paid',
  statusLabel: '已付款',
  createdAt: '2026-11-23T02:00:00.000Z',
  items: [{ productId: 31, name: '澄肌 精粹水 150ml', quantity: 1, unitPriceFen: 19900, unitPrice: '¥199.00' }],
  amounts: { itemsFen: 19900, items: '¥199.00', discountFen: 0, discount: '¥0.00', shippingFen: 0, shipping: '¥0.00', payFen: 19900, pay: '¥199.00' },
  timeline: [{ status: 'paid', label: '已付款', at: '2026-11-23T02:00:00.000Z' }],
  address: { name: '阿花', phone: '138****5678', region: '上海市', detail: '某路1号' },
  shipment: null,
  afterSales: null,
  afterSalesEligible: true,
  afterSalesReason: { kinds: ['refund'], windowClosesAt: null, message: '' },
};

let orders = ORDERS;
beforeEach(() => {
  orders = ORDERS;
});

const TOOLS_CANNED: ToolSet = {
  listOrders: canned(TOOLS.listOrders, ({ productKeyword }) => ({
    orders: productKeyword ? orders.filter((o) => o.items.includes(productKeyword)) : orders,
    hasMore: false,
  })),
  getOrder: canned(TOOLS.getOrder, ({ orderNo }) =>
    orderNo === TONER_ORDER ? TONER_DETAIL : { error: { code: 'not_found', message: 'order not found' } },
  ),
  createAfterSales: canned(TOOLS.createAfterSales, (i) => ({
    accepted: true as const,
    requestNo: `AS${i.orderNo}-1`,
    kind: i.kind,
    kindLabel: '仅退款',
    status: 'requested' as const,
    statusLabel: '已提交，待商家处理',
    amountFen: 19900,
    amount: '¥199.00',
    needsStaffReview: false,
    next: '退款申请已提交，商家同意后 ¥199.00 原路退回。',
  })),
  searchKnowledge: canned(TOOLS.searchKnowledge, () => ({
    results: [{ source: 'return-policy', title: '退换货与退款政策', heading: '7天无理由退货', excerpt: '签收后7天内可以申请无理由退货，商品需保持完好。' }],
  })),
};

const names = (r: { calls: { name: string }[] }) => r.calls.map((c) => c.name);

describe('an after-sales question on an order that can get the request', () => {
  it('answers from the order and offers the refund with two taps, filing nothing', async () => {
    const r = await chat([], '那单精粹水能退钱吗');
    expect(names(r)).not.toContain('createAfterSales');
    expect(names(r)).toContain('getOrder');
    expect(r.text).toContain(TONER_ORDER);
    expect(r.text).toContain('要我现在帮你申请退款吗？');
    expect(r.quickReplies).toHaveLength(2);
    expect(r.quickReplies[0]).toContain('退款');
  });

  it('answers "can I still cancel it?" and "还能取消吗" with the offer, filing nothing', async () => {
    for (const m of ['can I still cancel it?', '还能取消吗']) {
      const r = await chat([], m);
      expect(names(r), m).not.toContain('createAfterSales');
      expect(names(r), m).toContain('getOrder');
    }
  });

  it('asks for the refund of that order once the shopper says yes', async () => {
    const first = await chat([], '那单精粹水能退钱吗');
    const second = await chat(first.messages, '对的');
    expect(second.calls).toHaveLength(1);
    expect(second.calls[0]).toMatchObject({ name: 'createAfterSales', input: { orderNo: TONER_ORDER, kind: 'refund' } });
  });

  it('asks for nothing when the shopper says she is not asking for a return, even with one order that could get one', async () => {
    orders = ORDERS.filter((o) => o.status === 'delivered');
    const r = await chat([], '不是要退货 就想知道退货的规矩');
    expect(names(r)).not.toContain('createAfterSales');
  });

  it('takes a reaction to something she used (用了脸上长痘痘) as a complaint about her order, never a skin type to shop for', async () => {
    orders = ORDERS.filter((o) => o.status === 'delivered');
    const r = await chat([], '擦了你们的面霜脸上长痘痘了');
    expect(names(r)).toContain('listOrders');
    expect(names(r)).not.toContain('searchProducts');
    expect(names(r)).not.toContain('createAfterSales');
  });

  it('answers a question about the return rules from the rules alone, once', async () => {
    const r = await chat([], '不是要退货 就想知道退货的规矩');
    expect(names(r)).toEqual(['searchKnowledge']);
    expect(r.text).toContain('《退换货与退款政策》');
    expect(r.text.split('签收后7天内').length).toBe(2);
  });
});
