// Win-back: no valid order for N days (default 60) since the last one. Once per lapse (the last
// order is the occurrence), within the grace days in case the caps held it back.
import { eligibleShopper, localDay, validOrder, withinLocalDays, type Occasion } from '../occasion.ts';

export const winBack: Occasion = {
  name: 'winBack',
  candidates(day, bind) {
    const { afterDays, graceDays } = day.settings.occasions.winBack;
    return `SELECT o.shopper_id, o.id::text AS occurrence_key,
        jsonb_build_object('lastOrderOn', ${localDay('o.paid_at')}, 'daysSince', $2::date - ${localDay('o.paid_at')}) AS facts,
        0 AS pick
      FROM orders o
      JOIN shoppers s ON s.shop_id = o.shop_id AND s.id = o.shopper_id
      WHERE o.shop_id = $1 AND ${validOrder('o')}
        AND ${withinLocalDays('o.paid_at', `$2::date - ${bind(afterDays + graceDays)}::int`, `$2::date - ${bind(afterDays)}::int`)}
        AND ${eligibleShopper('s')}
        AND NOT EXISTS (
          SELECT 1 FROM orders o2 WHERE o2.shop_id = $1 AND o2.shopper_id = o.shopper_id
            AND ${validOrder('o2')} AND (o2.paid_at, o2.id) > (o.paid_at, o.id))`;
  },
};
