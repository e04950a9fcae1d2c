// Looks up what events refer to by the mall's identifiers: shoppers by openid (or our id), products by sku.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { EventRejected } from './rejected.ts';

export interface ShopperRef {
  openid?: string;
  shopperId?: number;
}

export interface ResolvedShopper {
  id: number;
  tier: Tier;
  referrerId: number | null;
}

export async function findShopper(tx: Queryable, shopId: string, ref: ShopperRef): Promise<ResolvedShopper | null> {
  const { rows } = await tx.query<{ id: number; tier: Tier; referrer_id: number | null }>(
    `SELECT id, tier, referrer_id FROM shoppers
      WHERE shop_id = $1 AND ($2::bigint IS NULL OR id = $2::bigint) AND ($3::text IS NULL OR openid = $3::text)
        AND erased_at IS NULL`,
    [shopId, ref.shopperId ?? null, ref.openid ?? null],
  );
  return rows[0] ? { id: rows[0].id, tier: rows[0].tier, referrerId: rows[0].referrer_id } : null;
}

/** True when the shopper is an erased tombstone (shoppers/erasure.ts). */
export async function isErased(tx: Queryable, shopId: string, shopperId: number): Promise<boolean> {
  const { rows } = await tx.query('SELECT 1 FROM shoppers WHERE shop_id = $1 AND id = $2 AND erased_at IS NOT NULL', [shopId, shopperId]);
  return rows.length > 0;
}

export async function requireShopper(tx: Queryable, shopId: string, ref: ShopperRef): Promise<ResolvedShopper> {
  const s = await findShopper(tx, shopId, ref);
  if (!s) throw new EventRejected(`unknown shopper ${ref.openid ?? ref.shopperId}: send shopper.registered first`);
  return s;
}

export interface ProductRef {
  id: number;
  name: string;
}

/** Products of the shop by sku; rejects the event naming the first sku the shop does not have. */
export async function requireProducts(tx: Queryable, shopId: string, skus: readonly string[]): Promise<Map<string, ProductRef>> {
  const { rows } = await tx.query<{ id: number; sku: string; name: string }>(
    'SELECT id, sku, name FROM products WHERE shop_id = $1 AND sku = ANY($2::text[])',
    [shopId, [...new Set(skus)]],
  );
  const bySku = new Map(rows.map((r) => [r.sku, { id: r.id, name: r.name }]));
  const missing = skus.find((s) => !bySku.has(s));
  if (missing !== undefined) throw new EventRejected(`unknown sku ${missing}`);
  return bySku;
}
