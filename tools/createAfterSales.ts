import { z } from 'zod';
import { AFTER_SALES_KIND_LABELS, AFTER_SALES_KINDS, AFTER_SALES_STATUS_LABELS } from '../src/domain/aftersales/labels.ts';
import { AfterSalesRefused, previewAfterSales, requestAfterSales } from '../src/domain/aftersales/request.ts';
import { itemsOfOrders, itemSummary } from '../src/domain/orders/items.ts';
import { formatFen } from '../src/domain/orders/money.ts';
import { typable } from '../src/text/typable.ts';
import { defineTool } from './defineTool.ts';

export const createAfterSales = defineTool({
  name: 'createAfterSales',
  effect: 'write',
  subject: 'orders',
  orderOf: (input) => input.orderNo,
  output: z.discriminatedUnion('accepted', [
    z.object({
      accepted: z.literal(true),
      requestNo: z.string(),
      kind: z.enum(AFTER_SALES_KINDS),
      kindLabel: z.string(),
      status: z.literal('requested'),
      statusLabel: z.string(),
      amountFen: z.number(),
      amount: z.string(),
      needsStaffReview: z.boolean(),
      next: z.string(),
    }),
    z.object({ accepted: z.literal(false), reason: z.string(), message: z.string(), windowClosedAt: z.string().nullable() }),
  ]),
  description:
    '为当前顾客自己的订单提交售后申请：return 退货退款、exchange 换货、refund 退款。仅在顾客明确要求退货/换货/退款并说明原因后调用。' +
    '规则由系统判断：已签收或已完成的订单在售后期内可申请；已付款未发货的订单可直接申请退款；每单同时只能有一个售后申请。' +
    '金额由系统按实付金额确定。被拒绝时返回 accepted=false、原因代码（not_eligible_status / window_closed / already_requested）和可以直接转述给顾客的说明。',
  input: z.object({
    orderNo: typable().trim().min(1).max(64).describe('订单号；不确定时先调用 listOrders'),
    kind: z.enum(AFTER_SALES_KINDS).describe('return 退货退款 / exchange 换货 / refund 退款'),
    reason: typable().trim().min(1).max(500).describe('顾客说的原因，如"收到破损""过敏"'),
  }),
  confirm: {
    async describe(ctx, input) {
      try {
        const { order, amountFen } = await previewAfterSales(ctx.db, ctx.caller, input, ctx.clock.now());
        const items = itemSummary((await itemsOfOrders(ctx.db, ctx.caller.shopId, [order.id])).get(order.id) ?? []);
        const money = input.kind === 'exchange' ? '' : `，退款 ${formatFen(amountFen)} 原路退回`;
        return { summary: `为订单 ${order.orderNo}（${items}）申请${AFTER_SALES_KIND_LABELS[input.kind]}，原因：${input.reason}${money}` };
      } catch (e) {
        if (!(e instanceof AfterSalesRefused)) throw e;
        return { refusal: refused(e) };
      }
    },
  },
  async execute(ctx, input) {
    try {
      const created = await requestAfterSales(ctx.db, ctx.caller, input, ctx.clock.now());
      return {
        accepted: true as const,
        requestNo: created.requestNo,
        kind: created.kind,
        kindLabel: AFTER_SALES_KIND_LABELS[created.kind],
        status: 'requested' as const,
        statusLabel: AFTER_SALES_STATUS_LABELS.requested,
        amountFen: created.amountFen,
        amount: formatFen(created.amountFen),
        needsStaffReview: created.needsStaffReview,
        next: created.next,
      };
    } catch (e) {
      // A refusal is an answer for the shopper, not a failure: give the agent the reason to say.
      if (!(e instanceof AfterSalesRefused)) throw e;
      return refused(e);
    }
  },
});

function refused(e: AfterSalesRefused) {
  return {
    accepted: false as const,
    reason: e.refusal.code,
    message: e.refusal.message,
    windowClosedAt: e.refusal.windowClosedAt?.toISOString() ?? null,
  };
}
