// Who gets what for one paid order (docs/domain.md §4.2 Rewards) — pure, so the rules can be read,
// unit-tested and property-tested without a database.
//
// Legal guard rail by construction: the input holds the buyer's referrer and that referrer's referrer
// and nobody further up, so no rule here can pay a third level. The ledger's CHECK (level IN (1, 2))
// guards the same line in the database.
//
// Readings where the article leaves room (docs/domain.md §4.2 Rewards), each documented once, here:
// - Team (团队): a boss's team is the shoppers the boss referred personally plus the shoppers brought in
//   by the agents the boss referred, ending at the next boss. So the team reward goes to the buyer's
//   referrer when that referrer is a boss (level 1), else to the referrer's referrer when the referrer is
//   an agent and the referrer's referrer a boss (level 2). Counting the boss's own referrals is what
//   lets the peer reward exist within two levels at all.
// - Peer (平级奖): 20 % of the level-1 boss's team reward on this order, to the boss who referred that
//   boss (level 2). A level-2 team reward earns no peer reward: its beneficiary would be a third level.
// - 老铁 lifetime (终身团队奖 3 %, docs/domain.md §4.2 Rewards): a referrer whose tier is 老铁 keeps 3 % of
//   every paid order of the shoppers they referred directly, whatever their 链动 identity (even a
//   member, even a boss demoted by the activity rule): "lifetime" = it never lapses. It comes on top of
//   the direct reward.
// - Agent trial (代理体验权, docs/domain.md §4.3 Agent trial): the trial holder gets the one-time trial
//   reward when a shopper they referred pays their first order within the trial window; it pays on top
//   of other rewards.
// - Help (帮扶奖): a fixed amount to the buyer's referrer when that referrer is a boss and recorded a
//   help for this order (see help.ts); the helped agent is the buyer.
// - Rewards use identities as they were before this order's own promotions: the order that makes a
//   referrer a boss is paid at the agent's rates; the next one at the boss's.
import type { ReferralIdentity, Tier } from '../../context.ts';
import type { ReferralPolicy } from './policy.ts';

export const REWARD_KINDS = ['direct', 'team', 'peer', 'help', 'laotie_lifetime', 'trial'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];
export type RewardLevel = 1 | 2;

export interface UplineMember {
  id: number;
  identity: ReferralIdentity;
  tier: Tier;
}

/** The buyer's referrer (level 1) and the referrer's referrer (level 2): all the engine ever sees. */
export interface Upline {
  referrer: UplineMember;
  referrerOfReferrer: UplineMember | null;
}

/** The level-1 referrer's agent trial, if they ever started one. */
export interface AgentTrial {
  startedAt: Date;
  endsAt: Date;
  /** The order that already earned the trial reward (it pays once). */
  rewardedOrderId: number | null;
}

export interface PaidOrderFacts {
  orderId: number;
  payFen: number;
  paidAt: Date;
  upline: Upline | null;
  /** The boss recorded as having helped this order (帮扶), if any. */
  helpedByBossId: number | null;
  referrerTrial: AgentTrial | null;
  /** No earlier order of the buyer was ever paid. */
  buyersFirstPaidOrder: boolean;
}

export interface RewardLine {
  beneficiaryId: number;
  kind: RewardKind;
  level: RewardLevel;
  amountFen: number;
}

/** rateBps of amountFen, rounded down to the fen (docs/domain.md §4.2 Rewards). Exact for any size. */
export function shareOf(amountFen: number, rateBps: number): number {
  return Number((BigInt(amountFen) * BigInt(rateBps)) / 10_000n);
}

export function isBoostedTier(tier: Tier, policy: ReferralPolicy): boolean {
  return policy.boostedTiers.includes(tier);
}

export function teamRateBps(boss: UplineMember, policy: ReferralPolicy): number {
  return isBoostedTier(boss.tier, policy) ? policy.teamRateBpsCore : policy.teamRateBps;
}

/** Whether this order earns the level-1 referrer's trial reward. */
export function earnsTrialReward(facts: PaidOrderFacts): boolean {
  const t = facts.referrerTrial;
  if (!t || !facts.buyersFirstPaidOrder) return false;
  if (t.rewardedOrderId !== null && t.rewardedOrderId !== facts.orderId) return false;
  const at = facts.paidAt.getTime();
  return at >= t.startedAt.getTime() && at < t.endsAt.getTime();
}

/** The rewards one paid order earns; lines of zero fen are left out. */
export function computeOrderRewards(facts: PaidOrderFacts, policy: ReferralPolicy): RewardLine[] {
  if (!facts.upline) return [];
  const { referrer, referrerOfReferrer } = facts.upline;
  const pay = facts.payFen;
  const lines: RewardLine[] = [];
  const add = (who: UplineMember, kind: RewardKind, level: RewardLevel, amountFen: number) => {
    if (amountFen > 0) lines.push({ beneficiaryId: who.id, kind, level, amountFen });
  };

  if (referrer.identity !== 'member') add(referrer, 'direct', 1, shareOf(pay, policy.directRateBps));

  if (referrer.identity === 'boss') {
    const team = shareOf(pay, teamRateBps(referrer, policy));
    add(referrer, 'team', 1, team);
    if (referrerOfReferrer?.identity === 'boss') add(referrerOfReferrer, 'peer', 2, shareOf(team, policy.peerRateBps));
  } else if (referrer.identity === 'agent' && referrerOfReferrer?.identity === 'boss') {
    add(referrerOfReferrer, 'team', 2, shareOf(pay, teamRateBps(referrerOfReferrer, policy)));
  }

  if (facts.helpedByBossId === referrer.id && referrer.identity === 'boss') add(referrer, 'help', 1, policy.helpRewardFen);
  if (referrer.tier === 'laotie') add(referrer, 'laotie_lifetime', 1, shareOf(pay, policy.laotieLifetimeRateBps));
  if (earnsTrialReward(facts)) add(referrer, 'trial', 1, policy.trialRewardFen);
  return lines;
}

/** The ledger key of a credit: a replay of the same order computes the same key and inserts nothing. */
export function creditKey(orderId: number, beneficiaryId: number, kind: RewardKind): string {
  return `${orderId}:${beneficiaryId}:${kind}`;
}

export function reversalKey(creditEntryKey: string): string {
  return `${creditEntryKey}:reversal`;
}
