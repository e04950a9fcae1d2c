// The coupon a reminder carries (docs/domain.md §5 Coupons: birthday 满150减50, second purchase 满100减20, the
// discount day's 8折 …) is issued before the message is written, in the transaction that claims the
// reminder, so a message can only name a coupon that exists. Set-based, but with the rules of the
// policy module (src/domain/policy): its issue keys ('birthday:<shopper>:<year>',
// 'discount_day:<shopper>:<yyyy-mm>', 'second_purchase:<shopper>:<orderNo>'), its default
// templates, the first active template whose audience has the shopper's tier, its validity windows
// and per-shopper limit, the template's total quantity. A coupon the policy already issued under the
// same key (the event path, the admin route) is linked, never issued twice.
import type { Queryable } from '../../db/db.ts';
import type { CouponTrigger } from '../coupons/templates.ts';
import { ensurePolicyTemplate, type PolicyTrigger } from '../policy/templates.ts';
import type { OccasionName } from './settings.ts';

const POLICY_TRIGGERS: readonly CouponTrigger[] = ['birthday', 'discount_day', 'second_purchase'];

// When the coupon starts to be valid, per trigger ($5 = the shop's time zone, $6 = now): the
// birthday's and the discount day's local day, the first payment for the second purchase (the
// policy's 7-day window), now otherwise.
const VALID_FROM: Partial<Record<CouponTrigger, string>> = {
  birthday: `(r.local_date::timestamp AT TIME ZONE $5::text)`,
  discount_day: `((r.facts->>'discountDate')::date::timestamp AT TIME ZONE $5::text)`,
  second_purchase: `coalesce((r.facts->>'paidAt')::timestamptz, $6::timestamptz)`,
};

/**
 * Issues the coupons of `trigger` to the claimed reminders `ids` of `occasion`, then links every
 * such reminder to its coupon by issue key. Returns how many coupons were newly issued.
 */
export async function issueReminderCoupons(
  tx: Queryable,
  shop: { id: string; timezone: string },
  occasion: OccasionName,
  trigger: CouponTrigger,
  ids: readonly number[],
  now: Date,
): Promise<number> {
  if (POLICY_TRIGGERS.includes(trigger)) await ensurePolicyTemplate(tx, shop.id, trigger as PolicyTrigger);
  // Row-locks the trigger's templates: quantities and counts stay exact under concurrent issuers.
  await tx.query('SELECT id FROM coupon_templates WHERE shop_id = $1 AND trigger = $2 ORDER BY id FOR UPDATE', [shop.id, trigger]);
  const validFrom = VALID_FROM[trigger] ?? '$6::timestamptz';
  const { rows } = await tx.query<{ n: number }>(
    `WITH todo AS (
       SELECT r.id, r.shopper_id, $3 || ':' || r.shopper_id || ':' || r.occurrence_key AS issue_key, t.id AS template_id,
              ${validFrom} AS valid_from, $5::text AS timezone, t.valid_days, t.total_quantity, t.issued_count, t.per_shopper_limit
         FROM reminders r
         JOIN shoppers s ON s.shop_id = r.shop_id AND s.id = r.shopper_id
         CROSS JOIN LATERAL (
           SELECT * FROM coupon_templates t
            WHERE t.shop_id = r.shop_id AND t.trigger = $3 AND t.active AND s.tier = ANY(t.audience_tiers)
              AND (t.starts_at IS NULL OR t.starts_at <= $6) AND (t.ends_at IS NULL OR t.ends_at > $6)
            ORDER BY t.id LIMIT 1) t
        WHERE r.shop_id = $1 AND r.id = ANY($2::bigint[]) AND r.occasion = $4 AND r.coupon_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM coupons c WHERE c.shop_id = $1
                            AND c.issue_key = $3 || ':' || r.shopper_id || ':' || r.occurrence_key)
     ), allowed AS (
       SELECT d.*, row_number() OVER (PARTITION BY d.template_id ORDER BY d.id) AS nth
         FROM todo d
        WHERE d.valid_from + make_interval(days => d.valid_days) > $6
          AND (SELECT count(*) FROM coupons c
                WHERE c.shop_id = $1 AND c.template_id = d.template_id AND c.shopper_id = d.shopper_id
                  AND c.status = 'unused' AND c.valid_until > $6) < d.per_shopper_limit
     ), ins AS (
       INSERT INTO coupons (shop_id, template_id, shopper_id, status, issue_key, issued_at, valid_from, valid_until)
       SELECT $1, a.template_id, a.shopper_id, 'unused', a.issue_key, $6, a.valid_from,
              a.valid_from + make_interval(days => a.valid_days)
         FROM allowed a
        WHERE a.total_quantity IS NULL OR a.nth <= a.total_quantity - a.issued_count
       ON CONFLICT (shop_id, issue_key) DO NOTHING
       RETURNING template_id
     ), counted AS (
       UPDATE coupon_templates t SET issued_count = t.issued_count + x.n
         FROM (SELECT template_id, count(*) AS n FROM ins GROUP BY template_id) x
        WHERE t.shop_id = $1 AND t.id = x.template_id
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins) AS n, (SELECT count(*) FROM counted) AS templates`,
    [shop.id, ids, trigger, occasion, shop.timezone, now],
  );
  await tx.query(
    `UPDATE reminders r SET coupon_id = c.id
       FROM coupons c
      WHERE r.shop_id = $1 AND r.id = ANY($2::bigint[]) AND r.occasion = $4 AND r.coupon_id IS NULL
        AND c.shop_id = $1 AND c.status = 'unused' AND c.valid_until > $5
        AND c.issue_key = $3 || ':' || r.shopper_id || ':' || r.occurrence_key`,
    [shop.id, ids, trigger, occasion, now],
  );
  return rows[0]?.n ?? 0;
}
