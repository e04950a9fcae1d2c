// The coupon a delivered reminder came with, as the card and the reminder tools both show it.
import type { CouponRule } from '../coupons/templates.ts';

/** The columns of coupon_templates (t) and coupons (c) a query joins onto a reminder row. */
export interface ReminderCouponColumns {
  coupon_name: string | null;
  kind: CouponRule['kind'] | null;
  threshold_fen: number | null;
  amount_fen: number | null;
  percent_off: number | null;
  valid_until: Date | null;
  coupon_status: string | null;
}

export type ReminderCoupon = CouponRule & { name: string; validUntil: Date };

/** The reminder's coupon, or null when it came without one. */
export function reminderCoupon(r: ReminderCouponColumns): ReminderCoupon | null {
  if (!r.coupon_name || !r.kind || !r.valid_until) return null;
  return {
    name: r.coupon_name,
    kind: r.kind,
    thresholdFen: r.threshold_fen ?? 0,
    amountFen: r.amount_fen ?? 0,
    percentOff: r.percent_off ?? 0,
    validUntil: r.valid_until,
  };
}
