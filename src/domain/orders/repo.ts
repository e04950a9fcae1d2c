// Data access for orders, always scoped to the owner (shop + shopper from the verified caller): an
// order of anyone else is indistinguishable from one that does not exist.
import type { ShopperCaller } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';
import type { OrderStatus } from './status.ts';

export type OrderOwner = Pick<ShopperCaller, 'shopId' | 'shopperId'>;

/** Receiver as stored in orders.address; the phone is masked before it leaves the domain. */
export interface OrderAddress {
  name?: string;
  phone?: string;
  region?: string;
  detail?: string;
}

export interface Order {
  id: number;
  shopId: string;
  orderNo: string;
  shopperId: number;
  status: OrderStatus;
  itemsFen: number;
  discountFen: number;
  shippingFen: number;
  payFen: number;
  address: OrderAddress;
  createdAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  refundedAt: Date | null;
}

interface OrderRow {
  id: number;
  shop_id: string;
  order_no: string;
  shopper_id: number;
  status: OrderStatus;
  items_fen: number;
  discount_fen: number;
  shipping_fen: number;
  pay_fen: number;
  address: OrderAddress | null;
  created_at: Date;
  paid_at: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  refunded_at: Date | null;
}

const COLUMNS = `o.id, o.shop_id, o.order_no, o.shopper_id, o.status, o.items_fen, o.discount_fen, o.shipping_fen,
  o.pay_fen, o.address, o.created_at, o.paid_at, o.shipped_at, o.delivered_at, o.completed_at, o.cancelled_at,
  o.refunded_at`;

function toOrder(r: OrderRow): Order {
  return {
    id: r.id,
    shopId: r.shop_id,
    orderNo: r.order_no,
    shopperId: r.shopper_id,
    status: r.status,
    itemsFen: r.items_fen,
    discountFen: r.discount_fen,
    shippingFen: r.shipping_fen,
    payFen: r.pay_fen,
    address: r.address ?? {},
    createdAt: r.created_at,
    paidAt: r.paid_at,
    shippedAt: r.shipped_at,
    deliveredAt: r.delivered_at,
    completedAt: r.completed_at,
    cancelledAt: r.cancelled_at,
    refundedAt: r.refunded_at,
  };
}

export async function findOwnOrder(db: Queryable, owner: OrderOwner, orderNo: string): Promise<Order | null> {
  const { rows } = await db.query<OrderRow>(
    `SELECT ${COLUMNS} FROM orders o WHERE o.shop_id = $1 AND o.shopper_id = $2 AND o.order_no = $3`,
    [owner.shopId, owner.shopperId, orderNo],
  );
  return rows[0] ? toOrder(rows[0]) : null;
}

/** The caller's order by number; NotFound('order') both when it does not exist and when it is not theirs. */
export async function getOwnOrder(db: Queryable, owner: OrderOwner, orderNo: string): Promise<Order> {
  const order = await findOwnOrder(db, owner, orderNo);
  if (!order) throw new NotFound('order');
  return order;
}

export interface OrderFilter {
  statuses?: readonly OrderStatus[];
  /** An instant: orders created at or after it. */
  sinceInstant?: Date;
  /** A calendar day 'YYYY-MM-DD': orders created from that day's start in the shop's timezone. */
  sinceDay?: string;
  /** Part of an item's name, or its product's category (洁面 finds the 洁颜粉 too), case-insensitive. */
  productKeyword?: string;
  limit: number;
}

/** The caller's orders, most recent first. */
export async function listOwnOrders(db: Queryable, owner: OrderOwner, filter: OrderFilter): Promise<Order[]> {
  // strpos instead of LIKE so that % and _ in what the shopper typed are plain characters.
  const { rows } = await db.query<OrderRow>(
    `SELECT ${COLUMNS} FROM orders o
      WHERE o.shop_id = $1 AND o.shopper_id = $2
        AND ($3::text[] IS NULL OR o.status = ANY($3::text[]))
        AND ($4::timestamptz IS NULL OR o.created_at >= $4::timestamptz)
        AND ($5::date IS NULL OR o.created_at >=
             ($5::date::timestamp AT TIME ZONE (SELECT timezone FROM shops WHERE id = $1)))
        AND ($6::text IS NULL OR EXISTS (
              SELECT 1 FROM order_items i
               WHERE i.shop_id = o.shop_id AND i.order_id = o.id
                 AND (strpos(lower(i.product_name), lower($6::text)) > 0
                      OR EXISTS (SELECT 1 FROM products p
                                  WHERE p.shop_id = i.shop_id AND p.id = i.product_id AND lower(p.category) = lower($6::text)))))
      ORDER BY o.created_at DESC, o.id DESC
      LIMIT $7`,
    [
      owner.shopId,
      owner.shopperId,
      filter.statuses ?? null,
      filter.sinceInstant ?? null,
      filter.sinceDay ?? null,
      filter.productKeyword ?? null,
      filter.limit,
    ],
  );
  return rows.map(toOrder);
}
