// What an occasion is to the planner: a SQL query of candidates for one shop-local day, or null when
// the occasion cannot happen that day. The planner (planner.ts) adds the caps and the insert.
import type { CouponTrigger } from '../coupons/templates.ts';
import type { ShopSettings } from '../shops/settings.ts';
import type { OccasionName, ReminderSettings } from './settings.ts';

export interface PlanDay {
  shopId: string;
  /** The shop-local day planned, 'YYYY-MM-DD'. */
  date: string;
  /** The instant the local day ends: only orders and launches before it count (re-runs agree). */
  dayEnd: Date;
  timezone: string;
  shop: ShopSettings;
  settings: ReminderSettings;
}

/** Adds a parameter and returns its placeholder ('$7'). */
export type Bind = (value: unknown) => string;

// The parameters every candidate query may use: $1 shop id, $2 the day (date), $3 the end of the
// day (timestamptz), $4 the shop's time zone, $5 the occasion's tiers (text[]), $6 the occasion.
// An occasion's own values are added with bind() and follow them.

/**
 * A shopper who may be reminded of the occasion: in the shop and one of its tiers, registered by
 * the day, with marketing consent, and not opted out of this occasion nor of all reminders — neither
 * in the consent record nor by their own switch in the card (reminder_preferences, preferences.ts).
 * Erased shoppers (shoppers/erasure.ts) are tombstones with consent off, and are left out by name too.
 */
export function eligibleShopper(s: string): string {
  return `${s}.shop_id = $1 AND ${s}.tier = ANY($5::text[]) AND ${s}.registered_at < $3::timestamptz AND ${s}.erased_at IS NULL
    AND ${s}.consent->'marketing' IS DISTINCT FROM 'false'::jsonb
    AND ${s}.consent->'reminders'->($6::text) IS DISTINCT FROM 'false'::jsonb
    AND ${s}.consent->'reminders'->'all' IS DISTINCT FROM 'false'::jsonb
    AND NOT EXISTS (SELECT 1 FROM reminder_preferences rp
                     WHERE rp.shop_id = $1 AND rp.shopper_id = ${s}.id AND rp.occasion = $6::text AND NOT rp.enabled)`;
}

/** An order that counts: paid before the day ended, and not cancelled or refunded. */
export function validOrder(o: string): string {
  return `${o}.paid_at IS NOT NULL AND ${o}.paid_at < $3::timestamptz AND ${o}.status NOT IN ('cancelled', 'refunded')`;
}

/** The instant a shop-local day (a date expression) starts: index-friendly bounds for paid_at. */
export function dayStart(dateExpr: string): string {
  return `((${dateExpr})::timestamp AT TIME ZONE $4::text)`;
}

/** A timestamptz column within the shop-local days [from, to] (date expressions), sargable. */
export function withinLocalDays(col: string, from: string, to: string): string {
  return `${col} >= ${dayStart(from)} AND ${col} < ${dayStart(`(${to}) + 1`)}`;
}

/** The shop-local date of a timestamptz column. */
export function localDay(col: string): string {
  return `(${col} AT TIME ZONE $4::text)::date`;
}

export interface Occasion {
  name: OccasionName;
  /** The coupon policy issued with it (docs/domain.md §5 Coupons), when the shop has an active template. */
  couponTrigger?: CouponTrigger;
  /**
   * A SELECT of (shopper_id bigint, occurrence_key text, facts jsonb, pick numeric — lower wins when
   * one shopper has several candidates), or null when the occasion is not on this day.
   */
  candidates(day: PlanDay, bind: Bind): string | null;
}
