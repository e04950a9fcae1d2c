// The set-based path for many paid orders at once (imports, back-fills, the ledger benchmark): two SQL
// statements per batch — claim the orders, then price them — compute what onOrderPaid would for each
// order in turn and write it with INSERT … SELECT … ON CONFLICT DO NOTHING. Orders already priced
// (claimed in referral_paid_orders) are skipped, as onOrderPaid skips a replay.
//
// "In turn" matters because a paid order can promote its buyer (member → agent) and the buyer's
// referrer (agent → boss), and a later order of the batch is paid at the identities those promotions
// leave. The pricing statement therefore works out, for each promotion, the batch position of the order that
// causes it, and prices each order with the identities in force just before its own position:
// - a member becomes an agent at their first activation order in the batch;
// - a shopper becomes a boss at the first "new agent" event (their own promotion or a direct
//   referral's) at which they are an agent and their count of agent referrals reaches the threshold.
// Tests check this against onOrderPaid order by order (tests/db/referralBatch.test.ts).
//
// Like onOrderPaid, it reads the buyer's referrer (r1) and that referrer's referrer (r2) and nobody
// further up (docs/domain.md §4.6 Legal guard).
import type { Queryable } from '../../db/db.ts';
import { PAID_STATUSES } from './ledger.ts';
import { getReferralPolicy } from './policy.ts';
import { returnWindowDays } from './settle.ts';

// The LATERAL … LIMIT 1 lookups below keep each order (and its items) a primary-key / index probe: as
// plain joins, the planner reads the whole orders index or every item of the shop for each batch.

// Claims the batch's paid orders; returns those not priced before.
const CLAIM_SQL = `
INSERT INTO referral_paid_orders (shop_id, order_id, policy_version, processed_at)
SELECT $1, o.id, $3, $4
FROM unnest($2::bigint[]) AS b(order_id)
CROSS JOIN LATERAL (SELECT o.id FROM orders o
                    WHERE o.shop_id = $1 AND o.id = b.order_id AND o.status = ANY($5::text[]) AND o.paid_at IS NOT NULL
                    LIMIT 1) o
ON CONFLICT (shop_id, order_id) DO NOTHING
RETURNING order_id`;

