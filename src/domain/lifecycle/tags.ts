// The three tag dimensions of docs/domain.md §3 Tiers (consumption, interaction, referral) plus preference
// tags, computed from the shopper's orders, behaviour events, referrals and feedback. Stored in
// shoppers.tags; the rules read them through `tagMetrics`.
import type { Queryable } from '../../db/db.ts';

export interface ShopperTags {
  consumption: {
    orderCount: number;
    repurchaseCount: number;
    gmvFen: number;
    firstOrderFen: number | null;
    aovFen: number | null;
    /** AOV as a percentage of the shop's average order (settings.averageOrderFen). */
    aovVsShopPct: number | null;
    firstOrderVsShopPct: number | null;
    firstPaidAt: string | null;
    lastPaidAt: string | null;
    daysSinceLastPaid: number | null;
    ordersLast30d: number;
  };
  interaction: {
    viewsLast30d: number;
    /** Distinct new products (launched within 30 days of the view) viewed in the last 30 days. */
    newProductViewsLast30d: number;
    dwellMinutes: number;
    favourites: number;
    followed: boolean;
    consults: number;
    shares: number;
    feedbacks: number;
  };
  referral: {
    referredUsers: number;
    referredBuyers: number;
    conversionPct: number | null;
  };
  preference: {
    categories: string[];
    skinType: string | null;
  };
  computedAt: string;
}

const DAY_MS = 86_400_000;
// An order counts once it is paid and as long as it was not cancelled or refunded.
export const VALID_ORDER = `o.paid_at IS NOT NULL AND o.status NOT IN ('cancelled', 'refunded')`;
// How much one signal says about a preference: a purchase more than a favourite or share, more than a look.
const PREFERENCE_WEIGHTS = { purchase: 3, favourite: 2, share: 2, view: 1 } as const;
const TOP_CATEGORIES = 3;

function pct(part: number | null, whole: number): number | null {
  return part === null || whole <= 0 ? null : Math.round((part * 100) / whole);
}

async function consumption(db: Queryable, shopId: string, shopperId: number, now: Date, averageOrderFen: number) {
  const { rows } = await db.query<{
    order_count: number;
    gmv_fen: number;
    first_order_fen: number | null;
    first_paid_at: Date | null;
    last_paid_at: Date | null;
    orders_30d: number;
  }>(
    `WITH valid AS (
       SELECT o.id, o.pay_fen, o.paid_at FROM orders o
        WHERE o.shop_id = $1 AND o.shopper_id = $2 AND ${VALID_ORDER} AND o.paid_at <= $3)
     SELECT count(*) AS order_count, coalesce(sum(pay_fen), 0)::int8 AS gmv_fen,
            (SELECT pay_fen FROM valid ORDER BY paid_at, id LIMIT 1) AS first_order_fen,
            min(paid_at) AS first_paid_at, max(paid_at) AS last_paid_at,
            count(*) FILTER (WHERE paid_at > $3::timestamptz - interval '30 days') AS orders_30d
       FROM valid`,
    [shopId, shopperId, now],
  );
  const r = rows[0]!;
  const aov = r.order_count > 0 ? Math.round(r.gmv_fen / r.order_count) : null;
  return {
    orderCount: r.order_count,
    repurchaseCount: Math.max(r.order_count - 1, 0),
    gmvFen: r.gmv_fen,
    firstOrderFen: r.first_order_fen,
    aovFen: aov,
    aovVsShopPct: pct(aov, averageOrderFen),
    firstOrderVsShopPct: pct(r.first_order_fen, averageOrderFen),
    firstPaidAt: r.first_paid_at?.toISOString() ?? null,
    lastPaidAt: r.last_paid_at?.toISOString() ?? null,
    daysSinceLastPaid: r.last_paid_at ? Math.floor((now.getTime() - r.last_paid_at.getTime()) / DAY_MS) : null,
    ordersLast30d: r.orders_30d,
  };
}

async function interaction(db: Queryable, shopId: string, shopperId: number, now: Date) {
  const { rows } = await db.query<{
    views_30d: number;
    new_views_30d: number;
    dwell_seconds: number;
    favourites: number;
    followed: boolean | null;
    consults: number;
    shares: number;
    feedbacks: number;
  }>(
    `SELECT count(*) FILTER (WHERE b.kind = 'view' AND b.occurred_at > $3::timestamptz - interval '30 days') AS views_30d,
            count(DISTINCT b.product_id) FILTER (
              WHERE b.kind = 'view' AND b.occurred_at > $3::timestamptz - interval '30 days'
                AND p.launched_at > b.occurred_at - interval '30 days') AS new_views_30d,
            coalesce(sum(CASE WHEN jsonb_typeof(b.payload->'dwellSeconds') = 'number'
                              THEN (b.payload->>'dwellSeconds')::numeric ELSE 0 END), 0) AS dwell_seconds,
            count(DISTINCT b.product_id) FILTER (WHERE b.kind = 'favourite') AS favourites,
            bool_or(b.kind = 'follow') AS followed,
            count(*) FILTER (WHERE b.kind = 'consult') AS consults,
            count(*) FILTER (WHERE b.kind = 'share') AS shares,
            (SELECT count(*) FROM feedback f WHERE f.shop_id = $1 AND f.shopper_id = $2) AS feedbacks
       FROM behaviour_events b LEFT JOIN products p ON p.id = b.product_id
      WHERE b.shop_id = $1 AND b.shopper_id = $2 AND b.occurred_at <= $3`,
    [shopId, shopperId, now],
  );
  const r = rows[0]!;
  return {
    viewsLast30d: r.views_30d,
    newProductViewsLast30d: r.new_views_30d,
    dwellMinutes: Math.floor(r.dwell_seconds / 60),
    favourites: r.favourites,
    followed: r.followed === true,
    consults: r.consults,
    shares: r.shares,
    feedbacks: r.feedbacks,
  };
}

