// Holiday greetings (docs/domain.md §8 Reminders: Gregorian and lunar ones, 中秋 and 春节 among them). Holidays
// are rules, never a table of dates: Gregorian ones by month and day, lunar ones converted with
// lunar-javascript for whatever year is asked.
import { lunarMonthDay } from '../lunar.ts';
import { eligibleShopper, type Occasion } from '../occasion.ts';
import { dateParts } from '../time.ts';

export interface Holiday {
  key: string;
  /** As the shopper reads it. */
  name: string;
  calendar: 'gregorian' | 'lunar';
  month: number;
  day: number;
}

export const HOLIDAYS: readonly Holiday[] = [
  { key: 'womens_day', name: '三八女神节', calendar: 'gregorian', month: 3, day: 8 },
  { key: 'day_520', name: '520', calendar: 'gregorian', month: 5, day: 20 },
  { key: 'mid_year_618', name: '618', calendar: 'gregorian', month: 6, day: 18 },
  { key: 'double_11', name: '双11', calendar: 'gregorian', month: 11, day: 11 },
  { key: 'double_12', name: '双12', calendar: 'gregorian', month: 12, day: 12 },
  { key: 'spring_festival', name: '春节', calendar: 'lunar', month: 1, day: 1 },
  { key: 'lantern', name: '元宵节', calendar: 'lunar', month: 1, day: 15 },
  { key: 'dragon_boat', name: '端午节', calendar: 'lunar', month: 5, day: 5 },
  { key: 'qixi', name: '七夕', calendar: 'lunar', month: 7, day: 7 },
  { key: 'mid_autumn', name: '中秋节', calendar: 'lunar', month: 8, day: 15 },
];

/** The holidays on a Gregorian date ('YYYY-MM-DD'), of those enabled (all when keys is undefined). */
export function holidaysOn(date: string, keys?: readonly string[]): Holiday[] {
  const { year, month, day } = dateParts(date);
  // A leap month (闰月) has a negative number here, so its 15th is never taken for 中秋.
  const lunar = lunarMonthDay(year, month, day);
  return HOLIDAYS.filter(
    (h) =>
      (!keys || keys.includes(h.key)) &&
      (h.calendar === 'gregorian' ? h.month === month && h.day === day : h.month === lunar.month && h.day === lunar.day),
  );
}

export const holiday: Occasion = {
  name: 'holiday',
  candidates(day, bind) {
    const today = holidaysOn(day.date, day.settings.occasions.holiday.keys);
    if (today.length === 0) return null;
    const year = dateParts(day.date).year;
    return `SELECT s.id AS shopper_id, h.key || ':' || ${bind(year)}::int AS occurrence_key,
        jsonb_build_object('holidayKey', h.key, 'holidayName', h.name) AS facts, h.ord AS pick
      FROM shoppers s
      CROSS JOIN unnest(${bind(today.map((h) => h.key))}::text[], ${bind(today.map((h) => h.name))}::text[])
        WITH ORDINALITY AS h(key, name, ord)
      WHERE ${eligibleShopper('s')}`;
  },
};