// Prices the claimed orders ($2, in batch order). Kept apart from the claim so that the planner sees
// the true number of orders (an array parameter) rather than guessing at a CTE's. Shoppers are read
// once, in base (buyer, r1, r2 as they were before the batch); the promotions are worked out from it.
const BATCH_SQL = `
WITH base AS MATERIALIZED (
  SELECT o.id, b.pos, o.shopper_id AS buyer_id, o.pay_fen, o.paid_at, o.delivered_at,
         a.yes IS NOT NULL AS has_activation,
         buyer.referral_identity AS buyer_identity0, buyer.tier AS buyer_tier,
         r1.id AS r1_id, r1.referral_identity AS r1_identity0, r1.tier AS r1_tier,
         r2.id AS r2_id, r2.referral_identity AS r2_identity0, r2.tier AS r2_tier
  FROM unnest($2::bigint[]) WITH ORDINALITY AS b(order_id, pos)
  CROSS JOIN LATERAL (SELECT o.id, o.shopper_id, o.pay_fen, o.paid_at, o.delivered_at FROM orders o
                      WHERE o.shop_id = $1 AND o.id = b.order_id LIMIT 1) o
  LEFT JOIN LATERAL (SELECT true AS yes FROM order_items i JOIN products p ON p.id = i.product_id
                     WHERE i.order_id = o.id AND p.is_activation LIMIT 1) a ON true
  JOIN shoppers buyer ON buyer.shop_id = $1 AND buyer.id = o.shopper_id
  LEFT JOIN shoppers r1 ON r1.shop_id = $1 AND r1.id = buyer.referrer_id
  LEFT JOIN shoppers r2 ON r2.shop_id = $1 AND r2.id = r1.referrer_id
),
new_agent AS MATERIALIZED (
  SELECT buyer_id AS id, min(pos) AS pos FROM base
  WHERE has_activation AND buyer_identity0 = 'member'
  GROUP BY buyer_id
),
-- A new agent may make themselves a boss (enough agents below already) or their referrer one.
boss_event AS (
  SELECT bs.buyer_id AS x, bs.pos, 0 AS is_referral, bs.buyer_identity0 AS identity0, bs.buyer_tier AS tier
  FROM new_agent na JOIN base bs ON bs.pos = na.pos
  UNION ALL
  SELECT bs.r1_id, bs.pos, 1, bs.r1_identity0, bs.r1_tier
  FROM new_agent na JOIN base bs ON bs.pos = na.pos
  WHERE bs.r1_id IS NOT NULL
),
event_count AS (
  SELECT x, pos, identity0, tier,
         sum(is_referral) OVER (PARTITION BY x ORDER BY pos ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS new_agents
  FROM boss_event
),
boss_promo AS MATERIALIZED (
  SELECT e.x AS id, min(e.pos) AS pos
  FROM event_count e LEFT JOIN new_agent nx ON nx.id = e.x
  WHERE e.identity0 <> 'boss'
    AND (e.identity0 = 'agent' OR nx.pos <= e.pos)
    AND e.new_agents + (SELECT count(*) FROM shoppers r
                        WHERE r.shop_id = $1 AND r.referrer_id = e.x AND r.referral_identity IN ('agent', 'boss'))
        >= CASE WHEN e.tier = ANY($8::text[]) THEN $13::int ELSE $12::int END
  GROUP BY e.x
),
-- Each promoted shopper with the batch positions at which they became agent and boss.
promo AS MATERIALIZED (
  SELECT coalesce(na.id, bp.id) AS id, na.pos AS agent_pos, bp.pos AS boss_pos
  FROM new_agent na FULL JOIN boss_promo bp ON bp.id = na.id
),
ctx AS MATERIALIZED (
  SELECT bs.id, bs.pos, bs.buyer_id, bs.pay_fen, bs.paid_at, bs.delivered_at, bs.r1_id, bs.r1_tier, bs.r2_id, bs.r2_tier,
         CASE WHEN bs.r1_identity0 = 'boss' OR p1.boss_pos < bs.pos THEN 'boss'
              WHEN bs.r1_identity0 = 'agent' OR p1.agent_pos < bs.pos THEN 'agent' ELSE 'member' END AS r1_identity,
         CASE WHEN bs.r2_identity0 = 'boss' OR p2.boss_pos < bs.pos THEN 'boss'
              WHEN bs.r2_identity0 = 'agent' OR p2.agent_pos < bs.pos THEN 'agent' ELSE 'member' END AS r2_identity,
         h.boss_id AS helped_by,
         t.started_at AS trial_started_at, t.ends_at AS trial_ends_at, t.rewarded_order_id AS trial_order_id
  FROM base bs
  LEFT JOIN promo p1 ON p1.id = bs.r1_id
  LEFT JOIN promo p2 ON p2.id = bs.r2_id
  LEFT JOIN referral_help h ON h.shop_id = $1 AND h.order_id = bs.id
  LEFT JOIN referral_trials t ON t.shop_id = $1 AND t.shopper_id = bs.r1_id
),
trial_pick AS MATERIALIZED (
  SELECT DISTINCT ON (c.r1_id) c.r1_id, c.id AS order_id
  FROM ctx c
  WHERE $14::bigint > 0 AND c.trial_started_at IS NOT NULL
    AND c.paid_at >= c.trial_started_at AND c.paid_at < c.trial_ends_at
    AND (c.trial_order_id IS NULL OR c.trial_order_id = c.id)
    AND NOT EXISTS (SELECT 1 FROM orders e
                    WHERE e.shop_id = $1 AND e.shopper_id = c.buyer_id AND e.paid_at IS NOT NULL
                      AND (e.paid_at, e.id) < (c.paid_at, c.id))
  ORDER BY c.r1_id, c.pos
),
amounts AS (
  SELECT c.*,
    CASE WHEN c.r1_identity <> 'member' THEN c.pay_fen * $5::int / 10000 ELSE 0 END AS direct_fen,
    CASE WHEN c.r1_identity = 'boss'
         THEN c.pay_fen * (CASE WHEN c.r1_tier = ANY($8::text[]) THEN $7::int ELSE $6::int END) / 10000 ELSE 0 END AS team1_fen,
    CASE WHEN c.r1_identity = 'agent' AND c.r2_identity = 'boss'
         THEN c.pay_fen * (CASE WHEN c.r2_tier = ANY($8::text[]) THEN $7::int ELSE $6::int END) / 10000 ELSE 0 END AS team2_fen,
    CASE WHEN c.helped_by = c.r1_id AND c.r1_identity = 'boss' THEN $10::bigint ELSE 0 END AS help_fen,
    CASE WHEN c.r1_tier = 'laotie' THEN c.pay_fen * $11::int / 10000 ELSE 0 END AS laotie_fen,
    CASE WHEN tp.order_id IS NOT NULL THEN $14::bigint ELSE 0 END AS trial_fen
  FROM ctx c LEFT JOIN trial_pick tp ON tp.order_id = c.id
),
lines AS (
  SELECT a.id AS order_id, a.buyer_id, a.delivered_at, v.beneficiary_id, v.kind, v.level, v.amount_fen
  FROM amounts a CROSS JOIN LATERAL (VALUES
    (a.r1_id, 'direct', 1, a.direct_fen),
    (a.r1_id, 'team', 1, a.team1_fen),
    (a.r2_id, 'team', 2, a.team2_fen),
    (a.r2_id, 'peer', 2, CASE WHEN a.r2_identity = 'boss' THEN a.team1_fen * $9::int / 10000 ELSE 0 END),
    (a.r1_id, 'help', 1, a.help_fen),
    (a.r1_id, 'laotie_lifetime', 1, a.laotie_fen),
    (a.r1_id, 'trial', 1, a.trial_fen)
  ) AS v(beneficiary_id, kind, level, amount_fen)
  WHERE v.amount_fen > 0 AND v.beneficiary_id IS NOT NULL
),
credited AS (
  INSERT INTO reward_ledger (shop_id, order_id, buyer_id, beneficiary_id, kind, level, amount_fen, state,
                             entry_key, policy_version, created_at, settle_after)
  SELECT $1, l.order_id, l.buyer_id, l.beneficiary_id, l.kind, l.level, l.amount_fen, 'pending',
         l.order_id || ':' || l.beneficiary_id || ':' || l.kind, $4, $3,
         l.delivered_at + make_interval(hours => $15::int * 24)
  FROM lines l
  ON CONFLICT (shop_id, entry_key) DO NOTHING
  RETURNING 1
),
trial_claim AS (
  UPDATE referral_trials t SET rewarded_order_id = p.order_id, rewarded_at = coalesce(t.rewarded_at, $3)
  FROM trial_pick p WHERE t.shop_id = $1 AND t.shopper_id = p.r1_id
),
moved AS (
  UPDATE shoppers s SET referral_identity = CASE WHEN bp.id IS NULL THEN 'agent' ELSE 'boss' END
  FROM (SELECT id FROM new_agent UNION SELECT id FROM boss_promo) m LEFT JOIN boss_promo bp ON bp.id = m.id
  WHERE s.shop_id = $1 AND s.id = m.id
),
changes AS (
  INSERT INTO referral_identity_changes
    (shop_id, shopper_id, from_identity, to_identity, reason, policy_version, order_id, changed_at)
  SELECT $1, c.id, c.from_identity, c.to_identity, c.reason, $4, o.id, $3
  FROM (SELECT id, pos, 0 AS step, 'member' AS from_identity, 'agent' AS to_identity, 'activation_purchase' AS reason
        FROM new_agent
        UNION ALL
        SELECT id, pos, 1, 'agent', 'boss', 'agent_referrals_reached' FROM boss_promo) c
  JOIN base o ON o.pos = c.pos
  ORDER BY c.pos, c.step
  RETURNING 1
)
SELECT (SELECT count(*) FROM credited) AS credited,
       (SELECT count(*) FROM changes) AS promotions`;

