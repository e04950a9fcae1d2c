// converted → potential (docs/domain.md §5 Coupons): the first paid order earns a second-purchase coupon
// valid for the template's days (default 7) from that payment. One per first order, by its issue key.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { addDays } from './calendar.ts';
import { issuePolicyCoupon, type IssueOutcome } from './issue.ts';
import { templateForTier } from './templates.ts';

export interface FirstOrder {
  orderNo: string;
  paidAt: Date;
}

export async function issueSecondPurchaseCoupon(
  tx: Queryable,
  shopId: string,
  shopperId: number,
  tier: Tier,
  first: FirstOrder,
  now: Date,
): Promise<IssueOutcome> {
  const template = await templateForTier(tx, shopId, 'second_purchase', tier);
  if (!template) return { issued: false, reason: 'not_in_audience' };
  return issuePolicyCoupon(tx, template, {
    shopId,
    shopperId,
    tier,
    issueKey: `second_purchase:${shopperId}:${first.orderNo}`,
    issuedAt: now,
    validFrom: first.paidAt,
    validUntil: addDays(first.paidAt, template.validDays),
  });
}
