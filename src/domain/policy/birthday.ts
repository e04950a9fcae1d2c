// core → 老铁 emotional care (docs/domain.md §5 Coupons): a birthday coupon on the shopper's birthday, once a
// year (issue key 'birthday:<shopper>:<year>'). The reminders job calls issueBirthdayCoupons daily and sends
// the wishes; a 29 February birthday is celebrated on the 28th in other years.
import type { Tier } from '../../context.ts';
import type { Db } from '../../db/db.ts';
import { getShop } from '../shops/repo.ts';
import { addDays, isLeapYear, parseLocalDay, startOfLocalDay, toLocalDay } from './calendar.ts';
import { issuePolicyCoupon, type IssueRefusal } from './issue.ts';
import { policyTemplates } from './templates.ts';

export interface BatchIssueResult {
  issued: { shopperId: number; couponId: number }[];
  skipped: { shopperId: number; reason: IssueRefusal }[];
}

/** Issues the birthday coupons of a local day ('YYYY-MM-DD', or the day a Date falls on in the shop). */
export async function issueBirthdayCoupons(db: Db, shopId: string, date: Date | string, now?: Date): Promise<BatchIssueResult> {
  const { timezone } = await getShop(db, shopId);
  const day = toLocalDay(date, timezone);
  const { year, month, day: dom } = parseLocalDay(day)!;
  const leapDayToo = month === 2 && dom === 28 && !isLeapYear(year);
  const { rows } = await db.query<{ id: number; tier: Tier }>(
    `SELECT id, tier FROM shoppers
      WHERE shop_id = $1 AND birthday IS NOT NULL
        AND ((extract(month FROM birthday) = $2 AND extract(day FROM birthday) = $3)
             OR ($4 AND extract(month FROM birthday) = 2 AND extract(day FROM birthday) = 29))
      ORDER BY id`,
    [shopId, month, dom, leapDayToo],
  );
  const templates = await policyTemplates(db, shopId, 'birthday');
  const validFrom = await startOfLocalDay(db, day, timezone);
  const result: BatchIssueResult = { issued: [], skipped: [] };
  for (const s of rows) {
    const template = templates.find((t) => t.audienceTiers.includes(s.tier));
    if (!template) {
      result.skipped.push({ shopperId: s.id, reason: 'not_in_audience' });
      continue;
    }
    const outcome = await db.transaction((tx) =>
      issuePolicyCoupon(tx, template, {
        shopId,
        shopperId: s.id,
        tier: s.tier,
        issueKey: `birthday:${s.id}:${year}`,
        issuedAt: now ?? validFrom,
        validFrom,
        validUntil: addDays(validFrom, template.validDays),
      }),
    );
    if (outcome.issued) result.issued.push({ shopperId: s.id, couponId: outcome.couponId });
    else result.skipped.push({ shopperId: s.id, reason: outcome.reason });
  }
  return result;
}
