// Settlement (结算): rewards stay pending while the order can still be returned and settle after the
// shop's return window counted from delivery (docs/domain.md §4.5 Reward lifecycle; returnWindowDays in
// shop settings).
import type { Queryable } from '../../db/db.ts';
import { parseShopSettings } from '../shops/settings.ts';

const DAY_MS = 86_400_000;

export async function returnWindowDays(tx: Queryable, shopId: string): Promise<number> {
  const { rows } = await tx.query<{ settings: unknown }>('SELECT settings FROM shops WHERE id = $1', [shopId]);
  return parseShopSettings(rows[0]?.settings).returnWindowDays;
}

/** Whole days of 24 h: the same instant whatever the session's time zone (the batch path adds hours too). */
export function settleAfterOf(deliveredAt: Date, windowDays: number): Date {
  return new Date(deliveredAt.getTime() + windowDays * DAY_MS);
}

/** The order arrived: its pending rewards may settle once the return window has passed. Returns rows set. */
export async function onOrderDelivered(tx: Queryable, shopId: string, orderId: number, deliveredAt: Date): Promise<number> {
  const settleAfter = settleAfterOf(deliveredAt, await returnWindowDays(tx, shopId));
  const { rowCount } = await tx.query(
    `UPDATE reward_ledger SET settle_after = $3
     WHERE shop_id = $1 AND order_id = $2 AND state = 'pending' AND settle_after IS DISTINCT FROM $3`,
    [shopId, orderId, settleAfter],
  );
  return rowCount;
}

/**
 * Settles every pending reward whose window has passed, in one statement; returns how many. An order
 * with an after-sales request still open waits: its refund would only claw the money back again.
 */
export async function settleDue(db: Queryable, shopId: string, now: Date): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE reward_ledger l SET state = 'settled', settled_at = $2
     WHERE l.shop_id = $1 AND l.state = 'pending' AND l.settle_after <= $2
       AND NOT EXISTS (SELECT 1 FROM after_sales a
                       WHERE a.order_id = l.order_id AND a.status IN ('requested', 'approved'))`,
    [shopId, now],
  );
  return rowCount;
}
