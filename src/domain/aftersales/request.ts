// A shopper's after-sales request (退货/换货/退款): every check is made here, on the server, from the
// order as stored — the model only names the order, the kind and the reason, never an amount.
import type { Queryable } from '../../db/db.ts';
import { Conflict } from '../../errors.ts';
import { getShop, type Shop } from '../shops/repo.ts';
import { formatFen } from '../orders/money.ts';
import { getOwnOrder, type Order, type OrderOwner } from '../orders/repo.ts';
import { isUniqueViolation } from '../orders/uniqueViolation.ts';
import { afterSalesEligibility, ALREADY_REQUESTED, refusalFor, type Eligibility, type Refusal } from './eligibility.ts';
import type { AfterSalesKind } from './labels.ts';
import { insertRequest, requestCounts } from './repo.ts';

/** A request the rules refuse; a Conflict with the reason code and what the agent can say. */
export class AfterSalesRefused extends Conflict {
  constructor(readonly refusal: Refusal) {
    super(refusal.message, { reason: refusal.code });
  }
}

export interface AfterSalesInput {
  orderNo: string;
  kind: AfterSalesKind;
  reason: string;
}

export interface AfterSalesCreated {
  requestNo: string;
  kind: AfterSalesKind;
  amountFen: number;
  /** A refund above the shop's threshold is reviewed by a person (shop setting handoffRefundThresholdFen). */
  needsStaffReview: boolean;
  next: string;
}

export async function requestAfterSales(db: Queryable, owner: OrderOwner, input: AfterSalesInput, now: Date): Promise<AfterSalesCreated> {
  const order = await getOwnOrder(db, owner, input.orderNo);
  const shop = await getShop(db, owner.shopId);
  const counts = await requestCounts(db, owner.shopId, order.id);
  const refusal = refusalFor(eligibilityFrom(order, shop, counts.blocking > 0, now), input.kind);
  if (refusal) throw new AfterSalesRefused(refusal);

  // Numbered per order (AS<orderNo>-1, -2 after a withdrawn one …): readable, and two racing
  // requests of one order collide on it just as they do on the one-per-order index.
  const requestNo = `AS${order.orderNo}-${counts.total + 1}`;
  try {
    await insertRequest(db, {
      shopId: owner.shopId,
      shopperId: owner.shopperId,
      orderId: order.id,
      requestNo,
      kind: input.kind,
      reason: input.reason,
      amountFen: order.payFen,
      at: now,
    });
  } catch (e) {
    // Two requests racing past the check above: the one-per-order index (and the per-order
    // number) let exactly one in; the other gets the answer it would have got a moment later.
    if (isUniqueViolation(e)) throw new AfterSalesRefused(ALREADY_REQUESTED);
    throw e;
  }
  return {
    requestNo,
    kind: input.kind,
    amountFen: order.payFen,
    needsStaffReview: input.kind !== 'exchange' && order.payFen > shop.settings.handoffRefundThresholdFen,
    next: nextStep(order, input.kind),
  };
}

/**
 * What a request would be, checked as requestAfterSales checks it but without writing: the order, and
 * the amount it would refund. A request the rules refuse throws the same AfterSalesRefused.
 */
export async function previewAfterSales(db: Queryable, owner: OrderOwner, input: AfterSalesInput, now: Date): Promise<{ order: Order; amountFen: number }> {
  const order = await getOwnOrder(db, owner, input.orderNo);
  const shop = await getShop(db, owner.shopId);
  const counts = await requestCounts(db, owner.shopId, order.id);
  const refusal = refusalFor(eligibilityFrom(order, shop, counts.blocking > 0, now), input.kind);
  if (refusal) throw new AfterSalesRefused(refusal);
  return { order, amountFen: input.kind === 'exchange' ? 0 : order.payFen };
}

/** Whether a stored order may get an after-sales request now, under its shop's window. */
export async function eligibilityOf(db: Queryable, order: Order, shop: Shop, now: Date): Promise<Eligibility> {
  const counts = await requestCounts(db, order.shopId, order.id);
  return eligibilityFrom(order, shop, counts.blocking > 0, now);
}

function eligibilityFrom(order: Order, shop: Shop, hasBlockingRequest: boolean, now: Date): Eligibility {
  return afterSalesEligibility({
    order,
    hasBlockingRequest,
    returnWindowDays: shop.settings.returnWindowDays,
    timezone: shop.timezone,
    now,
  });
}

function nextStep(order: Order, kind: AfterSalesKind): string {
  const amount = formatFen(order.payFen);
  if (kind === 'exchange') return '换货申请已提交。商家审核通过后会告诉你寄回地址，收到退回的商品后为你换发新品。';
  if (kind === 'return') return `退货申请已提交。商家审核通过后会告诉你寄回地址，商品寄回验收后 ${amount} 原路退回。`;
  if (order.status === 'paid') return `退款申请已提交，订单会停止发货，审核通过后 ${amount} 原路退回。`;
  return `退款申请已提交，商家审核通过后 ${amount} 原路退回。`;
}