export interface BatchOutcome {
  /** Ledger entries written (0 for orders already credited). */
  credited: number;
  /** Identity changes recorded. */
  promotions: number;
}

/**
 * The same as calling onOrderPaid(tx, shopId, id, now) for each id in the given order, in two
 * statements. Repeated ids count once, at their first position.
 */
export async function applyPaidOrdersBatch(tx: Queryable, shopId: string, orderIds: readonly number[], now: Date): Promise<BatchOutcome> {
  // A repeated id counts once, at its first position (a Set keeps first occurrences in order).
  const ids = [...new Set(orderIds)];
  if (ids.length === 0) return { credited: 0, promotions: 0 };
  const { version, policy } = await getReferralPolicy(tx, shopId);
  const claimed = await tx.query<{ order_id: number }>(CLAIM_SQL, [shopId, ids, version, now, PAID_STATUSES]);
  const fresh = new Set(claimed.rows.map((r) => r.order_id));
  const priced = ids.filter((id) => fresh.has(id));
  if (priced.length === 0) return { credited: 0, promotions: 0 };
  const { rows } = await tx.query<{ credited: number; promotions: number }>(BATCH_SQL, [
    shopId,
    priced,
    now,
    version,
    policy.directRateBps,
    policy.teamRateBps,
    policy.teamRateBpsCore,
    policy.boostedTiers,
    policy.peerRateBps,
    policy.helpRewardFen,
    policy.laotieLifetimeRateBps,
    policy.bossAgentReferrals,
    policy.bossAgentReferralsCore,
    policy.trialRewardFen,
    await returnWindowDays(tx, shopId),
  ]);
  return { credited: rows[0]!.credited, promotions: rows[0]!.promotions };
}
