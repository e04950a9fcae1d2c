// Replenishment (docs/domain.md §8 Reminders: "你上次买的洗衣液快用完了"): due on the last purchase of a consumable +
// its usage cycle × quantity − lead days. A reminder held back by the caps may still go within the
// grace days; buying the product again starts a new occurrence.
import { eligibleShopper, localDay, validOrder, type Occasion } from '../occasion.ts';

export const replenishment: Occasion = {
  name: 'replenishment',
  couponTrigger: 'replenishment',
  candidates(day, bind) {
    const { leadDays, graceDays } = day.settings.occasions.replenishment;
    const due = `(${localDay('o.paid_at')} + p.usage_cycle_days * i.quantity - ${bind(leadDays)}::int)`;
    return `SELECT o.shopper_id, i.product_id || ':' || o.id AS occurrence_key,
        jsonb_build_object('productId', i.product_id, 'productName', p.name, 'category', p.category, 'orderId', o.id,
          'boughtOn', ${localDay('o.paid_at')}, 'runsOutOn', ${localDay('o.paid_at')} + p.usage_cycle_days * i.quantity) AS facts,
        ${due} AS pick
      FROM orders o
      JOIN order_items i ON i.order_id = o.id
      JOIN products p ON p.id = i.product_id
      JOIN shoppers s ON s.shop_id = o.shop_id AND s.id = o.shopper_id
      WHERE o.shop_id = $1 AND ${validOrder('o')} AND p.usage_cycle_days IS NOT NULL
        AND $2::date BETWEEN ${due} AND ${due} + ${bind(graceDays)}::int
        AND ${eligibleShopper('s')}
        AND NOT EXISTS (
          SELECT 1 FROM orders o2 JOIN order_items i2 ON i2.order_id = o2.id
          WHERE o2.shop_id = $1 AND o2.shopper_id = o.shopper_id AND i2.product_id = i.product_id
            AND ${validOrder('o2')} AND (o2.paid_at, o2.id) > (o.paid_at, o.id))`;
  },
};
