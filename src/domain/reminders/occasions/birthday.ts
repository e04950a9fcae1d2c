// Birthday wish + birthday coupon (docs/domain.md §8 Reminders, §5 Coupons), on the birthday in the shop's
// time zone. Born on 29 February: greeted on the 28th in common years.
import { eligibleShopper, type Occasion } from '../occasion.ts';
import { dateParts, isLeapYear } from '../time.ts';

export const birthday: Occasion = {
  name: 'birthday',
  couponTrigger: 'birthday',
  candidates(day, bind) {
    const { year, month, day: dom } = dateParts(day.date);
    const leapDayToo = month === 2 && dom === 28 && !isLeapYear(year);
    return `SELECT s.id AS shopper_id, ${bind(String(year))}::text AS occurrence_key, '{}'::jsonb AS facts, 0 AS pick
      FROM shoppers s
      WHERE ${eligibleShopper('s')} AND s.birthday IS NOT NULL
        AND ((extract(month FROM s.birthday) = ${bind(month)}::int AND extract(day FROM s.birthday) = ${bind(dom)}::int)
          OR (${bind(leapDayToo)}::boolean AND extract(month FROM s.birthday) = 2 AND extract(day FROM s.birthday) = 29))`;
  },
};
