// Data access for after-sales requests.
import type { Queryable } from '../../db/db.ts';
import { BLOCKING_STATUSES, type AfterSalesKind, type AfterSalesStatus } from './labels.ts';

export interface AfterSalesRequest {
  requestNo: string;
  kind: AfterSalesKind;
  status: AfterSalesStatus;
  amountFen: number;
  createdAt: Date;
}

/** The most recent request of an order, whatever its status. */
export async function latestRequestOf(db: Queryable, shopId: string, orderId: number): Promise<AfterSalesRequest | null> {
  const { rows } = await db.query<{ request_no: string; kind: AfterSalesKind; status: AfterSalesStatus; amount_fen: number; created_at: Date }>(
    `SELECT request_no, kind, status, amount_fen, created_at FROM after_sales
      WHERE shop_id = $1 AND order_id = $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
    [shopId, orderId],
  );
  const r = rows[0];
  return r ? { requestNo: r.request_no, kind: r.kind, status: r.status, amountFen: r.amount_fen, createdAt: r.created_at } : null;
}

/** How many requests an order has had, and how many of them block another one (open, approved or completed). */
export async function requestCounts(db: Queryable, shopId: string, orderId: number): Promise<{ total: number; blocking: number }> {
  const { rows } = await db.query<{ total: number; blocking: number }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE status = ANY($3::text[])) AS blocking
       FROM after_sales WHERE shop_id = $1 AND order_id = $2`,
    [shopId, orderId, BLOCKING_STATUSES],
  );
  return rows[0] ?? { total: 0, blocking: 0 };
}

/** Of these orders, the ones with a request that blocks another (requested, approved or completed). */
export async function ordersWithBlockingRequest(db: Queryable, shopId: string, orderIds: readonly number[]): Promise<Set<number>> {
  if (orderIds.length === 0) return new Set();
  const { rows } = await db.query<{ order_id: number }>(
    'SELECT DISTINCT order_id FROM after_sales WHERE shop_id = $1 AND order_id = ANY($2::int8[]) AND status = ANY($3::text[])',
    [shopId, [...orderIds], BLOCKING_STATUSES],
  );
  return new Set(rows.map((r) => Number(r.order_id)));
}

export interface NewRequest {
  shopId: string;
  shopperId: number;
  orderId: number;
  requestNo: string;
  kind: AfterSalesKind;
  reason: string;
  amountFen: number;
  at: Date;
}

export async function insertRequest(db: Queryable, r: NewRequest): Promise<void> {
  await db.query(
    `INSERT INTO after_sales (shop_id, request_no, order_id, shopper_id, kind, reason, status, amount_fen, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7, $8, $8)`,
    [r.shopId, r.requestNo, r.orderId, r.shopperId, r.kind, r.reason, r.amountFen, r.at],
  );
}
