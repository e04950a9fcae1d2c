import { z } from 'zod';
import { itemsOfOrders, itemSummary } from '../src/domain/orders/items.ts';
import { formatFen } from '../src/domain/orders/money.ts';
import { afterSalesEligibility } from '../src/domain/aftersales/eligibility.ts';
import { AFTER_SALES_KINDS } from '../src/domain/aftersales/labels.ts';
import { ordersWithBlockingRequest } from '../src/domain/aftersales/repo.ts';
import { listOwnOrders, type Order } from '../src/domain/orders/repo.ts';
import { heldOrGetShop, type Shop } from '../src/domain/shops/repo.ts';
import { productPage } from '../src/domain/shops/settings.ts';
import { latestShipments } from '../src/domain/orders/shipments.ts';
import {
  ORDER_STATUS_FILTERS,
  ORDER_STATUS_LABELS,
  ORDER_STATUSES,
  SHIPMENT_STATUSES,
  SHIPMENT_STATUS_LABELS,
  statusesFor,
} from '../src/domain/orders/status.ts';
import { typable } from '../src/text/typable.ts';
import { defineTool } from './defineTool.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export const listOrders = defineTool({
  name: 'listOrders',
  effect: 'read',
  subject: 'orders',
  output: z.object({
    orders: z.array(
      z.object({
        orderNo: z.string(),
        status: z.enum(ORDER_STATUSES),
        statusLabel: z.string(),
        createdAt: z.string(),
        payFen: z.number(),
        pay: z.string(),
        /** '修护精华 ×1、补水面膜 ×2' */
        items: z.string(),
        /** The products of the order, with the ids getProduct takes and the page she buys each again on ("再来一瓶一样的"). */
        products: z.array(z.object({ productId: z.number(), name: z.string(), category: z.string(), quantity: z.number(), page: z.string() })),
        shipment: z.object({ status: z.enum(SHIPMENT_STATUSES), statusLabel: z.string() }).nullable(),
        /** Whether an after-sales request can be made for it now, and which kinds. */
        afterSales: z.object({
          open: z.boolean(),
          kinds: z.array(z.enum(AFTER_SALES_KINDS)),
          /** Why not, or until when: "售后期已于 11月23日 结束（签收后 7 天内可申请）". */
          note: z.string(),
        }),
      }),
    ),
    hasMore: z.boolean(),
  }),
  description:
    '列出当前顾客自己的订单（最近的在前），含订单号、状态、金额、商品摘要和物流状态。' +
    '顾客问"我的订单""买过什么""还没发货的那单"、或提到订单却没给订单号时先用它找到订单号，再用 getOrder / trackShipment / createAfterSales。' +
    '状态可按单个状态或分组筛选：to_pay 待付款、to_ship 待发货、in_transit 运输中、not_received 还没收到（待发货+运输中）、received 已签收/已完成、closed 已取消/已退款。' +
    '商品的 page 是商城里的商品页：你不能下单，顾客想再买时请她点商品页去买。',
  input: z.object({
    status: z
      .enum(ORDER_STATUS_FILTERS)
      .optional()
      .describe('按状态筛选：created/paid/shipped/delivered/completed/cancelled/refunded，或分组 to_pay/to_ship/in_transit/not_received/received/closed'),
    since: z
      .union([z.iso.date(), z.iso.datetime({ offset: true })])
      .optional()
      .describe('只看此时间之后下的单：日期 YYYY-MM-DD（店铺当地时间当天零点起）或带时区的 ISO 时间'),
    productKeyword: typable().trim().min(1).max(40).optional().describe('商品名称里的关键词或商品的品类，如"精华""面膜""洁面" / a word of the item name, or its category'),
    limit: z.number().int().min(1).max(20).default(5).describe('最多返回几单，默认 5，最多 20'),
  }),
  async execute(ctx, input) {
    const orders = await listOwnOrders(ctx.db, ctx.caller, {
      statuses: input.status ? statusesFor(input.status) : undefined,
      sinceDay: input.since && DATE_ONLY.test(input.since) ? input.since : undefined,
      sinceInstant: input.since && !DATE_ONLY.test(input.since) ? new Date(input.since) : undefined,
      productKeyword: input.productKeyword,
      // One more than asked tells whether there are more to mention.
      limit: input.limit + 1,
    });
    const shown = orders.slice(0, input.limit);
    const ids = shown.map((o) => o.id);
    const [items, shipments, blocked, shop] = await Promise.all([
      itemsOfOrders(ctx.db, ctx.caller.shopId, ids),
      latestShipments(ctx.db, ctx.caller.shopId, ids),
      ordersWithBlockingRequest(ctx.db, ctx.caller.shopId, ids),
      heldOrGetShop(ctx.db, ctx.caller.shopId, ctx.shop),
    ]);
    const now = ctx.clock.now();
    return {
      orders: shown.map((o) => {
        const shipment = shipments.get(o.id);
        return {
          orderNo: o.orderNo,
          status: o.status,
          statusLabel: ORDER_STATUS_LABELS[o.status],
          createdAt: o.createdAt.toISOString(),
          payFen: o.payFen,
          pay: formatFen(o.payFen),
          items: itemSummary(items.get(o.id) ?? []),
          products: (items.get(o.id) ?? []).map((i) => ({ productId: i.productId, name: i.productName, category: i.category, quantity: i.quantity, page: productPage(shop.settings, i.productId) })),
          shipment: shipment ? { status: shipment.status, statusLabel: SHIPMENT_STATUS_LABELS[shipment.status] } : null,
          afterSales: afterSalesNow(o, blocked.has(o.id), shop, now),
        };
      }),
      hasMore: orders.length > input.limit,
    };
  },
});

function afterSalesNow(order: Order, blocked: boolean, shop: Shop, now: Date) {
  const e = afterSalesEligibility({ order, hasBlockingRequest: blocked, returnWindowDays: shop.settings.returnWindowDays, timezone: shop.timezone, now });
  return e.eligible ? { open: true, kinds: [...e.kinds], note: e.message } : { open: false, kinds: [], note: e.refusal.message };
}
