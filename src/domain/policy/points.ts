// Points redeemed for coupons (docs/domain.md §6 Points: 100 points → a 10 yuan no-threshold coupon). The
// shopper's row is locked for the whole redemption, so concurrent redemptions of one shopper queue:
// each sees the balance the previous one left, the balance never goes negative, and exactly as many
// succeed as the points afford. The n-th redemption writes ledger ref_key and coupon issue_key
// 'redeem:<shopper>:<n>', both unique per shop.
import type { Tier } from '../../context.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { Conflict, Forbidden, NotFound } from '../../errors.ts';
import { ruleText, type CouponTemplate } from '../coupons/templates.ts';
import { TIER_LABELS } from '../lifecycle/labels.ts';
import { pointsBalance } from '../points/ledger.ts';
import { addDays } from './calendar.ts';
import { issuePolicyCoupon } from './issue.ts';
import { policyTemplates } from './templates.ts';

export interface Redemption {
  couponId: number;
  name: string;
  rule: string;
  pointsSpent: number;
  balance: number;
  validUntil: Date;
}

function pickTemplate(templates: readonly CouponTemplate[], tier: Tier, code: string | undefined, now: Date): CouponTemplate {
  const onOffer = (t: CouponTemplate) => t.pointsCost !== null && (!t.startsAt || t.startsAt <= now) && (!t.endsAt || t.endsAt > now);
  if (code !== undefined) {
    const t = templates.find((x) => x.code === code && onOffer(x));
    if (!t) throw new NotFound('points coupon');
    if (!t.audienceTiers.includes(tier)) {
      throw new Forbidden(`这张积分券仅限${t.audienceTiers.map((x) => TIER_LABELS[x]).join('、')}兑换，你目前还不能兑换。`);
    }
    return t;
  }
  const cheapest = templates
    .filter((t) => onOffer(t) && t.audienceTiers.includes(tier))
    .sort((a, b) => a.pointsCost! - b.pointsCost! || a.id - b.id)[0];
  if (!cheapest) throw new NotFound('points coupon');
  return cheapest;
}

/** The coupon a redemption gives, its cost and the balance it comes from; refused as redeemPoints refuses. */
async function checkRedemption(q: Queryable, shopId: string, shopperId: number, opts: { templateCode?: string; now: Date; lock: boolean }) {
  const { rows } = await q.query<{ tier: Tier }>(
    `SELECT tier FROM shoppers WHERE shop_id = $1 AND id = $2${opts.lock ? ' FOR NO KEY UPDATE' : ''}`,
    [shopId, shopperId],
  );
  const shopper = rows[0];
  if (!shopper) throw new NotFound('shopper');
  const template = pickTemplate(await policyTemplates(q, shopId, 'points_redeem'), shopper.tier, opts.templateCode, opts.now);
  const cost = template.pointsCost!;
  const balance = await pointsBalance(q, { shopId, shopperId });
  if (balance < cost) throw new Conflict(`积分不足：兑换「${template.name}」需要 ${cost} 积分，你现在有 ${balance} 积分。`);
  return { tier: shopper.tier, template, cost, balance };
}

/**
 * What a redemption would be, checked as redeemPoints checks it but without writing: the coupon, its
 * cost and the balance before. Refused for the same reasons (not for this tier, not enough points).
 */
export async function previewRedemption(
  db: Queryable,
  shopId: string,
  shopperId: number,
  opts: { templateCode?: string; now: Date },
): Promise<{ name: string; rule: string; pointsCost: number; balance: number }> {
  const { template, cost, balance } = await checkRedemption(db, shopId, shopperId, { ...opts, lock: false });
  return { name: template.name, rule: ruleText(template), pointsCost: cost, balance };
}

export async function redeemPoints(
  db: Db,
  shopId: string,
  shopperId: number,
  opts: { templateCode?: string; now: Date },
): Promise<Redemption> {
  // The default template is created outside the redemption, so 50 racing first redemptions don't
  // all try to insert it under their locks.
  await policyTemplates(db, shopId, 'points_redeem');
  return db.transaction(async (tx) => {
    const { tier, template, cost, balance } = await checkRedemption(tx, shopId, shopperId, { ...opts, lock: true });
    const { rows: done } = await tx.query<{ n: number }>(
      `SELECT count(*) AS n FROM points_ledger WHERE shop_id = $1 AND shopper_id = $2 AND ref_key LIKE 'redeem:' || $2 || ':%'`,
      [shopId, shopperId],
    );
    const key = `redeem:${shopperId}:${done[0]!.n + 1}`;
    const outcome = await issuePolicyCoupon(tx, template, {
      shopId,
      shopperId,
      tier,
      issueKey: key,
      issuedAt: opts.now,
      validFrom: opts.now,
      validUntil: addDays(opts.now, template.validDays),
    });
    if (!outcome.issued) {
      const why =
        outcome.reason === 'limit_reached'
          ? `你已持有 ${template.perShopperLimit} 张未使用的「${template.name}」，用掉后再来兑换吧。`
          : outcome.reason === 'sold_out'
            ? `「${template.name}」已经兑完了。`
            : `「${template.name}」现在不能兑换。`;
      throw new Conflict(why, { reason: outcome.reason });
    }
    await tx.query(
      `INSERT INTO points_ledger (shop_id, shopper_id, delta, reason, ref_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [shopId, shopperId, -cost, `积分兑换：${template.name}`, key, opts.now],
    );
    return {
      couponId: outcome.couponId,
      name: template.name,
      rule: ruleText(template),
      pointsSpent: cost,
      balance: balance - cost,
      validUntil: outcome.validUntil,
    };
  });
}
