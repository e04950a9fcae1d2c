// First-purchase anniversaries (docs/domain.md §8 Reminders: 100 days and 1 year after the first order):
// the configured day counts and whole years after the first valid order's local date.
import { eligibleShopper, localDay, validOrder, withinLocalDays, type Occasion } from '../occasion.ts';

export const anniversary: Occasion = {
  name: 'anniversary',
  candidates(day, bind) {
    const { days, years } = day.settings.occasions.anniversary;
    if (days.length === 0 && years.length === 0) return null;
    // The milestone is matched on the first order's date moved forward (PostgreSQL moves 29 Feb + 1
    // year to 28 Feb), so a leap-day first purchase is remembered in common years too.
    return `SELECT o.shopper_id, m.key AS occurrence_key,
        jsonb_build_object('firstOrderOn', ${localDay('o.paid_at')}, 'days', m.days, 'years', m.years) AS facts,
        0 AS pick
      FROM orders o
      JOIN shoppers s ON s.shop_id = o.shop_id AND s.id = o.shopper_id
      JOIN (
        SELECT 'd' || d AS key, d AS days, NULL::int AS years, $2::date - d AS first_on
          FROM unnest(${bind(days)}::int[]) AS d
        UNION ALL
        SELECT 'y' || y, NULL::int, y, first_on::date
          FROM unnest(${bind(years)}::int[]) AS y,
               generate_series($2::date - make_interval(years => y),
                               $2::date - make_interval(years => y) + interval '1 day', interval '1 day') AS first_on
         WHERE (first_on::date + make_interval(years => y))::date = $2::date
      ) m ON ${withinLocalDays('o.paid_at', 'm.first_on', 'm.first_on')}
      WHERE o.shop_id = $1 AND ${validOrder('o')} AND ${eligibleShopper('s')}
        AND NOT EXISTS (
          SELECT 1 FROM orders o2 WHERE o2.shop_id = $1 AND o2.shopper_id = o.shopper_id AND ${validOrder('o2')}
            AND (o2.paid_at, o2.id) < (o.paid_at, o.id))`;
  },
};
