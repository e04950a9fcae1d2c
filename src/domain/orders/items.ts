// The lines of orders: what was bought, at which price.
import type { Queryable } from '../../db/db.ts';

export interface OrderItem {
  productId: number;
  productName: string;
  /** The product's category now (洁面 for a 洁颜粉): what "洁面那单" means when the name does not say it. */
  category: string;
  unitPriceFen: number;
  quantity: number;
}

/** Items of several orders at once, keyed by order id (one query for a whole order list). */
export async function itemsOfOrders(db: Queryable, shopId: string, orderIds: readonly number[]): Promise<Map<number, OrderItem[]>> {
  const byOrder = new Map<number, OrderItem[]>();
  if (orderIds.length === 0) return byOrder;
  const { rows } = await db.query<{ order_id: number; product_id: number; product_name: string; category: string | null; unit_price_fen: number; quantity: number }>(
    `SELECT i.order_id, i.product_id, i.product_name, p.category, i.unit_price_fen, i.quantity
       FROM order_items i LEFT JOIN products p ON p.shop_id = i.shop_id AND p.id = i.product_id
      WHERE i.shop_id = $1 AND i.order_id = ANY($2::bigint[]) ORDER BY i.order_id, i.id`,
    [shopId, orderIds],
  );
  for (const r of rows) {
    const list = byOrder.get(r.order_id) ?? [];
    list.push({ productId: r.product_id, productName: r.product_name, category: r.category ?? '', unitPriceFen: r.unit_price_fen, quantity: r.quantity });
    byOrder.set(r.order_id, list);
  }
  return byOrder;
}

/** '修护精华 ×1、补水面膜 ×2' */
export function itemSummary(items: readonly OrderItem[]): string {
  return items.map((i) => `${i.productName} ×${i.quantity}`).join('、');
}
