// The activity rule (活跃度规则, docs/domain.md §4.4 Help and the activity rule): when the agents of a
// boss's team have bought nothing for 30 consecutive days and the boss has not helped one of them
// complete an order in that time, the boss is demoted to agent until the team is active again. Meant to
// run daily; no job calls it yet (docs/domain.md §4.5 Reward lifecycle).
//
// Readings (docs/domain.md §4.4 Help and the activity rule): the team's agents are the agents the boss
// referred directly; a boss with no such agent is left alone (there is nobody to help); a boss promoted
// or re-promoted less than a window ago is not judged yet. "Active again" = one of those agents paid an
// order after the demotion (a help is such an order).
import type { Queryable } from '../../db/db.ts';
import { PAID_STATUSES } from './ledger.ts';
import { getReferralPolicy } from './policy.ts';

export interface ActivityOutcome {
  demoted: number[];
  repromoted: number[];
}

/** Each shopper's latest recorded identity change (a CTE body). */
const LATEST_CHANGE = `
  SELECT DISTINCT ON (shopper_id) shopper_id, to_identity, reason, changed_at
  FROM referral_identity_changes WHERE shop_id = $1 ORDER BY shopper_id, changed_at DESC, id DESC`;

/** A paid order of an agent the boss referred, paid in (after, $2] (a SQL condition over boss b). */
const TEAM_AGENT_BOUGHT = (after: string) => `
  EXISTS (SELECT 1 FROM shoppers a JOIN orders o ON o.shop_id = a.shop_id AND o.shopper_id = a.id
          WHERE a.shop_id = $1 AND a.referrer_id = b.id AND a.referral_identity = 'agent'
            AND o.status = ANY($3) AND o.paid_at > ${after} AND o.paid_at <= $2)`;

export async function applyActivityRule(db: Queryable, shopId: string, now: Date, inactiveDays?: number): Promise<ActivityOutcome> {
  const { version, policy } = await getReferralPolicy(db, shopId);
  const days = inactiveDays ?? policy.inactiveDays;

  const back = await db.query<{ shopper_id: number }>(
    `WITH latest AS (${LATEST_CHANGE}),
     due AS (
       SELECT b.id FROM shoppers b JOIN latest l ON l.shopper_id = b.id
       WHERE b.shop_id = $1 AND b.referral_identity = 'agent' AND l.reason = 'inactive_team'
         AND ${TEAM_AGENT_BOUGHT('l.changed_at')}
     ),
     moved AS (
       UPDATE shoppers s SET referral_identity = 'boss' FROM due
       WHERE s.shop_id = $1 AND s.id = due.id AND s.referral_identity = 'agent' RETURNING s.id)
     INSERT INTO referral_identity_changes (shop_id, shopper_id, from_identity, to_identity, reason, policy_version, changed_at)
     SELECT $1, id, 'agent', 'boss', 'team_active_again', $4, $2 FROM moved ORDER BY id
     RETURNING shopper_id`,
    [shopId, now, PAID_STATUSES, version],
  );

  const demoted = await db.query<{ shopper_id: number }>(
    `WITH latest AS (${LATEST_CHANGE}),
     since AS (SELECT $2::timestamptz - make_interval(days => $5) AS at),
     idle AS (
       SELECT b.id FROM shoppers b CROSS JOIN since LEFT JOIN latest l ON l.shopper_id = b.id
       WHERE b.shop_id = $1 AND b.referral_identity = 'boss'
         AND (l.changed_at IS NULL OR l.changed_at <= since.at)
         AND EXISTS (SELECT 1 FROM shoppers a WHERE a.shop_id = $1 AND a.referrer_id = b.id AND a.referral_identity = 'agent')
         AND NOT ${TEAM_AGENT_BOUGHT('since.at')}
         AND NOT EXISTS (SELECT 1 FROM referral_help h JOIN orders o ON o.shop_id = h.shop_id AND o.id = h.order_id
                         WHERE h.shop_id = $1 AND h.boss_id = b.id AND o.status = ANY($3)
                           AND o.paid_at > since.at AND o.paid_at <= $2)
     ),
     moved AS (
       UPDATE shoppers s SET referral_identity = 'agent' FROM idle
       WHERE s.shop_id = $1 AND s.id = idle.id AND s.referral_identity = 'boss' RETURNING s.id)
     INSERT INTO referral_identity_changes (shop_id, shopper_id, from_identity, to_identity, reason, policy_version, changed_at)
     SELECT $1, id, 'boss', 'agent', 'inactive_team', $4, $2 FROM moved ORDER BY id
     RETURNING shopper_id`,
    [shopId, now, PAID_STATUSES, version, days],
  );

  return { demoted: demoted.rows.map((r) => r.shopper_id), repromoted: back.rows.map((r) => r.shopper_id) };
}
