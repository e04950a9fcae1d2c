// 代理体验权 (docs/domain.md §4.3 Agent trial): a potential shopper may try being an agent for 15 days
// without the activation purchase; the first new buyer they bring in within the trial earns them a
// one-time cash reward (20 yuan). The reward itself is priced with the order (rewards.ts).
import type { ReferralIdentity, Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { getReferralPolicy } from './policy.ts';
import type { AgentTrial } from './rewards.ts';

const DAY_MS = 86_400_000;

/** Starts the shopper's trial: once per shopper, for members of the policy's trial tiers. */
export async function startAgentTrial(tx: Queryable, shopId: string, shopperId: number, now: Date): Promise<AgentTrial> {
  const { version, policy } = await getReferralPolicy(tx, shopId);
  const { rows } = await tx.query<{ tier: Tier; identity: ReferralIdentity }>(
    'SELECT tier, referral_identity AS identity FROM shoppers WHERE shop_id = $1 AND id = $2',
    [shopId, shopperId],
  );
  const s = rows[0];
  if (!s) throw new NotFound('shopper');
  if (s.identity !== 'member') throw new Invalid('already an agent: no trial needed');
  if (!policy.trialTiers.includes(s.tier)) throw new Invalid(`the agent trial is for ${policy.trialTiers.join('/')} shoppers`);
  const endsAt = new Date(now.getTime() + policy.trialDays * DAY_MS);
  const inserted = await tx.query(
    `INSERT INTO referral_trials (shop_id, shopper_id, started_at, ends_at, policy_version) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (shop_id, shopper_id) DO NOTHING`,
    [shopId, shopperId, now, endsAt, version],
  );
  if (inserted.rowCount === 0) throw new Conflict('the agent trial can be used once');
  return { startedAt: now, endsAt, rewardedOrderId: null };
}

/** The shopper's trial, if they ever started one. */
export async function findAgentTrial(db: Queryable, shopId: string, shopperId: number): Promise<AgentTrial | null> {
  const { rows } = await db.query<{ started_at: Date; ends_at: Date; rewarded_order_id: number | null }>(
    'SELECT started_at, ends_at, rewarded_order_id FROM referral_trials WHERE shop_id = $1 AND shopper_id = $2',
    [shopId, shopperId],
  );
  const r = rows[0];
  return r ? { startedAt: r.started_at, endsAt: r.ends_at, rewardedOrderId: r.rewarded_order_id } : null;
}
