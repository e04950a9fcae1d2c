// Second-purchase nudge (docs/domain.md §8 Reminders, §5 Coupons: a coupon valid 7 days from the
// first order): once, on a day of that window, while the first order is still the only one. "The
// first" means the only one ever paid: a shopper who paid for orders before, even ones refunded or
// cancelled since, is no newcomer, and is never asked "你的第一单收到了吗".
// The occurrence is the order number, as in the policy's coupon key 'second_purchase:<shopper>:<orderNo>'.
import { eligibleShopper, localDay, validOrder, withinLocalDays, type Occasion } from '../occasion.ts';

export const secondPurchase: Occasion = {
  name: 'secondPurchase',
  couponTrigger: 'second_purchase',
  candidates(day, bind) {
    const { startAfterDays, withinDays } = day.settings.occasions.secondPurchase;
    if (startAfterDays > withinDays - 1) return null;
    return `SELECT o.shopper_id, o.order_no AS occurrence_key,
        jsonb_build_object('orderId', o.id, 'paidAt', o.paid_at, 'firstOrderOn', ${localDay('o.paid_at')},
          'lastDay', ${localDay('o.paid_at')} + ${bind(withinDays - 1)}::int) AS facts,
        0 AS pick
      FROM orders o
      JOIN shoppers s ON s.shop_id = o.shop_id AND s.id = o.shopper_id
      WHERE o.shop_id = $1 AND ${validOrder('o')}
        AND ${withinLocalDays('o.paid_at', `$2::date - ${bind(withinDays - 1)}::int`, `$2::date - ${bind(startAfterDays)}::int`)}
        AND ${eligibleShopper('s')}
        AND NOT EXISTS (
          SELECT 1 FROM orders o2 WHERE o2.shop_id = $1 AND o2.shopper_id = o.shopper_id AND o2.id <> o.id
            AND o2.paid_at IS NOT NULL AND o2.paid_at < $3::timestamptz)`;
  },
};
