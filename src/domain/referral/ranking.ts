// 裂变之星 (docs/domain.md §4.7 Referral star): the monthly ranking of referrers, top 3 rewarded by the shop.
//
// Reading: ranked by new referred buyers — direct referrals whose first paid order (not refunded or
// cancelled) falls in the month, in the shop's time zone. New buyers measure 裂变 (acquisition) and
// cannot be pumped by one referral buying again and again, as a reward amount could. Ties go to who
// reached the count first, then to the lower shopper id. Everyone who refers is ranked, not only 老铁:
// the ranking is one of the things that makes a shopper want to become one.
import type { Queryable } from '../../db/db.ts';
import { Invalid } from '../../errors.ts';
import { PAID_STATUSES } from './ledger.ts';
import { getReferralPolicy } from './policy.ts';

export interface RankingEntry {
  rank: number;
  shopperId: number;
  nickname: string;
  /** Direct referrals whose first paid order fell in the month. */
  referredBuyers: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month ('YYYY-MM') of an instant in the shop's time zone. */
export async function shopMonth(db: Queryable, shopId: string, at: Date): Promise<string> {
  const { rows } = await db.query<{ month: string }>(
    "SELECT to_char($2::timestamptz AT TIME ZONE timezone, 'YYYY-MM') AS month FROM shops WHERE id = $1",
    [shopId, at],
  );
  return rows[0]?.month ?? at.toISOString().slice(0, 7);
}

/** The month's ranking, best first; `limit` null = every referrer with a new buyer that month. */
export async function rankReferrers(db: Queryable, shopId: string, month: string, limit: number | null): Promise<RankingEntry[]> {
  if (!MONTH.test(month)) throw new Invalid(`month must be YYYY-MM, got ${month}`);
  const { rows } = await db.query<{ rank: number; shopper_id: number; nickname: string; referred_buyers: number }>(
    `WITH bounds AS (
       SELECT ($2::text || '-01')::timestamp AT TIME ZONE timezone AS start_at,
              (($2::text || '-01')::timestamp + interval '1 month') AT TIME ZONE timezone AS end_at
       FROM shops WHERE id = $1
     ),
     first_paid AS (
       SELECT o.shopper_id, min(o.paid_at) AS at FROM orders o, bounds
       WHERE o.shop_id = $1 AND o.status = ANY($3) AND o.paid_at < bounds.end_at
       GROUP BY o.shopper_id
     ),
     scores AS (
       SELECT b.referrer_id AS shopper_id, count(*) AS referred_buyers, max(f.at) AS reached_at
       FROM first_paid f JOIN shoppers b ON b.shop_id = $1 AND b.id = f.shopper_id CROSS JOIN bounds
       WHERE b.referrer_id IS NOT NULL AND f.at >= bounds.start_at
       GROUP BY b.referrer_id
     )
     SELECT row_number() OVER (ORDER BY s.referred_buyers DESC, s.reached_at, s.shopper_id) AS rank,
            s.shopper_id, r.nickname, s.referred_buyers
     FROM scores s JOIN shoppers r ON r.shop_id = $1 AND r.id = s.shopper_id
     ORDER BY rank LIMIT $4`,
    [shopId, month, PAID_STATUSES, limit],
  );
  return rows.map((r) => ({ rank: r.rank, shopperId: r.shopper_id, nickname: r.nickname, referredBuyers: r.referred_buyers }));
}

/** 裂变之星 of the month ('YYYY-MM'): the policy's number of places (default 3). */
export async function monthlyRanking(db: Queryable, shopId: string, month: string): Promise<RankingEntry[]> {
  const { policy } = await getReferralPolicy(db, shopId);
  return rankReferrers(db, shopId, month, policy.rankingSize);
}
