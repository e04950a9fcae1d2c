// The 链动2+1 policy: every rate and amount of docs/domain.md §4.8 Policy defaults (core/老铁 perks included) as
// a shop-configurable default, versioned per shop. There is deliberately no setting for how many levels
// rewards reach: two is fixed by law (docs/domain.md §4.6 Legal guard) and by the shape of rewards.ts.
import { z } from 'zod';
import { TIERS } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { Conflict, Invalid } from '../../errors.ts';

/** Basis points: 100 bps = 1 %. Integer rates keep the arithmetic in integer fen. */
const bps = (fallback: number) => z.number().int().min(0).max(10_000).default(fallback);
const fen = (fallback: number) => z.number().int().min(0).max(100_000_000).default(fallback);
const count = (fallback: number, max: number) => z.number().int().min(1).max(max).default(fallback);

export const referralPolicySchema = z.object({
  /** 直推奖: share of the order's pay_fen for the direct referrer, if agent or boss (10 %). */
  directRateBps: bps(1000),
  /** 团队奖: share for the boss whose team placed the order (5 %). */
  teamRateBps: bps(500),
  /**
   * 团队奖 of bosses in a boosted tier (the article's "team reward +15 %", case 5 % → 7 %). The case's absolute
   * 7 % is the default rather than 5 % × 1.15 = 5.75 %: the case is what merchants quote.
   */
  teamRateBpsCore: bps(700),
  /** Tiers with the boosted team rate and the accelerated boss threshold (core and 老铁). */
  boostedTiers: z.array(z.enum(TIERS)).default(['core', 'laotie']),
  /** 平级奖: share of a referred boss's team reward for the boss who referred them (20 %). */
  peerRateBps: bps(2000),
  /** 帮扶奖 per helped order (50 yuan). */
  helpRewardFen: fen(5000),
  /** 老铁 lifetime reward on the orders of their direct referrals (3 %; see rewards.ts). */
  laotieLifetimeRateBps: bps(300),
  /** agent → boss: directly referred shoppers who became agents (2). */
  bossAgentReferrals: count(2, 100),
  /** The same for boosted tiers (1: the article's "1 referral makes boss"). */
  bossAgentReferralsCore: count(1, 100),
  /** 代理体验权 (docs/domain.md §4.3 Agent trial): its length, one-time cash reward, who may start one. */
  trialDays: count(15, 365),
  trialRewardFen: fen(2000),
  trialTiers: z.array(z.enum(TIERS)).default(['potential']),
  /**
   * Activity rule (docs/domain.md §4.4 Help and the activity rule): days without a purchase by the
   * team's agents before a boss is demoted.
   */
  inactiveDays: count(30, 365),
  /** 裂变之星 (docs/domain.md §4.7 Referral star): places in the monthly ranking. */
  rankingSize: count(3, 100),
});

export type ReferralPolicy = z.infer<typeof referralPolicySchema>;

export interface VersionedPolicy {
  /** 0 = the built-in defaults (no version stored yet). */
  version: number;
  policy: ReferralPolicy;
}

export const DEFAULT_REFERRAL_POLICY: ReferralPolicy = referralPolicySchema.parse({});

/** The shop's latest policy, or the defaults as version 0. */
export async function getReferralPolicy(db: Queryable, shopId: string): Promise<VersionedPolicy> {
  const { rows } = await db.query<{ version: number; policy: unknown }>(
    'SELECT version, policy FROM referral_policies WHERE shop_id = $1 ORDER BY version DESC LIMIT 1',
    [shopId],
  );
  const r = rows[0];
  // Parsing a stored version again fills keys added to the schema after it was written.
  return r ? { version: r.version, policy: referralPolicySchema.parse(r.policy) } : { version: 0, policy: DEFAULT_REFERRAL_POLICY };
}

/**
 * Validates a whole policy (missing keys take the defaults, not the previous version's values) and
 * stores it as the next version.
 */
export async function putReferralPolicy(db: Queryable, shopId: string, input: unknown): Promise<VersionedPolicy> {
  const parsed = referralPolicySchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new Invalid('invalid referral policy', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  try {
    const { rows } = await db.query<{ version: number }>(
      `INSERT INTO referral_policies (shop_id, version, policy)
       SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb FROM referral_policies WHERE shop_id = $1
       RETURNING version`,
      [shopId, JSON.stringify(parsed.data)],
    );
    return { version: rows[0]!.version, policy: parsed.data };
  } catch (e) {
    // Two writers raced for the same version number: the loser retries with fresh eyes.
    if ((e as { code?: string }).code === '23505') throw new Conflict('referral policy changed concurrently; retry');
    throw e;
  }
}
