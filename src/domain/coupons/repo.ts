// Data access for coupon templates and the coupons issued from them.
import type { ShopperCaller } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { TEMPLATE_COLUMNS, toTemplate, type CouponRule, type CouponTemplate, type CouponTemplateRow } from './templates.ts';

export type CouponOwner = Pick<ShopperCaller, 'shopId' | 'shopperId'>;

export interface UsableCoupon extends CouponRule {
  name: string;
  validFrom: Date;
  validUntil: Date;
}

/** The caller's unused coupons that are valid at `now`, soonest to expire first. */
export async function usableCoupons(db: Queryable, owner: CouponOwner, now: Date): Promise<UsableCoupon[]> {
  const { rows } = await db.query<{
    name: string;
    kind: CouponRule['kind'];
    threshold_fen: number;
    amount_fen: number;
    percent_off: number;
    valid_from: Date;
    valid_until: Date;
  }>(
    `SELECT t.name, t.kind, t.threshold_fen, t.amount_fen, t.percent_off, c.valid_from, c.valid_until
       FROM coupons c JOIN coupon_templates t ON t.shop_id = c.shop_id AND t.id = c.template_id
      WHERE c.shop_id = $1 AND c.shopper_id = $2 AND c.status = 'unused'
        AND c.valid_from <= $3 AND c.valid_until > $3
      ORDER BY c.valid_until, c.id`,
    [owner.shopId, owner.shopperId, now],
  );
  return rows.map((r) => ({
    name: r.name,
    kind: r.kind,
    thresholdFen: r.threshold_fen,
    amountFen: r.amount_fen,
    percentOff: r.percent_off,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
  }));
}

// The conditions under which a template is on offer to a tier at `now` ($2 tier, $3 now).
const ON_OFFER = `t.active AND (t.starts_at IS NULL OR t.starts_at <= $3) AND (t.ends_at IS NULL OR t.ends_at > $3)
  AND $2::text = ANY(t.audience_tiers)`;

/** Templates the caller could claim right now: on offer, not sold out, under the caller's limit. */
export async function claimableTemplates(db: Queryable, caller: ShopperCaller, now: Date): Promise<CouponTemplate[]> {
  const { rows } = await db.query<CouponTemplateRow>(
    `SELECT ${TEMPLATE_COLUMNS} FROM coupon_templates t
      WHERE t.shop_id = $1 AND t.trigger = 'claimable' AND ${ON_OFFER}
        AND (t.total_quantity IS NULL OR t.issued_count < t.total_quantity)
        AND (SELECT count(*) FROM coupons c
              WHERE c.shop_id = t.shop_id AND c.template_id = t.id AND c.shopper_id = $4) < t.per_shopper_limit
      ORDER BY t.ends_at NULLS LAST, t.id`,
    [caller.shopId, caller.tier, now, caller.shopperId],
  );
  return rows.map(toTemplate);
}

/**
 * The templates on offer to a tier that points buy (积分兑券), cheapest first: $1 shop, $2 tier,
 * $3 now. Also part of the points overview's one statement (points/overview.ts).
 */
export const POINTS_REDEEM_TEMPLATES_SQL = `SELECT ${TEMPLATE_COLUMNS} FROM coupon_templates t
  WHERE t.shop_id = $1 AND t.trigger = 'points_redeem' AND t.points_cost IS NOT NULL AND ${ON_OFFER}
    AND (t.total_quantity IS NULL OR t.issued_count < t.total_quantity)
  ORDER BY t.points_cost, t.id`;


/**
 * A template by code, row-locked until the transaction ends: concurrent claims of one template
 * queue here on PostgreSQL (PGlite runs one transaction at a time anyway).
 */
export async function lockTemplateByCode(tx: Queryable, shopId: string, code: string): Promise<CouponTemplate | null> {
  const { rows } = await tx.query<CouponTemplateRow>(
    `SELECT ${TEMPLATE_COLUMNS} FROM coupon_templates t WHERE t.shop_id = $1 AND t.code = $2 FOR UPDATE`,
    [shopId, code],
  );
  return rows[0] ? toTemplate(rows[0]) : null;
}

/** How many coupons of a template the shopper holds, whatever their status (used ones count too). */
export async function countIssuedTo(db: Queryable, owner: CouponOwner, templateId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*) AS n FROM coupons WHERE shop_id = $1 AND template_id = $2 AND shopper_id = $3',
    [owner.shopId, templateId, owner.shopperId],
  );
  return rows[0]?.n ?? 0;
}

export interface NewCoupon {
  templateId: number;
  issueKey: string;
  issuedAt: Date;
  validUntil: Date;
}

/** Issues one coupon and counts it against the template's total, in the caller's transaction. */
export async function issueCoupon(tx: Queryable, owner: CouponOwner, c: NewCoupon): Promise<void> {
  await tx.query(
    `INSERT INTO coupons (shop_id, template_id, shopper_id, status, issue_key, issued_at, valid_from, valid_until)
     VALUES ($1, $2, $3, 'unused', $4, $5, $5, $6)`,
    [owner.shopId, c.templateId, owner.shopperId, c.issueKey, c.issuedAt, c.validUntil],
  );
  await tx.query('UPDATE coupon_templates SET issued_count = issued_count + 1 WHERE shop_id = $1 AND id = $2', [
    owner.shopId,
    c.templateId,
  ]);
}
