import { describe, expect, it } from 'vitest';
import type { ReferralIdentity, Tier } from '../../src/context.ts';
import { becomesAgent, becomesBoss, bossThreshold } from '../../src/domain/referral/identity.ts';
import { DEFAULT_REFERRAL_POLICY, referralPolicySchema } from '../../src/domain/referral/policy.ts';
import { computeOrderRewards, creditKey, reversalKey, shareOf, type PaidOrderFacts } from '../../src/domain/referral/rewards.ts';

const policy = DEFAULT_REFERRAL_POLICY;
const PAID_AT = new Date('2026-03-10T02:00:00Z');
const party = (id: number, identity: ReferralIdentity, tier: Tier = 'converted') => ({ id, identity, tier });

function order(payFen: number, upline: PaidOrderFacts['upline'], more: Partial<PaidOrderFacts> = {}): PaidOrderFacts {
  return { orderId: 1, payFen, paidAt: PAID_AT, upline, helpedByBossId: null, referrerTrial: null, buyersFirstPaidOrder: false, ...more };
}

describe('the referral policy', () => {
  it('defaults to the numbers of docs/domain.md §4.8 Policy defaults', () => {
    expect(policy).toMatchObject({
      directRateBps: 1000,
      teamRateBps: 500,
      teamRateBpsCore: 700,
      boostedTiers: ['core', 'laotie'],
      peerRateBps: 2000,
      helpRewardFen: 5000,
      laotieLifetimeRateBps: 300,
      bossAgentReferrals: 2,
      bossAgentReferralsCore: 1,
      trialDays: 15,
      trialRewardFen: 2000,
      trialTiers: ['potential'],
      inactiveDays: 30,
      rankingSize: 3,
    });
  });

  it('refuses rates over 100 %, fractions of a fen and unknown tiers', () => {
    expect(referralPolicySchema.safeParse({ directRateBps: 10_001 }).success).toBe(false);
    expect(referralPolicySchema.safeParse({ helpRewardFen: 12.5 }).success).toBe(false);
    expect(referralPolicySchema.safeParse({ boostedTiers: ['vip'] }).success).toBe(false);
  });
});

describe('shares of an amount', () => {
  it('round down to the fen', () => {
    expect(shareOf(12_345, 1000)).toBe(1234); // 1234.5
    expect(shareOf(9_999, 500)).toBe(499); // 499.95
    expect(shareOf(19, 1000)).toBe(1);
    expect(shareOf(9, 1000)).toBe(0);
  });

  it('stay exact where amount × rate passes 2^53', () => {
    expect(shareOf(9_007_199_254_740, 3333)).toBe(3_002_099_511_604); // 3 002 099 511 604.842
  });
});

