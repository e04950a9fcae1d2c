// The shopper's live profile (docs/domain.md §2 Card, Profile): a short Chinese summary the
// agent and staff read, and a vector of summary + preference tags for "shoppers like this one".
import { createHash } from 'node:crypto';
import type { Tier } from '../../context.ts';
import { toVector, type Queryable } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { NotFound } from '../../errors.ts';
import { checkedDim, vectorType } from '../catalog/vectorIndex.ts';
import { TIER_LABELS } from './labels.ts';
import { pointsBalance } from '../points/ledger.ts';
import { maskPhone } from '../shoppers/mask.ts';
import type { PotentialScore } from './potential.ts';
import type { ShopperTags } from './tags.ts';
import { tierHistory, type TierChange } from './tiers.ts';

const SKIN_LABELS: Record<string, string> = {
  oily: '油性',
  dry: '干性',
  combination: '混合性',
  sensitive: '敏感性',
  normal: '中性',
};
const POTENTIAL_LABELS: Record<PotentialScore, string> = { high: '高', mid: '中', low: '低' };

export function skinLabel(skinType: string | null): string | null {
  if (!skinType) return null;
  return SKIN_LABELS[skinType] ?? skinType;
}

/** '肤质：油性；常购：面膜、口红；已下单3次，最近一次5天前；等级：核心用户' */
export function profileSummary(tier: Tier, potential: PotentialScore | null, tags: ShopperTags): string {
  const parts: string[] = [];
  const skin = skinLabel(tags.preference.skinType);
  if (skin) parts.push(`肤质：${skin}`);
  if (tags.preference.categories.length > 0) parts.push(`偏好：${tags.preference.categories.join('、')}`);
  const c = tags.consumption;
  if (c.orderCount === 0) parts.push('尚未下单');
  else {
    const recency = c.daysSinceLastPaid === 0 ? '今天' : `${c.daysSinceLastPaid}天前`;
    parts.push(`已下单${c.orderCount}次，最近一次${recency}`);
  }
  const level = potential && tier === 'converted' ? `${TIER_LABELS[tier]}（潜力${POTENTIAL_LABELS[potential]}）` : TIER_LABELS[tier];
  parts.push(`等级：${level}`);
  return parts.join('；');
}

export async function saveProfile(
  tx: Queryable,
  shopId: string,
  shopperId: number,
  summary: string,
  potential: PotentialScore | null,
): Promise<void> {
  await tx.query('UPDATE shoppers SET profile_summary = $3, potential_score = $4 WHERE shop_id = $1 AND id = $2', [
    shopId,
    shopperId,
    summary,
    potential,
  ]);
}

/** The text that is embedded: the summary plus the preference tags spelled out. */
export function profileText(summary: string, tags: Partial<ShopperTags>): string {
  const pref = tags.preference;
  const extra = [
    pref?.categories?.length ? `喜欢的品类 ${pref.categories.join(' ')}` : '',
    pref?.skinType ? `肤质 ${skinLabel(pref.skinType)}` : '',
  ].filter(Boolean);
  return [summary, ...extra].join('。');
}

/**
 * Re-embeds the shopper's profile when its text changed (hash of embedder + text), outside the event's
 * transaction: an embedder that is slow or down must never hold locks or reject an event.
 * Returns true when a vector was written.
 */
