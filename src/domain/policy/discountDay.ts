// potential → core (docs/domain.md §5 Coupons): the monthly exclusive discount day (settings.discountDay,
// case: the 15th, 8折) as a coupon valid on that local day, once a month per shopper (issue key
// 'discount_day:<shopper>:<yyyy-mm>'). Issued in bulk by the reminders job (3 days ahead, with the notice)
// and to a shopper the moment they are promoted to potential.
import type { Tier } from '../../context.ts';
import type { Db, Queryable } from '../../db/db.ts';
import type { CouponTemplate } from '../coupons/templates.ts';
import { getShop } from '../shops/repo.ts';
import type { BatchIssueResult } from './birthday.ts';
import { addDays, parseLocalDay, startOfLocalDay, toLocalDay, type LocalDay } from './calendar.ts';
import { issuePolicyCoupon, type IssueOutcome } from './issue.ts';
import { policyTemplates } from './templates.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** The discount day on or after `day`: this month's if it has not passed, else next month's. */
export function upcomingDiscountDay(day: LocalDay, discountDay: number): LocalDay {
  const { year, month, day: dom } = parseLocalDay(day)!;
  if (dom <= discountDay) return `${year}-${pad(month)}-${pad(discountDay)}`;
  const next = month === 12 ? { y: year + 1, m: 1 } : { y: year, m: month + 1 };
  return `${next.y}-${pad(next.m)}-${pad(discountDay)}`;
}

async function issueFor(
  tx: Queryable,
  template: CouponTemplate,
  shopId: string,
  shopper: { id: number; tier: Tier },
  discountDay: LocalDay,
  validFrom: Date,
  now: Date,
): Promise<IssueOutcome> {
  return issuePolicyCoupon(tx, template, {
    shopId,
    shopperId: shopper.id,
    tier: shopper.tier,
    issueKey: `discount_day:${shopper.id}:${discountDay.slice(0, 7)}`,
    issuedAt: now,
    validFrom,
    validUntil: addDays(validFrom, template.validDays),
  });
}

/** Issues the coupons of the discount day on or after `date` to every shopper in a template's audience. */
export async function issueDiscountDayCoupons(db: Db, shopId: string, date: Date | string, now = new Date()): Promise<BatchIssueResult> {
  const { timezone, settings } = await getShop(db, shopId);
  const day = upcomingDiscountDay(toLocalDay(date, timezone), settings.discountDay);
  const validFrom = await startOfLocalDay(db, day, timezone);
  const templates = await policyTemplates(db, shopId, 'discount_day');
  const tiers = [...new Set(templates.flatMap((t) => t.audienceTiers))];
  const { rows } = await db.query<{ id: number; tier: Tier }>(
    'SELECT id, tier FROM shoppers WHERE shop_id = $1 AND tier = ANY($2::text[]) AND erased_at IS NULL ORDER BY id',
    [shopId, tiers],
  );
  const result: BatchIssueResult = { issued: [], skipped: [] };
  for (const s of rows) {
    const template = templates.find((t) => t.audienceTiers.includes(s.tier))!;
    const outcome = await db.transaction((tx) => issueFor(tx, template, shopId, s, day, validFrom, now));
    if (outcome.issued) result.issued.push({ shopperId: s.id, couponId: outcome.couponId });
    else result.skipped.push({ shopperId: s.id, reason: outcome.reason });
  }
  return result;
}

/** The coupon of the next discount day for one shopper (on promotion to potential), in the caller's transaction. */
export async function issueDiscountDayCouponFor(
  tx: Queryable,
  shopId: string,
  shopper: { id: number; tier: Tier },
  now: Date,
): Promise<IssueOutcome> {
  const { timezone, settings } = await getShop(tx, shopId);
  const template = (await policyTemplates(tx, shopId, 'discount_day')).find((t) => t.audienceTiers.includes(shopper.tier));
  if (!template) return { issued: false, reason: 'not_in_audience' };
  const day = upcomingDiscountDay(toLocalDay(now, timezone), settings.discountDay);
  const validFrom = await startOfLocalDay(tx, day, timezone);
  return issueFor(tx, template, shopId, shopper, day, validFrom, now);
}
