// Applies one validated event inside its transaction: the change itself (order, shipment, shopper,
// behaviour, binding), then the lifecycle of every shopper it touched (tags → tier → profile, docs/domain.md
// §3 Tiers) and the policies it triggers (§5 Coupons, §6 Points: second-purchase coupon on a first paid
// order, discount-day coupon on promotion to potential, points for growth tasks).
import type { Queryable } from '../../db/db.ts';
import { refreshShopper, type RefreshResult } from '../lifecycle/refresh.ts';
import type { RulesVersion } from '../lifecycle/rules.ts';
import { issueDiscountDayCouponFor } from '../policy/discountDay.ts';
import type { IssueOutcome } from '../policy/issue.ts';
import { issueSecondPurchaseCoupon } from '../policy/secondPurchase.ts';
import { grantTaskPoints, type PointsGrant } from '../policy/tasks.ts';
import type { ShopSettings } from '../shops/settings.ts';
import { applyOrderEvent } from './orders.ts';
import { applyBehaviour, applyReferralBound, applyRegistration } from './shoppers.ts';
import type { ShopEvent } from './schemas.ts';
import { applyTrackingEvent } from './tracking.ts';

export interface BatchContext {
  /** When the batch was received: the time tags and tiers are evaluated at. */
  now: Date;
  rules: RulesVersion;
  settings: ShopSettings;
}

/** What an event did, stored in ingested_events.result. */
export interface EventEffects {
  [key: string]: unknown;
  tierChanges?: { shopperId: number; from: string; to: string; reason: string }[];
  coupons?: { shopperId: number; policy: string; outcome: IssueOutcome }[];
  points?: (PointsGrant & { shopperId: number })[];
}

export interface Applied {
  effects: EventEffects;
  /** Shoppers whose profile summary changed: their vectors are refreshed after commit. */
  profilesChanged: number[];
}

class Effects {
  readonly effects: EventEffects = {};
  readonly profilesChanged: number[] = [];
  readonly promotedToPotential: RefreshResult[] = [];

  refreshed(r: RefreshResult | null): RefreshResult | null {
    if (!r) return r;
    if (r.summaryChanged) this.profilesChanged.push(r.shopperId);
    if (r.steps.some((s) => s.to === 'potential')) this.promotedToPotential.push(r);
    for (const s of r.steps) (this.effects.tierChanges ??= []).push({ shopperId: r.shopperId, from: s.from, to: s.to, reason: s.reason });
    return r;
  }

  coupon(shopperId: number, policy: string, outcome: IssueOutcome): void {
    (this.effects.coupons ??= []).push({ shopperId, policy, outcome });
  }

  points(shopperId: number, grants: readonly PointsGrant[]): void {
    for (const g of grants) (this.effects.points ??= []).push({ ...g, shopperId });
  }
}

/** Recomputes a shopper's lifecycle, noting a promotion to potential for its discount-day coupon. */
async function refresh(tx: Queryable, shopId: string, shopperId: number | null, ctx: BatchContext, fx: Effects) {
  if (shopperId === null) return null;
  return fx.refreshed(
    await refreshShopper(tx, shopId, shopperId, ctx.now, { rules: ctx.rules, averageOrderFen: ctx.settings.averageOrderFen }),
  );
}

/**
 * Coupons come after every shopper row the event touches is locked: templates are locked last, in
 * every event, so two events never wait on each other in opposite orders.
 */
async function discountDayOnPromotion(tx: Queryable, shopId: string, ctx: BatchContext, fx: Effects): Promise<void> {
  for (const r of fx.promotedToPotential) {
    fx.coupon(r.shopperId, 'discount_day', await issueDiscountDayCouponFor(tx, shopId, { id: r.shopperId, tier: r.tier }, ctx.now));
  }
}

async function referrerOf(tx: Queryable, shopId: string, shopperId: number): Promise<number | null> {
  const { rows } = await tx.query<{ referrer_id: number | null }>('SELECT referrer_id FROM shoppers WHERE shop_id = $1 AND id = $2', [
    shopId,
    shopperId,
  ]);
  return rows[0]?.referrer_id ?? null;
}

export async function applyEvent(tx: Queryable, shopId: string, ev: ShopEvent, ctx: BatchContext): Promise<Applied> {
  const fx = new Effects();
  switch (ev.type) {
    case 'order.created':
    case 'order.paid':
    case 'order.shipped':
    case 'order.delivered':
    case 'order.completed':
    case 'order.cancelled':
    case 'order.refunded': {
      const order = await applyOrderEvent(tx, shopId, ev.type, ev.data, ev.occurredAt);
      fx.effects.order = { id: order.orderId, status: order.status };
      // Only payments and refunds change what counts as an order (tags, tiers, the referrer's buyers).
      if (order.status !== 'paid' && order.status !== 'refunded') break;
      const buyer = await refresh(tx, shopId, order.shopperId, ctx, fx);
      await refresh(tx, shopId, await referrerOf(tx, shopId, order.shopperId), ctx, fx);
      if (order.status === 'paid' && buyer && buyer.tags.consumption.orderCount === 1) {
        const first = { orderNo: order.orderNo, paidAt: order.at };
        fx.coupon(order.shopperId, 'second_purchase', await issueSecondPurchaseCoupon(tx, shopId, order.shopperId, buyer.tier, first, ctx.now));
      }
      break;
    }
    case 'shipment.tracking': {
      const t = await applyTrackingEvent(tx, shopId, ev.data, ctx.settings.shippingPromiseHours);
      fx.effects.shipment = { id: t.shipmentId, orderId: t.orderId };
      break;
    }
    case 'shopper.registered': {
      const r = await applyRegistration(tx, shopId, ev.data, ev.occurredAt);
      fx.effects.shopper = { id: r.shopperId, created: r.created, referral: r.referral };
      await refresh(tx, shopId, r.shopperId, ctx, fx);
      await refresh(tx, shopId, r.referrerId, ctx, fx);
      break;
    }
    case 'shopper.viewed':
    case 'shopper.favourited':
    case 'shopper.followed':
    case 'shopper.shared':
    case 'shopper.consulted': {
      const b = await applyBehaviour(tx, shopId, ev.type, ev.data, ev.occurredAt);
      fx.effects.behaviour = { shopperId: b.shopper.id, productId: b.productId };
      const r = await refresh(tx, shopId, b.shopper.id, ctx, fx);
      const kind = ev.type === 'shopper.viewed' ? 'browse_new_products' : ev.type === 'shopper.shared' ? 'share_product' : null;
      if (r && kind) {
        const grants = await grantTaskPoints(tx, shopId, { id: b.shopper.id, tier: r.tier }, ctx.rules.rules.tasks, kind, ev.occurredAt);
        fx.points(b.shopper.id, grants);
      }
      break;
    }
    case 'referral.bound': {
      const r = await applyReferralBound(tx, shopId, ev.data, ev.occurredAt);
      fx.effects.referral = r;
      await refresh(tx, shopId, r.shopperId, ctx, fx);
      await refresh(tx, shopId, r.referrerId, ctx, fx);
      break;
    }
  }
  await discountDayOnPromotion(tx, shopId, ctx, fx);
  return { effects: fx.effects, profilesChanged: fx.profilesChanged };
}
