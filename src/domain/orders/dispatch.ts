// The shipping promise (发货承诺, docs/domain.md §1 S2B2C shop: 48 h by default): a paid order must leave the
// warehouse by ship_by. Shoppers ask "怎么还没发货"; the answer says by when, and whether it is late.
import { localDateTime } from './localTime.ts';
import type { Order } from './repo.ts';
import type { Shipment } from './shipments.ts';

export const DISPATCH_STATES = ['on_track', 'at_risk', 'late'] as const;
export type DispatchState = (typeof DISPATCH_STATES)[number];

export const DISPATCH_STATE_LABELS: Record<DispatchState, string> = {
  on_track: '正常，会在承诺时间内发货',
  at_risk: '临近发货期限',
  late: '已超过承诺发货时间',
};

export interface Dispatch {
  shipBy: Date;
  promiseHours: number;
  state: DispatchState;
  /** Whole hours until ship_by (negative once late). */
  hoursLeft: number;
}

const HOUR_MS = 3_600_000;
// "At risk" scales with the promise instead of being a second number to configure: the last quarter
// of the promised time (12 h of 48 h) is when a shopper's worry is worth acting on.
const AT_RISK_SHARE = 0.25;

/**
 * Where a paid, not yet shipped order stands against its promise. A ship_by recorded on a pending
 * shipment (set from the supplier's promise when the parcel was booked) wins; otherwise it is
 * paid_at + the shop's promise. Null when the order is not waiting to ship.
 */
export function dispatchPromise(order: Order, shipment: Shipment | null, promiseHours: number, now: Date): Dispatch | null {
  if (order.status !== 'paid' || !order.paidAt || shipment?.shippedAt) return null;
  const shipBy = shipment?.shipBy ?? new Date(order.paidAt.getTime() + promiseHours * HOUR_MS);
  const leftMs = shipBy.getTime() - now.getTime();
  const state: DispatchState = leftMs < 0 ? 'late' : leftMs <= promiseHours * HOUR_MS * AT_RISK_SHARE ? 'at_risk' : 'on_track';
  return { shipBy, promiseHours, state, hoursLeft: Math.trunc(leftMs / HOUR_MS) };
}

/** What the agent can tell a shopper waiting for the parcel to leave. */
export function dispatchNote(d: Dispatch, timezone: string): string {
  const by = localDateTime(d.shipBy, timezone);
  if (d.state === 'late') return `订单已付款，原定 ${by} 前发货，现在已经超时还没发出，非常抱歉，可以帮你转人工催促仓库。`;
  if (d.state === 'at_risk') return `订单已付款，承诺 ${by} 前发货，离期限不到 ${Math.max(d.hoursLeft, 1)} 小时，仓库正在加紧处理。`;
  return `订单已付款，正在备货，承诺 ${by} 前发货（付款后 ${d.promiseHours} 小时内）。`;
}
