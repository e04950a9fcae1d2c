// What a complaint asks for, read by the offline model over canned tools: a fault with "能换个…的" asks
// for the exchange (not a product search), a second ask after the list of orders closed to requests
// offers a person rather than the list again, and courtesy alone ends the talk without a question.
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
  categories: ['粉底液', '面霜'],
  productNames: ['奶油肌哑光控油粉底液', '玻尿酸保湿面霜'],
  handoffAvailable: true,
};

const { canned, chat: talk } = offlineChat(CONTEXT);
const chat = (history: ModelMessage[], user: string) => talk(TOOLS_CANNED, user, history);

const FOUNDATION = 'LT20261118706889';
type Line = ToolOutput<typeof TOOLS.listOrders>['orders'][number];

const OPEN: Line = {
  orderNo: FOUNDATION,
  status: 'delivered',
  statusLabel: '已签收',
  createdAt: '2026-11-18T02:00:00.000Z',
  payFen: 12900,
  pay: '¥129.00',
  items: '悦颜 奶油肌哑光控油粉底液 30ml ×1',
  products: [{ productId: 7, name: '悦颜 奶油肌哑光控油粉底液 30ml', category: '粉底液', quantity: 1, page: '/pages/goods/detail?id=7' }],
  shipment: { status: 'delivered', statusLabel: '已签收' },
  afterSales: { open: true, kinds: ['return', 'exchange', 'refund'], note: '可以申请退货、换货或退款，售后期到 2026-12-01 为止。' },
};
const CLOSED: Line = {
  ...OPEN,
  orderNo: 'LT20261101000100',
  createdAt: '2026-11-01T02:00:00.000Z',
  items: '悦颜 玻尿酸保湿面霜 ×1',
  products: [{ productId: 11, name: '悦颜 玻尿酸保湿面霜', category: '面霜', quantity: 1, page: '/pages/goods/detail?id=11' }],
  afterSales: { open: false, kinds: [], note: '售后期已于 2026-11-14 结束（签收后 7 天内可申请）。' },
};

let orders: Line[] = [OPEN];
beforeEach(() => {
  orders = [OPEN];
});

const TOOLS_CANNED: ToolSet = {
  listOrders: canned(TOOLS.listOrders, () => ({ orders, hasMore: false })),
  getOrder: canned(TOOLS.getOrder, () => ({ error: { code: 'not_found', message: 'order not found' } })),
  searchProducts: canned(TOOLS.searchProducts, () => ({ products: [] })),
  createAfterSales: canned(TOOLS.createAfterSales, (i) => ({
    accepted: true as const,
    requestNo: `AS${i.orderNo}-1`,
    kind: i.kind,
    kindLabel: '换货',
    status: 'requested' as const,
    statusLabel: '已提交，待商家处理',
    amountFen: 12900,
    amount: '¥129.00',
    needsStaffReview: false,
    next: '商家审核通过后会告诉你寄回地址。',
  })),
  searchKnowledge: canned(TOOLS.searchKnowledge, () => ({ results: [] })),
};

const names = (r: { calls: { name: string }[] }) => r.calls.map((c) => c.name);

describe('a complaint that asks for a remedy', () => {
  it('asks for the exchange of the foundation for "粉底液上脸有点卡粉 想问问能不能换个水润一点的", not a product search', async () => {
    const r = await chat([], '粉底液上脸有点卡粉 想问问能不能换个水润一点的');
    expect(names(r)).not.toContain('searchProducts');
    expect(r.calls.find((c) => c.name === 'createAfterSales')?.input).toMatchObject({ orderNo: FOUNDATION, kind: 'exchange' });
  });

  it('answers a second "换货吧" after the list of closed orders with a person to turn to, not the list again', async () => {
    orders = [CLOSED];
    const first = await chat([], '我想换货');
    expect(first.text).toContain(CLOSED.orderNo);
    const second = await chat(first.messages, '换货吧');
    expect(names(second)).not.toContain('createAfterSales');
    expect(second.text).not.toContain(CLOSED.orderNo);
    expect(second.text).toContain('人工客服');
    expect(second.quickReplies).toEqual(['转人工']);
  });

  it('ends the talk on courtesy alone ("算了 不用了 我再用用看") without a tool or a question', async () => {
    const r = await chat([], '算了 不用了 我再用用看');
    expect(names(r)).toEqual([]);
    expect(r.text).not.toMatch(/[？?]\s*$/);
    expect(r.text).not.toContain('没太明白');
  });
});