async function referral(db: Queryable, shopId: string, shopperId: number) {
  const { rows } = await db.query<{ users: number; buyers: number }>(
    `SELECT count(*) AS users,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM orders o WHERE o.shop_id = s.shop_id AND o.shopper_id = s.id AND ${VALID_ORDER})) AS buyers
       FROM shoppers s WHERE s.shop_id = $1 AND s.referrer_id = $2`,
    [shopId, shopperId],
  );
  const r = rows[0]!;
  return { referredUsers: r.users, referredBuyers: r.buyers, conversionPct: pct(r.buyers, r.users) };
}

async function preference(db: Queryable, shopId: string, shopperId: number) {
  const w = PREFERENCE_WEIGHTS;
  const { rows } = await db.query<{ category: string }>(
    `SELECT p.category FROM (
       SELECT i.product_id, ${w.purchase} AS w FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE o.shop_id = $1 AND o.shopper_id = $2 AND ${VALID_ORDER}
       UNION ALL
       SELECT b.product_id, CASE b.kind WHEN 'favourite' THEN ${w.favourite} WHEN 'share' THEN ${w.share} ELSE ${w.view} END
         FROM behaviour_events b
        WHERE b.shop_id = $1 AND b.shopper_id = $2 AND b.product_id IS NOT NULL AND b.kind IN ('view', 'favourite', 'share')
     ) x JOIN products p ON p.id = x.product_id
     GROUP BY p.category ORDER BY sum(x.w) DESC, p.category LIMIT ${TOP_CATEGORIES}`,
    [shopId, shopperId],
  );
  const skin = await db.query<{ skin_type: string | null }>('SELECT skin_type FROM shoppers WHERE shop_id = $1 AND id = $2', [
    shopId,
    shopperId,
  ]);
  return { categories: rows.map((r) => r.category), skinType: skin.rows[0]?.skin_type ?? null };
}

/** All tags of one shopper as of `now`. */
export async function computeTags(
  db: Queryable,
  shopId: string,
  shopperId: number,
  now: Date,
  averageOrderFen: number,
): Promise<ShopperTags> {
  return {
    consumption: await consumption(db, shopId, shopperId, now, averageOrderFen),
    interaction: await interaction(db, shopId, shopperId, now),
    referral: await referral(db, shopId, shopperId),
    preference: await preference(db, shopId, shopperId),
    computedAt: now.toISOString(),
  };
}

export async function saveTags(db: Queryable, shopId: string, shopperId: number, tags: ShopperTags): Promise<void> {
  await db.query('UPDATE shoppers SET tags = $3 WHERE shop_id = $1 AND id = $2', [shopId, shopperId, JSON.stringify(tags)]);
}

/** The numbers rules may test (docs/domain.md §3 Tiers: thresholds over the tags); booleans as 0/1. */
export const METRICS = [
  'orderCount',
  'repurchaseCount',
  'gmvFen',
  'firstOrderFen',
  'aovFen',
  'aovVsShopPct',
  'firstOrderVsShopPct',
  'daysSinceLastPaid',
  'ordersLast30d',
  'viewsLast30d',
  'newProductViewsLast30d',
  'dwellMinutes',
  'favourites',
  'followed',
  'consults',
  'shares',
  'feedbacks',
  'referredUsers',
  'referredBuyers',
  'referralConversionPct',
] as const;
export type Metric = (typeof METRICS)[number];

export function tagMetrics(t: ShopperTags): Record<Metric, number | null> {
  const c = t.consumption;
  const i = t.interaction;
  return {
    orderCount: c.orderCount,
    repurchaseCount: c.repurchaseCount,
    gmvFen: c.gmvFen,
    firstOrderFen: c.firstOrderFen,
    aovFen: c.aovFen,
    aovVsShopPct: c.aovVsShopPct,
    firstOrderVsShopPct: c.firstOrderVsShopPct,
    daysSinceLastPaid: c.daysSinceLastPaid,
    ordersLast30d: c.ordersLast30d,
    viewsLast30d: i.viewsLast30d,
    newProductViewsLast30d: i.newProductViewsLast30d,
    dwellMinutes: i.dwellMinutes,
    favourites: i.favourites,
    followed: i.followed ? 1 : 0,
    consults: i.consults,
    shares: i.shares,
    feedbacks: i.feedbacks,
    referredUsers: t.referral.referredUsers,
    referredBuyers: t.referral.referredBuyers,
    referralConversionPct: t.referral.conversionPct,
  };
}
