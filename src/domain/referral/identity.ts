// 链动2+1 identities (docs/domain.md §4 Referral): member → agent (bought an activation product) → boss (enough
// directly referred agents). Every change is written to referral_identity_changes with its reason.
import type { ReferralIdentity, Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import type { ReferralPolicy, VersionedPolicy } from './policy.ts';
import { isBoostedTier } from './rewards.ts';

export type IdentityChangeReason =
  | 'activation_purchase' // member → agent
  | 'agent_referrals_reached' // agent → boss
  | 'activation_refunded' // agent → member: the only activation purchase was refunded
  | 'inactive_team' // boss → agent: activity rule
  | 'team_active_again'; // agent → boss: activity rule lifted

export interface IdentityChange {
  shopperId: number;
  from: ReferralIdentity;
  to: ReferralIdentity;
  reason: IdentityChangeReason;
  orderId: number | null;
}

/** Directly referred agents needed to become boss: 2, or 1 for the boosted tiers (core, 老铁). */
export function bossThreshold(tier: Tier, policy: ReferralPolicy): number {
  return isBoostedTier(tier, policy) ? policy.bossAgentReferralsCore : policy.bossAgentReferrals;
}

export function becomesAgent(identity: ReferralIdentity, orderHasActivationProduct: boolean): boolean {
  return identity === 'member' && orderHasActivationProduct;
}

/** A referral counts once it became an agent, including one who went on to be a boss. */
export function becomesBoss(identity: ReferralIdentity, agentReferrals: number, tier: Tier, policy: ReferralPolicy): boolean {
  return identity === 'agent' && agentReferrals >= bossThreshold(tier, policy);
}

/**
 * Moves a shopper from one identity to another and records why. Conditional on the current identity,
 * so a replay or a concurrent writer changes and records nothing; returns whether it changed.
 */
export async function changeIdentity(
  tx: Queryable,
  shopId: string,
  change: IdentityChange,
  policyVersion: number,
  at: Date,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `WITH moved AS (
       UPDATE shoppers SET referral_identity = $4
       WHERE shop_id = $1 AND id = $2 AND referral_identity = $3
       RETURNING id)
     INSERT INTO referral_identity_changes
       (shop_id, shopper_id, from_identity, to_identity, reason, policy_version, order_id, changed_at)
     SELECT $1, id, $3, $4, $5, $6, $7, $8 FROM moved`,
    [shopId, change.shopperId, change.from, change.to, change.reason, policyVersion, change.orderId, at],
  );
  return rowCount > 0;
}

/** Promotes a shopper to boss when enough of their direct referrals are agents; returns the change. */
export async function promoteToBossIfDue(
  tx: Queryable,
  shopId: string,
  shopperId: number,
  { version, policy }: VersionedPolicy,
  orderId: number | null,
  at: Date,
): Promise<IdentityChange | null> {
  // Locking the shopper first makes two concurrent agent promotions below them count each other.
  const { rows } = await tx.query<{ identity: ReferralIdentity; tier: Tier; agents: number }>(
    `SELECT s.referral_identity AS identity, s.tier,
       (SELECT count(*) FROM shoppers r
        WHERE r.shop_id = s.shop_id AND r.referrer_id = s.id AND r.referral_identity IN ('agent', 'boss')) AS agents
     FROM shoppers s WHERE s.shop_id = $1 AND s.id = $2 FOR NO KEY UPDATE`,
    [shopId, shopperId],
  );
  const s = rows[0];
  if (!s || !becomesBoss(s.identity, s.agents, s.tier, policy)) return null;
  const change: IdentityChange = { shopperId, from: 'agent', to: 'boss', reason: 'agent_referrals_reached', orderId };
  return (await changeIdentity(tx, shopId, change, version, at)) ? change : null;
}

/**
 * The promotions a paid order causes: the buyer becomes an agent if the order carries an activation
 * product; then the buyer and the buyer's referrer are checked for boss, as only a new agent changes
 * anyone's count. Rewards for the order were computed before this runs.
 */
export async function promoteAfterPaidOrder(
  tx: Queryable,
  shopId: string,
  order: { id: number; buyerId: number; buyerIdentity: ReferralIdentity; referrerId: number | null; hasActivationProduct: boolean },
  policy: VersionedPolicy,
  at: Date,
): Promise<IdentityChange[]> {
  if (!becomesAgent(order.buyerIdentity, order.hasActivationProduct)) return [];
  const toAgent: IdentityChange = { shopperId: order.buyerId, from: 'member', to: 'agent', reason: 'activation_purchase', orderId: order.id };
  if (!(await changeIdentity(tx, shopId, toAgent, policy.version, at))) return [];
  const changes = [toAgent];
  for (const candidate of [order.buyerId, order.referrerId]) {
    if (candidate === null) continue;
    const boss = await promoteToBossIfDue(tx, shopId, candidate, policy, order.id, at);
    if (boss) changes.push(boss);
  }
  return changes;
}

/** The recorded identity history of a shopper, oldest first. */
export async function identityHistory(db: Queryable, shopId: string, shopperId: number) {
  const { rows } = await db.query<{
    from_identity: ReferralIdentity;
    to_identity: ReferralIdentity;
    reason: IdentityChangeReason;
    policy_version: number;
    order_id: number | null;
    changed_at: Date;
  }>(
    `SELECT from_identity, to_identity, reason, policy_version, order_id, changed_at
     FROM referral_identity_changes WHERE shop_id = $1 AND shopper_id = $2 ORDER BY changed_at, id`,
    [shopId, shopperId],
  );
  return rows.map((r) => ({
    from: r.from_identity,
    to: r.to_identity,
    reason: r.reason,
    policyVersion: r.policy_version,
    orderId: r.order_id,
    changedAt: r.changed_at,
  }));
}

/**
 * Locks the buyer and the two referrers above them, lowest id first. Paying or refunding an order
 * writes exactly these rows (promotions, tags, tiers); taking them in one global order before
 * anything else keeps concurrent orders of one referral tree from deadlocking each other.
 */
export async function lockReferralChain(tx: Queryable, shopId: string, buyerId: number): Promise<void> {
  await tx.query(
    `SELECT s.id FROM shoppers s
      WHERE s.shop_id = $1 AND s.id IN (
              SELECT b.id FROM shoppers b WHERE b.shop_id = $1 AND b.id = $2
              UNION SELECT b.referrer_id FROM shoppers b WHERE b.shop_id = $1 AND b.id = $2
              UNION SELECT r.referrer_id FROM shoppers b JOIN shoppers r ON r.shop_id = b.shop_id AND r.id = b.referrer_id
                     WHERE b.shop_id = $1 AND b.id = $2)
      ORDER BY s.id FOR NO KEY UPDATE`,
    [shopId, buyerId],
  );
}
