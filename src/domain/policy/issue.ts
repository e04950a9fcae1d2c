// Issuing a coupon because a policy says so (docs/domain.md §5 Coupons): the template's audience, per-shopper
// limit, total quantity and issuing window are checked here, and the issue key (UNIQUE per shop)
// makes a replay issue nothing. Runs inside the caller's transaction and never raises on a
// duplicate: ON CONFLICT DO NOTHING keeps an event's transaction usable.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import type { CouponTemplate } from '../coupons/templates.ts';

export interface PolicyIssue {
  shopId: string;
  shopperId: number;
  tier: Tier;
  issueKey: string;
  issuedAt: Date;
  validFrom: Date;
  validUntil: Date;
}

export type IssueRefusal = 'inactive' | 'not_in_audience' | 'limit_reached' | 'sold_out' | 'duplicate' | 'window_passed';

export type IssueOutcome =
  | { issued: true; couponId: number; templateCode: string; validFrom: Date; validUntil: Date }
  | { issued: false; reason: IssueRefusal };

/** Why the template may not be issued now, before touching the database; null when it may. */
function refusal(t: CouponTemplate, tier: Tier, at: Date): 'inactive' | 'not_in_audience' | null {
  if (!t.active || (t.startsAt && at < t.startsAt) || (t.endsAt && at >= t.endsAt)) return 'inactive';
  if (!t.audienceTiers.includes(tier)) return 'not_in_audience';
  return null;
}

export async function issuePolicyCoupon(tx: Queryable, t: CouponTemplate, p: PolicyIssue): Promise<IssueOutcome> {
  const refused = refusal(t, p.tier, p.issuedAt);
  if (refused) return { issued: false, reason: refused };
  const { rows: existing } = await tx.query('SELECT 1 FROM coupons WHERE shop_id = $1 AND issue_key = $2', [p.shopId, p.issueKey]);
  if (existing.length > 0) return { issued: false, reason: 'duplicate' };
  if (p.validUntil <= p.issuedAt) return { issued: false, reason: 'window_passed' };
  const { rows: held } = await tx.query<{ n: number }>(
    `SELECT count(*) AS n FROM coupons
      WHERE shop_id = $1 AND template_id = $2 AND shopper_id = $3 AND status = 'unused' AND valid_until > $4`,
    [p.shopId, t.id, p.shopperId, p.issuedAt],
  );
  if (held[0]!.n >= t.perShopperLimit) return { issued: false, reason: 'limit_reached' };
  // Counting against the total first row-locks the template, so concurrent issues cannot oversell.
  const counted = await tx.query(
    `UPDATE coupon_templates SET issued_count = issued_count + 1
      WHERE shop_id = $1 AND id = $2 AND (total_quantity IS NULL OR issued_count < total_quantity)`,
    [p.shopId, t.id],
  );
  if (counted.rowCount === 0) return { issued: false, reason: 'sold_out' };
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO coupons (shop_id, template_id, shopper_id, status, issue_key, issued_at, valid_from, valid_until)
     VALUES ($1, $2, $3, 'unused', $4, $5, $6, $7)
     ON CONFLICT (shop_id, issue_key) DO NOTHING RETURNING id`,
    [p.shopId, t.id, p.shopperId, p.issueKey, p.issuedAt, p.validFrom, p.validUntil],
  );
  if (!rows[0]) {
    // A concurrent issue of the same key won between the check above and the insert.
    await tx.query('UPDATE coupon_templates SET issued_count = issued_count - 1 WHERE shop_id = $1 AND id = $2', [p.shopId, t.id]);
    return { issued: false, reason: 'duplicate' };
  }
  return { issued: true, couponId: rows[0].id, templateCode: t.code, validFrom: p.validFrom, validUntil: p.validUntil };
}
