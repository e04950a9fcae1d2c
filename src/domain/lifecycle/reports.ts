// The operator's tier report (docs/domain.md §13 Reports): the tier distribution at the end of a period, the
// movements within it (from tier_changes) and the outcome metrics of the case, computed from data.
// Definitions (period = [from, to)):
// - order: paid, not cancelled or refunded; GMV and AOV over orders paid in the period;
// - 30-day retention: of shoppers whose first order was paid in the period, the share active again
//   (a behaviour event or a new order) between 1 and 30 days after it;
// - repurchase rate: of the period's buyers, the share with ≥ 2 orders paid by its end;
// - share of new shoppers from referrals: registered in the period with a referrer;
// - ROI inputs: GMV of referred shoppers' orders in the period vs the referral rewards booked in it
//   (reward_ledger, net of claw-backs).
import { TIERS, type Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { Invalid } from '../../errors.ts';
import { addDays, parseLocalDay, startOfLocalDay } from '../policy/calendar.ts';
import { getShop } from '../shops/repo.ts';
import { VALID_ORDER } from './tags.ts';

const LADDER: readonly Tier[] = TIERS;

export interface TierReport {
  period: { from: Date; to: Date };
  distribution: { tier: Tier; shoppers: number; share: number | null }[];
  totalShoppers: number;
  movements: { from: Tier; to: Tier; direction: 'up' | 'down'; count: number }[];
  promotions: number;
  demotions: number;
  outcomes: {
    orders: number;
    gmvFen: number;
    aovFen: number | null;
    retention30d: { cohort: number; retained: number; rate: number | null };
    repurchase: { buyers: number; repeatBuyers: number; rate: number | null };
    newShoppers: { total: number; referred: number; referralShare: number | null };
    referral: { gmvFen: number; rewardCostFen: number | null; roi: number | null };
  };
}

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

async function distribution(db: Queryable, shopId: string, to: Date) {
  // The tier at `to`: the last change before it; else, if it changed only later, where that change
  // started from; else (never changed, e.g. imported) the tier stored now.
  const { rows } = await db.query<{ tier: Tier; n: number }>(
    `SELECT tier, count(*) AS n FROM (
       SELECT coalesce(
         (SELECT c.to_tier FROM tier_changes c WHERE c.shop_id = s.shop_id AND c.shopper_id = s.id AND c.changed_at < $2
           ORDER BY c.changed_at DESC, c.id DESC LIMIT 1),
         (SELECT c.from_tier FROM tier_changes c WHERE c.shop_id = s.shop_id AND c.shopper_id = s.id AND c.changed_at >= $2
           ORDER BY c.changed_at, c.id LIMIT 1),
         s.tier) AS tier
         FROM shoppers s WHERE s.shop_id = $1 AND s.registered_at < $2 AND s.erased_at IS NULL) t
     GROUP BY tier`,
    [shopId, to],
  );
  const counts = new Map(rows.map((r) => [r.tier, r.n]));
  const total = rows.reduce((sum, r) => sum + r.n, 0);
  return { total, rows: LADDER.map((tier) => ({ tier, shoppers: counts.get(tier) ?? 0, share: ratio(counts.get(tier) ?? 0, total) })) };
}

async function movements(db: Queryable, shopId: string, from: Date, to: Date) {
  const { rows } = await db.query<{ from_tier: Tier; to_tier: Tier; n: number }>(
    `SELECT from_tier, to_tier, count(*) AS n FROM tier_changes
      WHERE shop_id = $1 AND changed_at >= $2 AND changed_at < $3 GROUP BY from_tier, to_tier ORDER BY from_tier, to_tier`,
    [shopId, from, to],
  );
  return rows.map((r) => ({
    from: r.from_tier,
    to: r.to_tier,
    direction: LADDER.indexOf(r.to_tier) > LADDER.indexOf(r.from_tier) ? ('up' as const) : ('down' as const),
    count: r.n,
  }));
}

async function sales(db: Queryable, shopId: string, from: Date, to: Date) {
  const { rows } = await db.query<{ orders: number; gmv: number; buyers: number; repeat_buyers: number; referral_gmv: number }>(
    `WITH period AS (
       SELECT o.shopper_id, o.pay_fen FROM orders o
        WHERE o.shop_id = $1 AND ${VALID_ORDER} AND o.paid_at >= $2 AND o.paid_at < $3),
     buyers AS (
       SELECT b.shopper_id, (SELECT count(*) FROM orders o WHERE o.shop_id = $1 AND o.shopper_id = b.shopper_id
                               AND ${VALID_ORDER} AND o.paid_at < $3) AS n
         FROM (SELECT DISTINCT shopper_id FROM period) b)
     SELECT (SELECT count(*) FROM period) AS orders,
            (SELECT coalesce(sum(pay_fen), 0) FROM period) AS gmv,
            (SELECT count(*) FROM buyers) AS buyers,
            (SELECT count(*) FROM buyers WHERE n >= 2) AS repeat_buyers,
            (SELECT coalesce(sum(p.pay_fen), 0) FROM period p JOIN shoppers s ON s.shop_id = $1 AND s.id = p.shopper_id
              WHERE s.referrer_id IS NOT NULL) AS referral_gmv`,
    [shopId, from, to],
  );
  return rows[0]!;
}

async function retention(db: Queryable, shopId: string, from: Date, to: Date) {
  const { rows } = await db.query<{ cohort: number; retained: number }>(
    `WITH firsts AS (
       SELECT o.shopper_id, min(o.paid_at) AS first_paid FROM orders o WHERE o.shop_id = $1 AND ${VALID_ORDER} GROUP BY o.shopper_id),
     cohort AS (SELECT * FROM firsts WHERE first_paid >= $2 AND first_paid < $3)
     SELECT count(*) AS cohort,
            count(*) FILTER (WHERE
              EXISTS (SELECT 1 FROM behaviour_events b WHERE b.shop_id = $1 AND b.shopper_id = c.shopper_id
                         AND b.occurred_at > c.first_paid + interval '1 day' AND b.occurred_at <= c.first_paid + interval '30 days')
              OR EXISTS (SELECT 1 FROM orders o WHERE o.shop_id = $1 AND o.shopper_id = c.shopper_id
                         AND o.created_at > c.first_paid + interval '1 day' AND o.created_at <= c.first_paid + interval '30 days')
            ) AS retained
       FROM cohort c`,
    [shopId, from, to],
  );
  return rows[0]!;
}

async function newShoppers(db: Queryable, shopId: string, from: Date, to: Date) {
  const { rows } = await db.query<{ total: number; referred: number }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE referrer_id IS NOT NULL) AS referred
       FROM shoppers WHERE shop_id = $1 AND registered_at >= $2 AND registered_at < $3 AND erased_at IS NULL`,
    [shopId, from, to],
  );
  return rows[0]!;
}

/** Net referral reward cost booked in the period; null when the referral ledger does not exist. */
async function rewardCost(db: Queryable, shopId: string, from: Date, to: Date): Promise<number | null> {
  const { rows: exists } = await db.query<{ t: string | null }>(`SELECT to_regclass('reward_ledger')::text AS t`);
  if (!exists[0]?.t) return null;
  // A pending credit clawed back is flipped to 'reversed' (never paid); a settled one keeps its row and
  // gets a negative reversal row: both net out.
  const { rows } = await db.query<{ cost: number }>(
    `SELECT coalesce(sum(amount_fen), 0) AS cost FROM reward_ledger
      WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3 AND NOT (state = 'reversed' AND amount_fen > 0)`,
    [shopId, from, to],
  );
  return rows[0]!.cost;
}

export async function tierReport(db: Queryable, shopId: string, period: { from: Date; to: Date }): Promise<TierReport> {
  const { from, to } = period;
  const dist = await distribution(db, shopId, to);
  const moves = await movements(db, shopId, from, to);
  const s = await sales(db, shopId, from, to);
  const r = await retention(db, shopId, from, to);
  const n = await newShoppers(db, shopId, from, to);
  const cost = await rewardCost(db, shopId, from, to);
  return {
    period,
    distribution: dist.rows,
    totalShoppers: dist.total,
    movements: moves,
    promotions: moves.filter((m) => m.direction === 'up').reduce((sum, m) => sum + m.count, 0),
    demotions: moves.filter((m) => m.direction === 'down').reduce((sum, m) => sum + m.count, 0),
    outcomes: {
      orders: s.orders,
      gmvFen: s.gmv,
      aovFen: s.orders > 0 ? Math.round(s.gmv / s.orders) : null,
      retention30d: { cohort: r.cohort, retained: r.retained, rate: ratio(r.retained, r.cohort) },
      repurchase: { buyers: s.buyers, repeatBuyers: s.repeat_buyers, rate: ratio(s.repeat_buyers, s.buyers) },
      newShoppers: { total: n.total, referred: n.referred, referralShare: ratio(n.referred, n.total) },
      referral: {
        gmvFen: s.referral_gmv,
        rewardCostFen: cost,
        roi: cost && cost > 0 ? Math.round((s.referral_gmv / cost) * 100) / 100 : null,
      },
    },
  };
}

const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The report's period from query values: a day 'YYYY-MM-DD' is a local day of the shop, both ends
 * inclusive (to=2026-09-30 runs to the end of the 30th); an instant with offset is taken as given.
 * Defaults: the 30 days up to now.
 */
export async function resolvePeriod(
  db: Queryable,
  shopId: string,
  q: { from?: string; to?: string },
  now: Date,
): Promise<{ from: Date; to: Date }> {
  const { timezone } = await getShop(db, shopId);
  const read = async (v: string, end: boolean) => {
    if (!DAY_ONLY.test(v)) return new Date(v);
    if (!parseLocalDay(v)) throw new Invalid(`${v} is not a calendar day`);
    const start = await startOfLocalDay(db, v, timezone);
    return end ? addDays(start, 1) : start;
  };
  const to = q.to !== undefined ? await read(q.to, true) : now;
  const from = q.from !== undefined ? await read(q.from, false) : addDays(to, -30);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new Invalid('from and to must be dates YYYY-MM-DD or ISO instants');
  if (from >= to) throw new Invalid('from must be before to');
  return { from, to };
}
