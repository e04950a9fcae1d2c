import type { ShopperCaller, ShopperIdentity, Tier, ReferralIdentity } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';

/** The shopper a token names, with the tier as stored now; null when unknown in that shop or erased. */
export async function resolveShopperCaller(db: Queryable, who: Pick<ShopperIdentity, 'shopId' | 'shopperId'>): Promise<ShopperCaller | null> {
  const { rows } = await db.query<{ id: number; tier: Tier; referral_identity: ReferralIdentity }>(
    'SELECT id, tier, referral_identity FROM shoppers WHERE shop_id = $1 AND id = $2 AND erased_at IS NULL',
    [who.shopId, who.shopperId],
  );
  const r = rows[0];
  if (!r) return null;
  return { role: 'shopper', shopId: who.shopId, shopperId: r.id, tier: r.tier, referralIdentity: r.referral_identity };
}

export interface ShopperProfile {
  id: number;
  nickname: string;
  tier: Tier;
  referralIdentity: ReferralIdentity;
  skinType: string | null;
  profileSummary: string;
}

export interface ShopperProfileRow {
  id: number;
  nickname: string;
  tier: Tier;
  referral_identity: ReferralIdentity;
  skin_type: string | null;
  profile_summary: string;
}

/** The statement reading a (not erased) shopper's profile, with the given shop and id parameters. */
export function shopperProfileSql(shopParam: string, idParam: string): string {
  return `SELECT id, nickname, tier, referral_identity, skin_type, profile_summary FROM shoppers
           WHERE shop_id = ${shopParam} AND id = ${idParam} AND erased_at IS NULL`;
}

export function toShopperProfile(r: ShopperProfileRow): ShopperProfile {
  return { id: Number(r.id), nickname: r.nickname, tier: r.tier, referralIdentity: r.referral_identity, skinType: r.skin_type, profileSummary: r.profile_summary };
}

export async function getShopperProfile(db: Queryable, shopId: string, shopperId: number): Promise<ShopperProfile | null> {
  const { rows } = await db.query<ShopperProfileRow>(shopperProfileSql('$1', '$2'), [shopId, shopperId]);
  return rows[0] ? toShopperProfile(rows[0]) : null;
}
