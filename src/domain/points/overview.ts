// What a shopper asks about their points (积分) — the balance, the latest entries, and the coupons
// points buy — in ONE statement: the getPoints tool answers inside a chat turn, where each round
// trip waits (three separate reads cost ≈ 2 ms more of a turn on PGlite, bench:chat).
import type { ShopperCaller } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { POINTS_REDEEM_TEMPLATES_SQL } from '../coupons/repo.ts';
import { toTemplate, type CouponTemplate, type CouponTemplateRow } from '../coupons/templates.ts';
import type { PointsEntry } from './ledger.ts';

export interface PointsOverview {
  balance: number;
  /** The newest entries first. */
  recent: PointsEntry[];
  /** Templates on offer to the caller's tier that points buy, cheapest first. */
  redeemable: CouponTemplate[];
}

type Row = Partial<CouponTemplateRow> & { balance: number; recent: Array<{ delta: number; reason: string; created_at: string }> };

export async function pointsOverview(db: Queryable, caller: ShopperCaller, now: Date, recentLimit: number): Promise<PointsOverview> {
  // One row per redeemable template (the templates' own statement, $1–$3), each carrying the
  // shopper's account ($4 shopper, $5 limit); one row of account alone when none is on offer.
  const { rows } = await db.query<Row>(
    `WITH account AS (
       SELECT (SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE shop_id = $1 AND shopper_id = $4) AS balance,
              (SELECT coalesce(json_agg(e), '[]'::json) FROM (
                 SELECT delta, reason, created_at FROM points_ledger WHERE shop_id = $1 AND shopper_id = $4
                  ORDER BY created_at DESC, id DESC LIMIT $5) e) AS recent)
     SELECT a.balance, a.recent, t.* FROM account a LEFT JOIN LATERAL (${POINTS_REDEEM_TEMPLATES_SQL}) t ON true
      ORDER BY t.points_cost, t.id`,
    [caller.shopId, caller.tier, now, caller.shopperId, recentLimit],
  );
  const first = rows[0]!;
  return {
    balance: Number(first.balance),
    recent: first.recent.map((e) => ({ delta: e.delta, reason: e.reason, at: new Date(e.created_at) })),
    redeemable: rows.filter((r) => r.id != null).map((r) => toTemplate(r as CouponTemplateRow)),
  };
}
