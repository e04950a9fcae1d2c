// Coupon templates (券模板) as the shop configures them, and the rule text a shopper reads.
import type { Tier } from '../../context.ts';
import { shortYuan } from '../orders/money.ts';

export type CouponKind = 'threshold' | 'no_threshold' | 'discount';
export type CouponTrigger =
  | 'claimable'
  | 'second_purchase'
  | 'birthday'
  | 'discount_day'
  | 'points_redeem'
  | 'replenishment'
  | 'referral';

export interface CouponRule {
  kind: CouponKind;
  thresholdFen: number;
  amountFen: number;
  /** 8折 = 20 */
  percentOff: number;
}

export interface CouponTemplate extends CouponRule {
  id: number;
  code: string;
  name: string;
  trigger: CouponTrigger;
  audienceTiers: readonly Tier[];
  perShopperLimit: number;
  totalQuantity: number | null;
  issuedCount: number;
  pointsCost: number | null;
  validDays: number;
  startsAt: Date | null;
  endsAt: Date | null;
  active: boolean;
}

export interface CouponTemplateRow {
  id: number;
  code: string;
  name: string;
  kind: CouponKind;
  threshold_fen: number;
  amount_fen: number;
  percent_off: number;
  trigger: CouponTrigger;
  audience_tiers: Tier[];
  per_shopper_limit: number;
  total_quantity: number | null;
  issued_count: number;
  points_cost: number | null;
  valid_days: number;
  starts_at: Date | null;
  ends_at: Date | null;
  active: boolean;
}

export const TEMPLATE_COLUMNS = `t.id, t.code, t.name, t.kind, t.threshold_fen, t.amount_fen, t.percent_off, t.trigger,
  t.audience_tiers, t.per_shopper_limit, t.total_quantity, t.issued_count, t.points_cost, t.valid_days, t.starts_at,
  t.ends_at, t.active`;

export function toTemplate(r: CouponTemplateRow): CouponTemplate {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    thresholdFen: r.threshold_fen,
    amountFen: r.amount_fen,
    percentOff: r.percent_off,
    trigger: r.trigger,
    audienceTiers: r.audience_tiers,
    perShopperLimit: r.per_shopper_limit,
    totalQuantity: r.total_quantity,
    issuedCount: r.issued_count,
    pointsCost: r.points_cost,
    validDays: r.valid_days,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    active: r.active,
  };
}

/** The order amount (fen) from which a coupon applies; 0 when it has no threshold. */
export function minSpendFen(rule: CouponRule): number {
  return rule.kind === 'no_threshold' ? 0 : rule.thresholdFen;
}

/** '满120减30', '无门槛减10', '8折' / '8.5折' (percent_off 20 / 15). */
export function ruleText(rule: CouponRule): string {
  if (rule.kind === 'threshold') return `满${shortYuan(rule.thresholdFen)}减${shortYuan(rule.amountFen)}`;
  if (rule.kind === 'no_threshold') return `无门槛减${shortYuan(rule.amountFen)}`;
  const threshold = rule.thresholdFen > 0 ? `满${shortYuan(rule.thresholdFen)}享` : '';
  return `${threshold}${(100 - rule.percentOff) / 10}折`;
}
