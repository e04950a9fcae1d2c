// The monthly exclusive discount day for potential shoppers (docs/domain.md §8 Reminders, §5 Coupons:
// the 15th, 8折, reminded 3 days before). The day itself is the shop's
// settings.discountDay; the occurrence is the month of the discount day.
import { eligibleShopper, type Occasion } from '../occasion.ts';
import { addDays, dateParts } from '../time.ts';

export const discountDay: Occasion = {
  name: 'discountDay',
  couponTrigger: 'discount_day',
  candidates(day, bind) {
    const target = addDays(day.date, day.settings.occasions.discountDay.daysBefore);
    if (dateParts(target).day !== day.shop.discountDay) return null;
    return `SELECT s.id AS shopper_id, ${bind(target.slice(0, 7))}::text AS occurrence_key,
        jsonb_build_object('discountDate', ${bind(target)}::text) AS facts, 0 AS pick
      FROM shoppers s
      WHERE ${eligibleShopper('s')}`;
  },
};