describe('the rewards of one paid order', () => {
  it('pay an agent referrer the direct reward only (10 %)', () => {
    expect(computeOrderRewards(order(12_345, { referrer: party(10, 'agent'), referrerOfReferrer: null }), policy)).toEqual([
      { beneficiaryId: 10, kind: 'direct', level: 1, amountFen: 1234 },
    ]);
  });

  it('pay a member referrer nothing', () => {
    expect(computeOrderRewards(order(50_000, { referrer: party(10, 'member'), referrerOfReferrer: party(11, 'boss') }), policy)).toEqual([]);
  });

  it('pay the boss above an agent the team reward (5 %), boosted to 7 % for core and 老铁 bosses', () => {
    const upline = (tier: Tier) => ({ referrer: party(10, 'agent'), referrerOfReferrer: party(11, 'boss', tier) });
    expect(computeOrderRewards(order(10_001, upline('potential')), policy)).toEqual([
      { beneficiaryId: 10, kind: 'direct', level: 1, amountFen: 1000 },
      { beneficiaryId: 11, kind: 'team', level: 2, amountFen: 500 },
    ]);
    expect(computeOrderRewards(order(10_001, upline('core')), policy)[1]).toEqual({ beneficiaryId: 11, kind: 'team', level: 2, amountFen: 700 });
  });

  it('pay a boss referrer direct + team, and the boss who referred that boss 20 % of the team reward (平级奖)', () => {
    const lines = computeOrderRewards(order(9_999, { referrer: party(10, 'boss'), referrerOfReferrer: party(11, 'boss') }), policy);
    expect(lines).toEqual([
      { beneficiaryId: 10, kind: 'direct', level: 1, amountFen: 999 },
      { beneficiaryId: 10, kind: 'team', level: 1, amountFen: 499 },
      { beneficiaryId: 11, kind: 'peer', level: 2, amountFen: 99 }, // 20 % of 499 = 99.8
    ]);
  });

  it('pay no peer reward to an agent above a boss', () => {
    const lines = computeOrderRewards(order(10_000, { referrer: party(10, 'boss'), referrerOfReferrer: party(11, 'agent') }), policy);
    expect(lines.map((l) => l.kind)).toEqual(['direct', 'team']);
  });

  it('pay the help reward to the boss who helped this order, and only to them', () => {
    const upline = { referrer: party(10, 'boss'), referrerOfReferrer: null };
    expect(computeOrderRewards(order(100, upline, { helpedByBossId: 10 }), policy)).toContainEqual({ beneficiaryId: 10, kind: 'help', level: 1, amountFen: 5000 });
    expect(computeOrderRewards(order(100, upline, { helpedByBossId: 99 }), policy).map((l) => l.kind)).not.toContain('help');
    const demoted = { referrer: party(10, 'agent'), referrerOfReferrer: null };
    expect(computeOrderRewards(order(100, demoted, { helpedByBossId: 10 }), policy).map((l) => l.kind)).not.toContain('help');
  });

  it('pay a 老铁 referrer 3 % for life, whatever their 链动 identity, on top of the direct reward', () => {
    expect(computeOrderRewards(order(3_333, { referrer: party(10, 'member', 'laotie'), referrerOfReferrer: null }), policy)).toEqual([
      { beneficiaryId: 10, kind: 'laotie_lifetime', level: 1, amountFen: 99 },
    ]);
    const boss = computeOrderRewards(order(10_000, { referrer: party(10, 'boss', 'laotie'), referrerOfReferrer: null }), policy);
    expect(boss).toEqual([
      { beneficiaryId: 10, kind: 'direct', level: 1, amountFen: 1000 },
      { beneficiaryId: 10, kind: 'team', level: 1, amountFen: 700 },
      { beneficiaryId: 10, kind: 'laotie_lifetime', level: 1, amountFen: 300 },
    ]);
  });

  it('pay the trial reward once, for a first paid order inside the trial window', () => {
    const trial = { startedAt: new Date('2026-03-01T00:00:00Z'), endsAt: new Date('2026-03-16T00:00:00Z'), rewardedOrderId: null };
    const upline = { referrer: party(10, 'member', 'potential'), referrerOfReferrer: null };
    const facts = order(100, upline, { referrerTrial: trial, buyersFirstPaidOrder: true });
    expect(computeOrderRewards(facts, policy)).toEqual([{ beneficiaryId: 10, kind: 'trial', level: 1, amountFen: 2000 }]);
    expect(computeOrderRewards({ ...facts, buyersFirstPaidOrder: false }, policy)).toEqual([]);
    expect(computeOrderRewards({ ...facts, paidAt: trial.endsAt }, policy)).toEqual([]);
    expect(computeOrderRewards({ ...facts, referrerTrial: { ...trial, rewardedOrderId: 7 } }, policy)).toEqual([]);
    expect(computeOrderRewards({ ...facts, referrerTrial: { ...trial, rewardedOrderId: 1 } }, policy)).toHaveLength(1);
  });

  it('pay nothing to anybody for a buyer nobody referred', () => {
    expect(computeOrderRewards(order(99_999, null), policy)).toEqual([]);
  });

  it('follow the shop’s policy', () => {
    const custom = referralPolicySchema.parse({ directRateBps: 1500, teamRateBps: 800, peerRateBps: 5000 });
    const lines = computeOrderRewards(order(10_000, { referrer: party(10, 'boss'), referrerOfReferrer: party(11, 'boss') }), custom);
    expect(lines.map((l) => l.amountFen)).toEqual([1500, 800, 400]);
  });
});

describe('identity rules', () => {
  it('make a member an agent only with an activation product', () => {
    expect(becomesAgent('member', true)).toBe(true);
    expect(becomesAgent('member', false)).toBe(false);
    expect(becomesAgent('boss', true)).toBe(false);
  });

  it('make an agent a boss at 2 agent referrals, or 1 for core and 老铁', () => {
    expect(bossThreshold('converted', policy)).toBe(2);
    expect(bossThreshold('core', policy)).toBe(1);
    expect(bossThreshold('laotie', policy)).toBe(1);
    expect(becomesBoss('agent', 1, 'potential', policy)).toBe(false);
    expect(becomesBoss('agent', 2, 'potential', policy)).toBe(true);
    expect(becomesBoss('agent', 1, 'core', policy)).toBe(true);
    expect(becomesBoss('member', 5, 'core', policy)).toBe(false);
  });
});

describe('ledger keys', () => {
  it('name a credit by order, beneficiary and kind, and its claw-back after it', () => {
    expect(creditKey(5, 7, 'team')).toBe('5:7:team');
    expect(reversalKey(creditKey(5, 7, 'team'))).toBe('5:7:team:reversal');
  });
});
