// order.* events: create an order, then move it along its states. A transition the order's state
// does not allow (delivered before paid, paid twice …) or a time before its previous step rejects the
// event. Paid, delivered and refunded hand the order to the referral engine in the same transaction
// (docs/domain.md §4 Referral).
import type { Queryable } from '../../db/db.ts';
import type { OrderStatus } from '../orders/status.ts';
import { lockReferralChain, onOrderDelivered, onOrderPaid, onOrderRefunded } from '../referral/index.ts';
import { EventRejected } from './rejected.ts';
import { isErased, requireProducts, requireShopper } from './resolve.ts';
import type { OrderData, OrderEventType } from './schemas.ts';

type Target = Exclude<OrderStatus, 'created'>;

// The states each state may be reached from. Cancelling is for unpaid orders; a paid order ends
// in a refund (which claws back referral rewards).
const REACHABLE_FROM: Record<Target, readonly OrderStatus[]> = {
  paid: ['created'],
  shipped: ['paid'],
  delivered: ['paid', 'shipped'],
  completed: ['delivered'],
  cancelled: ['created'],
  refunded: ['paid', 'shipped', 'delivered', 'completed'],
};

const STAMP: Record<Target, string> = {
  paid: 'paid_at',
  shipped: 'shipped_at',
  delivered: 'delivered_at',
  completed: 'completed_at',
  cancelled: 'cancelled_at',
  refunded: 'refunded_at',
};

interface OrderRow {
  id: number;
  shopper_id: number;
  status: OrderStatus;
  pay_fen: number;
  last_at: Date;
}

export interface OrderOutcome {
  orderId: number;
  orderNo: string;
  shopperId: number;
  status: OrderStatus;
  payFen: number;
  at: Date;
}

async function lockOrder(tx: Queryable, shopId: string, orderNo: string): Promise<OrderRow | null> {
  const { rows } = await tx.query<OrderRow>(
    `SELECT id, shopper_id, status, pay_fen,
            greatest(created_at, paid_at, shipped_at, delivered_at, completed_at, cancelled_at, refunded_at) AS last_at
       FROM orders WHERE shop_id = $1 AND order_no = $2 FOR UPDATE`,
    [shopId, orderNo],
  );
  return rows[0] ?? null;
}

function amountsOf(d: OrderData, items: NonNullable<OrderData['items']>) {
  const itemsFen = items.reduce((sum, i) => sum + i.unitPriceFen * i.quantity, 0);
  const discountFen = d.amounts?.discountFen ?? 0;
  const shippingFen = d.amounts?.shippingFen ?? 0;
  const payFen = itemsFen - discountFen + shippingFen;
  if (d.amounts?.itemsFen !== undefined && d.amounts.itemsFen !== itemsFen) {
    throw new EventRejected(`amounts.itemsFen ${d.amounts.itemsFen} is not the sum of the items (${itemsFen})`);
  }
  if (payFen < 0) throw new EventRejected('the discount is larger than the order');
  if (d.amounts?.payFen !== undefined && d.amounts.payFen !== payFen) {
    throw new EventRejected(`amounts.payFen ${d.amounts.payFen} is not itemsFen - discountFen + shippingFen (${payFen})`);
  }
  return { itemsFen, discountFen, shippingFen, payFen };
}

async function createOrder(tx: Queryable, shopId: string, d: OrderData, at: Date): Promise<OrderRow> {
  const items = d.items;
  if (!items) throw new EventRejected(`unknown order ${d.orderNo}: send order.created (or items) first`);
  const shopper = await requireShopper(tx, shopId, d);
  const products = await requireProducts(tx, shopId, items.map((i) => i.sku));
  const a = amountsOf(d, items);
  const createdAt = d.createdAt ?? at;
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO orders (shop_id, order_no, shopper_id, status, items_fen, discount_fen, shipping_fen, pay_fen, address, created_at)
     VALUES ($1, $2, $3, 'created', $4, $5, $6, $7, $8, $9)
     ON CONFLICT (shop_id, order_no) DO NOTHING RETURNING id`,
    [shopId, d.orderNo, shopper.id, a.itemsFen, a.discountFen, a.shippingFen, a.payFen, JSON.stringify(d.address ?? {}), createdAt],
  );
  if (!rows[0]) throw new EventRejected(`order ${d.orderNo} already exists`);
  for (const i of items) {
    const p = products.get(i.sku)!;
    await tx.query(
      `INSERT INTO order_items (shop_id, order_id, product_id, product_name, unit_price_fen, quantity) VALUES ($1, $2, $3, $4, $5, $6)`,
      [shopId, rows[0].id, p.id, p.name, i.unitPriceFen, i.quantity],
    );
  }
  return { id: rows[0].id, shopper_id: shopper.id, status: 'created', pay_fen: a.payFen, last_at: createdAt };
}

async function transition(tx: Queryable, shopId: string, order: OrderRow, target: Target, at: Date, orderNo: string): Promise<void> {
  if (order.status === target) throw new EventRejected(`order ${orderNo} is already ${target}`);
  if (!REACHABLE_FROM[target].includes(order.status)) {
    throw new EventRejected(`order ${orderNo} cannot become ${target} from ${order.status}`);
  }
  if (at < order.last_at) {
    throw new EventRejected(`order ${orderNo} cannot become ${target} at ${at.toISOString()}, before its last step at ${order.last_at.toISOString()}`);
  }
  if (target === 'paid' || target === 'refunded') await lockReferralChain(tx, shopId, order.shopper_id);
  await tx.query(`UPDATE orders SET status = $3, ${STAMP[target]} = $4 WHERE shop_id = $1 AND id = $2`, [shopId, order.id, target, at]);
  // The referral engine reads the order as it is now, so it runs after the status change.
  if (target === 'paid') await onOrderPaid(tx, shopId, order.id, at);
  if (target === 'delivered') await onOrderDelivered(tx, shopId, order.id, at);
  if (target === 'refunded') await onOrderRefunded(tx, shopId, order.id, at);
}

export async function applyOrderEvent(tx: Queryable, shopId: string, type: OrderEventType, d: OrderData, at: Date): Promise<OrderOutcome> {
  const target = type.slice('order.'.length) as OrderStatus;
  let order = await lockOrder(tx, shopId, d.orderNo);
  if (target === 'created') {
    if (order) throw new EventRejected(`order ${d.orderNo} already exists`);
    order = await createOrder(tx, shopId, d, at);
  } else {
    // An integration that only reports payments may send order.paid with the items of a new order.
    if (!order && target === 'paid') order = await createOrder(tx, shopId, d, at);
    if (!order) throw new EventRejected(`unknown order ${d.orderNo}`);
    // An erased shopper's order still moves (a refund must still claw back its rewards), but the
    // mall's old openid leads to no one any more (shoppers/erasure.ts): nothing to compare.
    if ((d.openid !== undefined || d.shopperId !== undefined) && !(await isErased(tx, shopId, order.shopper_id))) {
      const shopper = await requireShopper(tx, shopId, d);
      if (shopper.id !== order.shopper_id) throw new EventRejected(`order ${d.orderNo} belongs to another shopper`);
    }
    await transition(tx, shopId, order, target, at, d.orderNo);
  }
  return { orderId: order.id, orderNo: d.orderNo, shopperId: order.shopper_id, status: target, payFen: order.pay_fen, at };
}
