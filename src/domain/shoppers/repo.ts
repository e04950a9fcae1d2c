import type { ShopperCaller, Tier, ReferralIdentity } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';

/** The shopper behind a verified token, with the tier as stored now; null when unknown in that shop or erased. */
export async function resolveShopperCaller(db: Queryable, shopId: string, userId: string): Promise<ShopperCaller | null> {
  if (!/^\d{1,15}$/.test(userId)) return null;
  const { rows } = await db.query<{ id: number; tier: Tier; referral_identity: ReferralIdentity }>(
    'SELECT id, tier, referral_identity FROM shoppers WHERE shop_id = $1 AND id = $2 AND erased_at IS NULL',
    [shopId, Number(userId)],
  );
  const r = rows[0];
  if (!r) return null;
  return { shopId, shopperId: r.id, tier: r.tier, referralIdentity: r.referral_identity };
}

export interface ShopperProfile {
  id: number;
  nickname: string;
  tier: Tier;
  referralIdentity: ReferralIdentity;
  skinType: string | null;
  profileSummary: string;
}

export async function getShopperProfile(db: Queryable, shopId: string, shopperId: number): Promise<ShopperProfile | null> {
  const { rows } = await db.query<{
    id: number;
    nickname: string;
    tier: Tier;
    referral_identity: ReferralIdentity;
    skin_type: string | null;
    profile_summary: string;
  }>(
    'SELECT id, nickname, tier, referral_identity, skin_type, profile_summary FROM shoppers WHERE shop_id = $1 AND id = $2 AND erased_at IS NULL',
    [shopId, shopperId],
  );
  const r = rows[0];
  return r
    ? { id: r.id, nickname: r.nickname, tier: r.tier, referralIdentity: r.referral_identity, skinType: r.skin_type, profileSummary: r.profile_summary }
    : null;
}
