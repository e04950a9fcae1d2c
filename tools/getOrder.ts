import { z } from 'zod';
import { AFTER_SALES_KIND_LABELS, AFTER_SALES_KINDS, AFTER_SALES_STATUS_LABELS, AFTER_SALES_STATUSES } from '../src/domain/aftersales/labels.ts';
import { latestRequestOf } from '../src/domain/aftersales/repo.ts';
import { eligibilityOf } from '../src/domain/aftersales/request.ts';
import { itemsOfOrders } from '../src/domain/orders/items.ts';
import { formatFen } from '../src/domain/orders/money.ts';
import { getOwnOrder } from '../src/domain/orders/repo.ts';
import { latestShipment } from '../src/domain/orders/shipments.ts';
import { ORDER_STATUS_LABELS, ORDER_STATUSES, SHIPMENT_STATUS_LABELS, SHIPMENT_STATUSES } from '../src/domain/orders/status.ts';
import { orderTimeline } from '../src/domain/orders/timeline.ts';
import { maskPhone } from '../src/domain/shoppers/mask.ts';
import { heldOrGetShop } from '../src/domain/shops/repo.ts';
import { typable } from '../src/text/typable.ts';
import { defineTool } from './defineTool.ts';

const money = { fen: z.number(), display: z.string() };

export const getOrder = defineTool({
  name: 'getOrder',
  effect: 'read',
  subject: 'orders',
  orderOf: (input) => input.orderNo,
  output: z.object({
    orderNo: z.string(),
    status: z.enum(ORDER_STATUSES),
    statusLabel: z.string(),
    createdAt: z.string(),
    items: z.array(z.object({ productId: z.number(), name: z.string(), quantity: z.number(), unitPriceFen: z.number(), unitPrice: z.string() })),
    amounts: z.object({
      itemsFen: money.fen,
      items: money.display,
      discountFen: money.fen,
      discount: money.display,
      shippingFen: money.fen,
      shipping: money.display,
      payFen: money.fen,
      pay: money.display,
    }),
    timeline: z.array(z.object({ status: z.string(), label: z.string(), at: z.string() })),
    address: z.object({ name: z.string().nullable(), phone: z.string().nullable(), region: z.string().nullable(), detail: z.string().nullable() }),
    shipment: z
      .object({
        carrier: z.string(),
        trackingNo: z.string(),
        status: z.enum(SHIPMENT_STATUSES),
        statusLabel: z.string(),
        eta: z.string().nullable(),
      })
      .nullable(),
    afterSales: z
      .object({
        requestNo: z.string(),
        kind: z.enum(AFTER_SALES_KINDS),
        kindLabel: z.string(),
        status: z.enum(AFTER_SALES_STATUSES),
        statusLabel: z.string(),
        amountFen: z.number(),
        amount: z.string(),
        createdAt: z.string(),
      })
      .nullable(),
    afterSalesEligible: z.boolean(),
    afterSalesReason: z.union([
      z.object({ kinds: z.array(z.enum(AFTER_SALES_KINDS)), windowClosesAt: z.string().nullable(), message: z.string() }),
      z.object({ code: z.string(), message: z.string(), windowClosedAt: z.string().nullable() }),
    ]),
  }),
  description:
    '查看当前顾客自己某个订单的详情：商品、金额、状态时间线、收货地址（手机号已打码）、物流概况、售后进度，' +
    '以及现在能否申请售后（afterSalesEligible + 原因）。顾客问某一单的情况、或想退换货前先用它确认。不知道订单号时先调用 listOrders。',
  input: z.object({
    orderNo: typable().trim().min(1).max(64).describe('订单号；不确定时先调用 listOrders'),
  }),
  async execute(ctx, { orderNo }) {
    const { db, caller } = ctx;
    const order = await getOwnOrder(db, caller, orderNo);
    const shop = await heldOrGetShop(db, caller.shopId, ctx.shop);
    const [items, shipment, afterSales, eligibility] = await Promise.all([
      itemsOfOrders(db, caller.shopId, [order.id]).then((m) => m.get(order.id) ?? []),
      latestShipment(db, caller.shopId, order.id),
      latestRequestOf(db, caller.shopId, order.id),
      eligibilityOf(db, order, shop, ctx.clock.now()),
    ]);
    return {
      orderNo: order.orderNo,
      status: order.status,
      statusLabel: ORDER_STATUS_LABELS[order.status],
      createdAt: order.createdAt.toISOString(),
      items: items.map((i) => ({
        productId: i.productId,
        name: i.productName,
        quantity: i.quantity,
        unitPriceFen: i.unitPriceFen,
        unitPrice: formatFen(i.unitPriceFen),
      })),
      amounts: {
        itemsFen: order.itemsFen,
        items: formatFen(order.itemsFen),
        discountFen: order.discountFen,
        discount: formatFen(order.discountFen),
        shippingFen: order.shippingFen,
        shipping: formatFen(order.shippingFen),
        payFen: order.payFen,
        pay: formatFen(order.payFen),
      },
      timeline: orderTimeline(order).map((s) => ({ status: s.status, label: s.label, at: s.at.toISOString() })),
      address: {
        name: order.address.name ?? null,
        phone: maskPhone(order.address.phone),
        region: order.address.region ?? null,
        detail: order.address.detail ?? null,
      },
      shipment: shipment && {
        carrier: shipment.carrier,
        trackingNo: shipment.trackingNo,
        status: shipment.status,
        statusLabel: SHIPMENT_STATUS_LABELS[shipment.status],
        eta: shipment.eta?.toISOString() ?? null,
      },
      afterSales: afterSales && {
        requestNo: afterSales.requestNo,
        kind: afterSales.kind,
        kindLabel: AFTER_SALES_KIND_LABELS[afterSales.kind],
        status: afterSales.status,
        statusLabel: AFTER_SALES_STATUS_LABELS[afterSales.status],
        amountFen: afterSales.amountFen,
        amount: formatFen(afterSales.amountFen),
        createdAt: afterSales.createdAt.toISOString(),
      },
      afterSalesEligible: eligibility.eligible,
      afterSalesReason: eligibility.eligible
        ? {
            kinds: [...eligibility.kinds],
            windowClosesAt: eligibility.windowClosesAt?.toISOString() ?? null,
            message: eligibility.message,
          }
        : {
            code: eligibility.refusal.code,
            message: eligibility.refusal.message,
            windowClosedAt: eligibility.refusal.windowClosedAt?.toISOString() ?? null,
          },
    };
  },
});
