// The writes that wait for the shopper's yes (createAfterSales, redeemPoints), driven the way the agent
// loop drives the offline model over canned tools shaped like the real ones: a request is stated
// however it is phrased; a question about the rules, a case imagined or "not now" states none.
import { type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import type { ToolOutput } from '../../../tools/defineTool.ts';
import { TOOLS } from '../../../tools/index.ts';
import { offlineChat } from '../../helpers/offlineChat.ts';

const CONTEXT = {
  shopName: '老铁美妆',
  advisorName: '小美',
  tier: 'converted',
  today: '2026-11-24',
  categories: ['化妆水', '面霜', '面膜'],
  productNames: ['精粹水', '玻尿酸保湿面霜', '补水面膜'],
  handoffAvailable: true,
};

const { canned, chat } = offlineChat(CONTEXT);

const TONER_ORDER = 'LT20261123000300';
const CREAM_ORDER = 'LT20261118000120';

const ORDERS: ToolOutput<typeof TOOLS.listOrders>['orders'] = [
  {
    orderNo: TONER_ORDER,
    status: 'paid',
    statusLabel: '已付款',
    createdAt: '2026-11-23T02:00:00.000Z',
    payFen: 19900,
    pay: '¥199.00',
    items: '澄肌 精粹水 150ml ×1',
    products: [{ productId: 31, name: '澄肌 精粹水 150ml', category: '化妆水', quantity: 1, page: '/pages/goods/detail?id=31' }],
    shipment: null,
    afterSales: { open: true, kinds: ['refund'], note: '订单还没有发货，可以直接申请退款。' },
  },
  {
    orderNo: CREAM_ORDER,
    status: 'delivered',
    statusLabel: '已签收',
    createdAt: '2026-11-18T02:00:00.000Z',
    payFen: 12900,
    pay: '¥129.00',
    items: '悦颜 玻尿酸保湿面霜 ×1',
    products: [{ productId: 11, name: '悦颜 玻尿酸保湿面霜', category: '面霜', quantity: 1, page: '/pages/goods/detail?id=11' }],
    shipment: { status: 'delivered', statusLabel: '已签收' },
    afterSales: { open: true, kinds: ['return', 'exchange', 'refund'], note: '可以申请退货、换货或退款，售后期到 2026-11-25 为止。' },
  },
];

const POINTS = {
  balance: 150,
  recent: [{ delta: 150, reason: '订单完成奖励（每消费1元得1积分）', at: '2026-11-18T02:00:00.000Z' }],
  redeemable: [{ templateCode: 'points-10-yuan', name: '积分兑换无门槛券', rule: '无门槛减10', pointsCost: 100, affordable: true }],
};

const tools: ToolSet = {
  listOrders: canned(TOOLS.listOrders, ({ since, productKeyword }) => ({
    orders: ORDERS.filter((o) => (!since || o.createdAt.slice(0, 10) >= since) && (!productKeyword || o.items.includes(productKeyword))),
    hasMore: false,
  })),
  getOrder: canned(TOOLS.getOrder, () => ({ error: { code: 'not_found', message: 'order not found' } })),
  createAfterSales: canned(TOOLS.createAfterSales, (i) => ({
    accepted: true as const,
    requestNo: `AS${i.orderNo}-1`,
    kind: i.kind,
    kindLabel: '退货退款',
    status: 'requested' as const,
    statusLabel: '已提交，待商家处理',
    amountFen: 12900,
    amount: '¥129.00',
    needsStaffReview: false,
    next: '已提交。',
  })),
  searchKnowledge: canned(TOOLS.searchKnowledge, () => ({
    results: [{ source: 'return-policy', title: '退换货与退款政策', heading: '退款时效', excerpt: '退款原路退回。微信零钱一般即时到账，银行卡一般1–3个工作日到账。' }],
  })),
  getPoints: canned(TOOLS.getPoints, () => POINTS),
  redeemPoints: canned(TOOLS.redeemPoints, () => ({
    redeemed: true as const,
    name: '积分兑换无门槛券',
    rule: '无门槛减10',
    pointsSpent: 100,
    balance: 50,
    validUntil: '2026-12-24T00:00:00.000Z',
  })),
};

const names = (r: { calls: { name: string }[] }) => r.calls.map((c) => c.name);
const filed = (r: { calls: { name: string; input: Record<string, unknown> }[] }) => r.calls.find((c) => c.name === 'createAfterSales')?.input;

describe('after-sales: a request is stated however it is phrased', () => {
  it('states a refund of the toner order named by its category ("cancel and refund my order, … the toner")', async () => {
    const r = await chat(tools, 'Please cancel and refund my order, I changed my mind about the toner.');
    expect(filed(r)).toMatchObject({ orderNo: TONER_ORDER, kind: 'refund' });
  });

  it('states a return of "今天刚到的" goods bought days before ("能帮我退一下今天刚到的面霜吗 原因是买重复了")', async () => {
    const r = await chat(tools, '能帮我退一下今天刚到的面霜吗 原因是买重复了');
    expect(filed(r)).toMatchObject({ orderNo: CREAM_ORDER, kind: 'return' });
  });

  it('states an exchange for a crushed box ("面霜收到外盒压扁了 我想换一瓶新的")', async () => {
    const r = await chat(tools, '面霜收到外盒压扁了 我想换一瓶新的');
    expect(filed(r)).toMatchObject({ orderNo: CREAM_ORDER, kind: 'exchange' });
  });

  it('states a return asked for politely in English ("it breaks me out. Can you start a return for it?")', async () => {
    const r = await chat(tools, 'Hey, the face cream that arrived this week breaks me out. Can you start a return for it?');
    expect(filed(r)).toMatchObject({ orderNo: CREAM_ORDER, kind: 'return' });
  });
});

describe('after-sales: a question states no request', () => {
  it('answers where a refund goes from the rules, stating none ("退款是退到微信还是银行卡")', async () => {
    const r = await chat(tools, '退款是退到微信还是银行卡');
    expect(names(r)).not.toContain('createAfterSales');
    expect(names(r)).toContain('searchKnowledge');
    expect(r.text).toContain('原路');
  });

  it('answers whether opened goods may be returned from the return rules too, stating none ("拆了塑封的面霜还能退吗")', async () => {
    const r = await chat(tools, '拆了塑封的面霜还能退吗？');
    expect(names(r)).not.toContain('createAfterSales');
    expect(names(r)).toContain('searchKnowledge');
    expect(r.text).toContain('《退换货与退款政策》');
  });

  it('states nothing for a case imagined ("要是面膜敷了不合适 我是退还是换比较好")', async () => {
    const r = await chat(tools, '要是面霜用了不合适 我是退还是换比较好');
    expect(names(r)).not.toContain('createAfterSales');
  });
});

describe('points: a redemption asked for is stated, one put off is not', () => {
  it('states nothing when she says not now ("我150分 能换一张10块的不 不用现在换")', async () => {
    const r = await chat(tools, '我150分 能换一张10块的不 不用现在换');
    expect(names(r)).not.toContain('redeemPoints');
    expect(r.text).toContain('150');
  });

  it('states the redemption asked for in English ("swap some of my points for that 10 yuan voucher, go ahead")', async () => {
    const r = await chat(tools, 'swap some of my points for that 10 yuan voucher, go ahead');
    expect(names(r)).toContain('redeemPoints');
  });

  it('states the redemption ordered in one clause beside a question in another ("积分那么多 换一张10元的券 顺便告诉我还剩多少")', async () => {
    const r = await chat(tools, '积分那么多 换一张10元的券 顺便告诉我还剩多少');
    expect(names(r)).toContain('redeemPoints');
  });
});
