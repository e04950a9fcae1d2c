// A shopper's 链动 status as the card tells it (the getReferralStatus tool): identity, how far to boss,
// the team, the money in each state, and this month's 裂变之星 place.
import type { ReferralIdentity, Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';
import { bossThreshold } from './identity.ts';
import { rewardTotals, type RewardTotals } from './ledger.ts';
import { getReferralPolicy } from './policy.ts';
import { rankReferrers, shopMonth } from './ranking.ts';
import { findAgentTrial } from './trial.ts';

export interface ReferralStatus {
  shopperId: number;
  identity: ReferralIdentity;
  tier: Tier;
  directReferrals: { count: number; agents: number };
  /** Directly referred agents a boss needs (2; 1 for core/老铁). */
  bossThreshold: number;
  /** How many more agent referrals make boss; 0 for a boss. */
  agentsNeededForBoss: number;
  /** A member must first buy an activation product to become an agent. */
  needsActivationPurchase: boolean;
  /** Direct referrals plus the shoppers their agents brought in (the team, docs/domain.md §4.2 Rewards). */
  teamSize: number;
  rewards: RewardTotals;
  month: string;
  /** Place in this month's ranking among referrers with a new buyer; null without one. */
  monthRank: number | null;
  referredBuyersThisMonth: number;
  /** Within the 裂变之星 places. */
  isReferralStar: boolean;
  trial: { startedAt: Date; endsAt: Date; active: boolean; rewarded: boolean } | null;
}

export async function referralStatus(db: Queryable, shopId: string, shopperId: number, now: Date): Promise<ReferralStatus> {
  const { rows } = await db.query<{ identity: ReferralIdentity; tier: Tier; direct: number; agents: number; second: number }>(
    `SELECT s.referral_identity AS identity, s.tier,
       (SELECT count(*) FROM shoppers r WHERE r.shop_id = s.shop_id AND r.referrer_id = s.id) AS direct,
       (SELECT count(*) FROM shoppers r
        WHERE r.shop_id = s.shop_id AND r.referrer_id = s.id AND r.referral_identity IN ('agent', 'boss')) AS agents,
       (SELECT count(*) FROM shoppers r JOIN shoppers g ON g.shop_id = r.shop_id AND g.referrer_id = r.id
        WHERE r.shop_id = s.shop_id AND r.referrer_id = s.id AND r.referral_identity = 'agent') AS second
     FROM shoppers s WHERE s.shop_id = $1 AND s.id = $2`,
    [shopId, shopperId],
  );
  const s = rows[0];
  if (!s) throw new NotFound('shopper');
  const { policy } = await getReferralPolicy(db, shopId);
  const threshold = bossThreshold(s.tier, policy);
  const month = await shopMonth(db, shopId, now);
  const mine = (await rankReferrers(db, shopId, month, null)).find((e) => e.shopperId === shopperId);
  const trial = await findAgentTrial(db, shopId, shopperId);
  return {
    shopperId,
    identity: s.identity,
    tier: s.tier,
    directReferrals: { count: s.direct, agents: s.agents },
    bossThreshold: threshold,
    agentsNeededForBoss: s.identity === 'boss' ? 0 : Math.max(0, threshold - s.agents),
    needsActivationPurchase: s.identity === 'member',
    teamSize: s.direct + s.second,
    rewards: await rewardTotals(db, shopId, shopperId),
    month,
    monthRank: mine?.rank ?? null,
    referredBuyersThisMonth: mine?.referredBuyers ?? 0,
    isReferralStar: mine !== undefined && mine.rank <= policy.rankingSize,
    trial: trial && {
      startedAt: trial.startedAt,
      endsAt: trial.endsAt,
      active: now >= trial.startedAt && now < trial.endsAt && trial.rewardedOrderId === null,
      rewarded: trial.rewardedOrderId !== null,
    },
  };
}
