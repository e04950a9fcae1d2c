// An order's life: how long each step takes, where its fate ends it, and what `now` lets us see.
// Scenarios pin a shopper's latest order to a moment near `now`, so that the demo always has parcels
// on the road, orders waiting to ship or to be paid, and deliveries inside and outside the return window.
import type { Rng } from './rng.ts';
import { DAY, HOUR, MINUTE } from './time.ts';
import type { OrderFate, OrderStatus, Timeline } from './types.ts';

export type Scenario = 'inTransit' | 'awaitingShipment' | 'shipmentOverdue' | 'awaitingPayment' | 'deliveredRecent' | 'deliveredOld';

export interface Durations {
  payMinutes: number;
  shipHours: number;
  transitHours: number;
  /** From delivery to the shopper's 确认收货; null: never confirms, the order completes by itself. */
  confirmHours: number | null;
  /** From delivery to the refund of a returned parcel. */
  refundHours: number;
  cancelMinutes: number;
}

export interface OrderPlan {
  createdAt: number;
  fate: OrderFate;
  durations: Durations;
}

// The mini-program platform's usual rules: an unconfirmed order completes 15 days after shipping, an
// unpaid one is closed after 24 hours.
const AUTO_CONFIRM_AFTER_SHIPPING = 15 * DAY;
const UNPAID_CLOSED_AFTER = 24 * HOUR;

const hours = (h: number) => Math.round(h * HOUR);

export function drawDurations(rng: Rng): Durations {
  return {
    payMinutes: rng.int(1, 30),
    // Most parcels leave well inside the 48 h promise; about one in twelve is late.
    shipHours: rng.chance(0.08) ? rng.between(49, 72) : rng.between(2, 46),
    transitHours: rng.between(48, 120),
    confirmHours: rng.chance(0.65) ? rng.between(2, 72) : null,
    refundHours: rng.between(48, 144),
    cancelMinutes: rng.int(5, 120),
  };
}

export function planTimeline({ createdAt, fate, durations: d }: OrderPlan): Timeline {
  const none = { paidAt: null, shippedAt: null, deliveredAt: null, completedAt: null, cancelledAt: null, refundedAt: null };
  if (fate === 'cancelledByShopper') return { ...none, createdAt, cancelledAt: createdAt + d.cancelMinutes * MINUTE };
  if (fate === 'unpaidClosed') return { ...none, createdAt, cancelledAt: createdAt + UNPAID_CLOSED_AFTER };
  const paidAt = createdAt + d.payMinutes * MINUTE;
  // Refunded before the parcel left: halfway to the planned shipping time.
  if (fate === 'refundBeforeShip') return { ...none, createdAt, paidAt, refundedAt: paidAt + hours(d.shipHours / 2) };
  const shippedAt = paidAt + hours(d.shipHours);
  const deliveredAt = shippedAt + hours(d.transitHours);
  if (fate === 'refundAfterDelivery') {
    return { ...none, createdAt, paidAt, shippedAt, deliveredAt, refundedAt: deliveredAt + hours(d.refundHours) };
  }
  const completedAt = d.confirmHours === null ? shippedAt + AUTO_CONFIRM_AFTER_SHIPPING : deliveredAt + hours(d.confirmHours);
  return { ...none, createdAt, paidAt, shippedAt, deliveredAt, completedAt };
}

/** What has happened by `now`: the moments up to now, and the status they add up to. */
export function observe(planned: Timeline, now: number): { status: OrderStatus; seen: Timeline } {
  const cut = (t: number | null) => (t !== null && t <= now ? t : null);
  const seen: Timeline = {
    createdAt: planned.createdAt,
    paidAt: cut(planned.paidAt),
    shippedAt: cut(planned.shippedAt),
    deliveredAt: cut(planned.deliveredAt),
    completedAt: cut(planned.completedAt),
    cancelledAt: cut(planned.cancelledAt),
    refundedAt: cut(planned.refundedAt),
  };
  const status: OrderStatus =
    seen.refundedAt !== null ? 'refunded'
    : seen.cancelledAt !== null ? 'cancelled'
    : seen.completedAt !== null ? 'completed'
    : seen.deliveredAt !== null ? 'delivered'
    : seen.shippedAt !== null ? 'shipped'
    : seen.paidAt !== null ? 'paid'
    : 'created';
  return { status, seen };
}

/** A latest order placed so that at `now` it is exactly where the scenario says. */
export function scenarioPlan(rng: Rng, scenario: Scenario, now: number): OrderPlan {
  const drawn = drawDurations(rng);
  const back = (anchor: number, d: Durations, ...steps: number[]) =>
    anchor - steps.reduce((sum, h) => sum + hours(h), 0) - d.payMinutes * MINUTE;
  switch (scenario) {
    case 'inTransit': {
      // Shipped 14–40 h ago and 3–4 days on the road: a trail of a few steps, the ETA still ahead.
      const d = { ...drawn, transitHours: rng.between(72, 100) };
      return { createdAt: back(now - hours(rng.between(14, 40)), d, d.shipHours), fate: 'normal', durations: d };
    }
    case 'awaitingShipment': {
      const d = { ...drawn, shipHours: rng.between(40, 47) };
      return { createdAt: back(now - hours(rng.between(2, 30)), d), fate: 'normal', durations: d };
    }
    case 'shipmentOverdue': {
      // Paid 50–60 h ago and still not shipped: the 48 h promise is already broken.
      const d = { ...drawn, shipHours: rng.between(70, 80) };
      return { createdAt: back(now - hours(rng.between(50, 60)), d), fate: 'normal', durations: d };
    }
    case 'awaitingPayment':
      return { createdAt: now - rng.int(5, 180) * MINUTE, fate: 'unpaidClosed', durations: drawn };
    case 'deliveredRecent': {
      // Delivered 6–60 h ago, not yet confirmed: inside the 7-day return window.
      const d = { ...drawn, transitHours: rng.between(48, 96), confirmHours: null };
      return { createdAt: back(now - hours(rng.between(6, 60)), d, d.transitHours, d.shipHours), fate: 'normal', durations: d };
    }
    case 'deliveredOld': {
      // Delivered 8–9.5 days ago, never confirmed: outside the return window, not yet auto-completed.
      const d = { ...drawn, transitHours: rng.between(48, 72), confirmHours: null };
      return { createdAt: back(now - hours(rng.between(8 * 24, 9.5 * 24)), d, d.transitHours, d.shipHours), fate: 'normal', durations: d };
    }
  }
}