export async function refreshProfileEmbedding(
  db: Queryable,
  embedder: Embedder,
  shopId: string,
  shopperId: number,
  now: Date,
): Promise<boolean> {
  const { rows } = await db.query<{ profile_summary: string; tags: Partial<ShopperTags>; content_hash: string | null }>(
    `SELECT s.profile_summary, s.tags, e.content_hash FROM shoppers s
       LEFT JOIN shopper_profile_embeddings e ON e.shopper_id = s.id
      WHERE s.shop_id = $1 AND s.id = $2`,
    [shopId, shopperId],
  );
  const r = rows[0];
  if (!r || r.profile_summary === '') return false;
  const text = profileText(r.profile_summary, r.tags);
  const hash = createHash('sha256').update(`${embedder.id}\n${text}`).digest('hex');
  if (hash === r.content_hash) return false;
  const [vec] = await embedder.embed([text]);
  if (!vec) return false;
  await db.query(
    `INSERT INTO shopper_profile_embeddings (shopper_id, shop_id, embedder, dim, embedding, content_hash, updated_at)
     VALUES ($1, $2, $3, $4, $5::vector, $6, $7)
     ON CONFLICT (shopper_id) DO UPDATE SET embedder = excluded.embedder, dim = excluded.dim,
       embedding = excluded.embedding, content_hash = excluded.content_hash, updated_at = excluded.updated_at`,
    [shopperId, shopId, embedder.id, checkedDim(vec.length), toVector(vec), hash, now],
  );
  return true;
}

export interface SimilarShopper {
  shopperId: number;
  nickname: string;
  tier: Tier;
  similarity: number;
}

/**
 * The k shoppers of the shop whose profile vectors are closest to this shopper's (same embedder
 * and dimension only). The typed cast and `dim =` predicate match the partial HNSW index.
 */
export async function similarShoppers(db: Queryable, shopId: string, shopperId: number, k: number): Promise<SimilarShopper[]> {
  const { rows: target } = await db.query<{ embedder: string; dim: number; v: string }>(
    'SELECT embedder, dim, embedding::text AS v FROM shopper_profile_embeddings WHERE shop_id = $1 AND shopper_id = $2',
    [shopId, shopperId],
  );
  const t = target[0];
  if (!t) return [];
  const vt = vectorType(t.dim);
  const { rows } = await db.query<{ shopper_id: number; nickname: string; tier: Tier; distance: number }>(
    `SELECT e.shopper_id, s.nickname, s.tier, (e.embedding::${vt} <=> $3::${vt})::float8 AS distance
       FROM shopper_profile_embeddings e JOIN shoppers s ON s.id = e.shopper_id
      WHERE e.shop_id = $1 AND e.dim = ${checkedDim(t.dim)} AND e.embedder = $2 AND e.shopper_id <> $4
      ORDER BY e.embedding::${vt} <=> $3::${vt} LIMIT $5`,
    [shopId, t.embedder, t.v, shopperId, k],
  );
  return rows.map((r) => ({ shopperId: r.shopper_id, nickname: r.nickname, tier: r.tier, similarity: 1 - r.distance }));
}

export interface ShopperProfileView {
  id: number;
  nickname: string;
  phone: string | null;
  tier: Tier;
  tierLabel: string;
  potentialScore: PotentialScore | null;
  referralIdentity: string;
  summary: string;
  tags: Partial<ShopperTags>;
  pointsBalance: number;
  tierHistory: TierChange[];
  registeredAt: Date;
}

/** What staff see of one shopper of their shop; NotFound for a shopper of another shop. */
export async function shopperProfileView(db: Queryable, shopId: string, shopperId: number): Promise<ShopperProfileView> {
  const { rows } = await db.query<{
    id: number;
    nickname: string;
    phone: string | null;
    tier: Tier;
    potential_score: PotentialScore | null;
    referral_identity: string;
    profile_summary: string;
    tags: Partial<ShopperTags>;
    registered_at: Date;
  }>(
    `SELECT id, nickname, phone, tier, potential_score, referral_identity, profile_summary, tags, registered_at
       FROM shoppers WHERE shop_id = $1 AND id = $2 AND erased_at IS NULL`,
    [shopId, shopperId],
  );
  const r = rows[0];
  if (!r) throw new NotFound('shopper');
  return {
    id: r.id,
    nickname: r.nickname,
    phone: maskPhone(r.phone),
    tier: r.tier,
    tierLabel: TIER_LABELS[r.tier],
    potentialScore: r.potential_score,
    referralIdentity: r.referral_identity,
    summary: r.profile_summary,
    tags: r.tags,
    pointsBalance: await pointsBalance(db, { shopId, shopperId }),
    tierHistory: await tierHistory(db, shopId, shopperId, 10),
    registeredAt: r.registered_at,
  };
}
