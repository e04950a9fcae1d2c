// 老铁 badges (docs/domain.md §11 Community: 首席体验官, 裂变先锋, 首席创意官 …). The catalog is part of the shop's
// lifecycle rules; a shopper holds each badge at most once.
import type { Queryable } from '../../db/db.ts';
import { Invalid } from '../../errors.ts';
import type { LifecycleRules } from '../lifecycle/rules.ts';

type BadgeCatalog = LifecycleRules['community']['badges'];

export interface Badge {
  code: string;
  name: string;
  description: string;
}

export interface EarnedBadge extends Badge {
  reason: string;
  awardedAt: Date;
}

/** Awards a badge of the catalog; false when the shopper already had it. In the caller's transaction. */
export async function awardBadge(
  tx: Queryable,
  shopId: string,
  shopperId: number,
  badge: { code: string; reason: string; by: string },
  catalog: BadgeCatalog,
  now: Date,
): Promise<boolean> {
  if (!catalog.some((b) => b.code === badge.code)) throw new Invalid(`unknown badge ${badge.code}`);
  const { rows } = await tx.query(
    `INSERT INTO shopper_badges (shop_id, shopper_id, badge, reason, awarded_by, awarded_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [shopId, shopperId, badge.code, badge.reason, badge.by, now],
  );
  return rows.length > 0;
}

/** The shopper's badges, and those of the catalog still to earn. */
export async function badgesOf(
  db: Queryable,
  shopId: string,
  shopperId: number,
  catalog: BadgeCatalog,
): Promise<{ earned: EarnedBadge[]; toEarn: Badge[] }> {
  const { rows } = await db.query<{ badge: string; reason: string; awarded_at: Date }>(
    'SELECT badge, reason, awarded_at FROM shopper_badges WHERE shop_id = $1 AND shopper_id = $2 ORDER BY awarded_at, badge',
    [shopId, shopperId],
  );
  const byCode = new Map(catalog.map((b) => [b.code, b]));
  // A badge later removed from the catalog stays earned, under its code.
  const earned = rows.map((r) => ({ ...(byCode.get(r.badge) ?? { code: r.badge, name: r.badge, description: '' }), reason: r.reason, awardedAt: r.awarded_at }));
  const have = new Set(rows.map((r) => r.badge));
  return { earned, toEarn: catalog.filter((b) => !have.has(b.code)) };
}
