// Settlement (结算): rewards stay pending while the order can still be returned and settle after the
// shop's return window counted from delivery (docs/domain.md §4.5 Reward lifecycle; returnWindowDays in
// shop settings).
import type { Queryable } from '../../db/db.ts';
import { parseShopSettings } from '../shops/settings.ts';
import type { RewardKind, RewardLevel } from './rewards.ts';

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

// Pending rewards of shop $1 whose window had passed by $2. An order with an after-sales request still
// open waits: its refund would only claw the money back again. The state test is what makes settling
// happen once: a second statement (another replica's) finds the rows settled and leaves them.
const PENDING_PAST_WINDOW = `l.shop_id = $1 AND l.state = 'pending' AND l.settle_after <= $2`;
const OPEN_AFTER_SALES = `EXISTS (SELECT 1 FROM after_sales a WHERE a.order_id = l.order_id AND a.status IN ('requested', 'approved'))`;

/** Settles every pending reward whose window has passed, in one statement; returns how many. */
export async function settleDue(db: Queryable, shopId: string, now: Date): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE reward_ledger l SET state = 'settled', settled_at = $2 WHERE ${PENDING_PAST_WINDOW} AND NOT ${OPEN_AFTER_SALES}`,
    [shopId, now],
  );
  return rowCount;
}

export interface SettledEntry {
  id: number;
  orderNo: string;
  beneficiaryId: number;
  beneficiary: string | null;
  kind: RewardKind;
  level: RewardLevel;
  amountFen: number;
  settleAfter: Date;
}

/**
 * settleDue that says what it settled: the rewards due by `dueBy`, stamped settled at `at`, with the
 * order number and the beneficiary's nickname, in entry order.
 */
export async function settleDueEntries(db: Queryable, shopId: string, dueBy: Date, at: Date): Promise<SettledEntry[]> {
  const { rows } = await db.query<{
    id: number;
    order_no: string;
    beneficiary_id: number;
    nickname: string | null;
    kind: RewardKind;
    level: RewardLevel;
    amount_fen: number;
    settle_after: Date;
  }>(
    `WITH settled AS (
       UPDATE reward_ledger l SET state = 'settled', settled_at = $3 WHERE ${PENDING_PAST_WINDOW} AND NOT ${OPEN_AFTER_SALES}
       RETURNING l.id, l.order_id, l.beneficiary_id, l.kind, l.level, l.amount_fen, l.settle_after)
     SELECT s.id, o.order_no, s.beneficiary_id, b.nickname, s.kind, s.level, s.amount_fen, s.settle_after
     FROM settled s
     JOIN orders o ON o.shop_id = $1 AND o.id = s.order_id
     LEFT JOIN shoppers b ON b.shop_id = $1 AND b.id = s.beneficiary_id
     ORDER BY s.id`,
    [shopId, dueBy, at],
  );
  return rows.map((r) => ({
    id: r.id,
    orderNo: r.order_no,
    beneficiaryId: r.beneficiary_id,
    beneficiary: r.nickname,
    kind: r.kind,
    level: r.level,
    amountFen: r.amount_fen,
    settleAfter: r.settle_after,
  }));
}

/** Rewards past their window that an open after-sales request holds back: how many, how much. */
export async function heldRewards(db: Queryable, shopId: string, dueBy: Date): Promise<{ count: number; fen: number }> {
  const { rows } = await db.query<{ count: number; fen: number }>(
    `SELECT count(*) AS count, coalesce(sum(l.amount_fen), 0) AS fen FROM reward_ledger l WHERE ${PENDING_PAST_WINDOW} AND ${OPEN_AFTER_SALES}`,
    [shopId, dueBy],
  );
  return { count: rows[0]?.count ?? 0, fen: rows[0]?.fen ?? 0 };
}
