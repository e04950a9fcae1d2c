// The points ledger (积分): every earn and spend is a row, so the balance is always their sum.
import type { ShopperCaller } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';

export type PointsOwner = Pick<ShopperCaller, 'shopId' | 'shopperId'>;

export interface PointsEntry {
  delta: number;
  reason: string;
  at: Date;
}

export async function pointsBalance(db: Queryable, owner: PointsOwner): Promise<number> {
  const { rows } = await db.query<{ balance: number }>(
    'SELECT coalesce(sum(delta), 0) AS balance FROM points_ledger WHERE shop_id = $1 AND shopper_id = $2',
    [owner.shopId, owner.shopperId],
  );
  return rows[0]?.balance ?? 0;
}

