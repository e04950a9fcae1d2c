// What is coming up for one shopper (docs/domain.md §8.1 Occasions), by the same rules the planner
// applies on the day: the next birthday, each consumable's replenishment, the next discount day, the
// next first-purchase milestone and the next holiday. Read-only; dates are shop-local 'YYYY-MM-DD'.
// Second purchase, win-back and new-product previews depend on what happens (or does not) until
// then, so they are not foretold.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { upcomingDiscountDay } from '../policy/discountDay.ts';
import { OCCASION_LABELS } from './message.ts';
import { holidaysOn } from './occasions/holidays.ts';
import type { OccasionName, ReminderSettings } from './settings.ts';
import { addDays, dateParts, daysBetween, isLeapYear } from './time.ts';

export interface UpcomingReminder {
  occasion: OccasionName;
  label: string;
  /** The day of the thing itself: the birthday, the day a product runs out, the discount day … */
  on: string;
  /** Days from today to `on`. */
  inDays: number;
  /** The day the reminder is due (today when it is late but may still go); null when its day has passed. */
  remindOn: string | null;
  /** In the shopper's words. */
  text: string;
  product?: { id: number; name: string };
}

export interface UpcomingInput {
  shopId: string;
  shopperId: number;
  tier: Tier;
  timezone: string;
  /** Shop-local today. */
  today: string;
  /** 'MM-DD' or null. */
  birthday: string | null;
  discountDay: number;
  settings: ReminderSettings;
}

// A holiday further away than this is not "coming up".
const HOLIDAY_HORIZON_DAYS = 60;

const monthDay = (date: string) => {
  const { month, day } = dateParts(date);
  return `${month}月${day}日`;
};

/** The date `years` after `date`; 29 February falls on the 28th in a common year (as PostgreSQL moves it). */
function plusYears(date: string, years: number): string {
  const { year, month, day } = dateParts(date);
  const y = year + years;
  const d = month === 2 && day === 29 && !isLeapYear(y) ? 28 : day;
  return `${y}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function item(occasion: OccasionName, today: string, on: string, remindOn: string | null, text: string, product?: UpcomingReminder['product']): UpcomingReminder {
  return {
    occasion,
    label: OCCASION_LABELS[occasion],
    on,
    inDays: daysBetween(today, on),
    remindOn,
    text,
    ...(product ? { product } : {}),
  };
}

function nextBirthday(today: string, mmdd: string): UpcomingReminder {
  const { year } = dateParts(today);
  let on = plusYears(`2000-${mmdd}`, year - 2000);
  if (on < today) on = plusYears(`2000-${mmdd}`, year + 1 - 2000);
  const days = daysBetween(today, on);
  return item('birthday', today, on, on, days === 0 ? '今天是你的生日' : `还有 ${days} 天就是你的生日（${monthDay(on)}）`);
}

async function replenishments(db: Queryable, u: UpcomingInput): Promise<UpcomingReminder[]> {
  // Each consumable's last purchase (a re-buy starts over), unless its reminder was already planned.
  const { rows } = await db.query<{ product_id: number; name: string; runs_out_on: string; reminded: boolean }>(
    `SELECT DISTINCT ON (i.product_id) i.product_id, p.name,
            ((o.paid_at AT TIME ZONE $3::text)::date + p.usage_cycle_days * i.quantity)::text AS runs_out_on,
            EXISTS (SELECT 1 FROM reminders r WHERE r.shop_id = $1 AND r.shopper_id = $2 AND r.occasion = 'replenishment'
                       AND r.occurrence_key = i.product_id || ':' || o.id) AS reminded
       FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
      WHERE o.shop_id = $1 AND o.shopper_id = $2 AND o.paid_at IS NOT NULL AND o.status NOT IN ('cancelled', 'refunded')
        AND p.usage_cycle_days IS NOT NULL
      ORDER BY i.product_id, o.paid_at DESC, o.id DESC`,
    [u.shopId, u.shopperId, u.timezone],
  );
  const { leadDays, graceDays } = u.settings.occasions.replenishment;
  return rows
    .map((r) => ({ ...r, remindOn: addDays(r.runs_out_on, -leadDays) }))
    .filter((r) => !r.reminded && addDays(r.remindOn, graceDays) >= u.today)
    .map((r) => {
      // Held back by the caps, a due replenishment may still go within the grace days: from today.
      const remindOn = r.remindOn < u.today ? u.today : r.remindOn;
      const text = `上次买的${r.name}预计${monthDay(r.runs_out_on)}左右用完，会在${monthDay(remindOn)}提醒补货`;
      return item('replenishment', u.today, r.runs_out_on, remindOn, text, { id: r.product_id, name: r.name });
    });
}

async function nextAnniversary(db: Queryable, u: UpcomingInput): Promise<UpcomingReminder | null> {
  const { rows } = await db.query<{ first_on: string }>(
    `SELECT (min(paid_at) AT TIME ZONE $3::text)::date::text AS first_on FROM orders
      WHERE shop_id = $1 AND shopper_id = $2 AND paid_at IS NOT NULL AND status NOT IN ('cancelled', 'refunded')
     HAVING count(*) > 0`,
    [u.shopId, u.shopperId, u.timezone],
  );
  const first = rows[0]?.first_on;
  if (!first) return null;
  const { days, years } = u.settings.occasions.anniversary;
  const marks = [
    ...days.map((d) => ({ on: addDays(first, d), what: `第一单后第 ${d} 天` })),
    ...years.map((y) => ({ on: plusYears(first, y), what: `第一单满 ${y} 年` })),
  ]
    .filter((m) => m.on >= u.today)
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const next = marks[0];
  return next ? item('anniversary', u.today, next.on, next.on, `${monthDay(next.on)}是你${next.what}的纪念日`) : null;
}

function nextDiscountDay(u: UpcomingInput): UpcomingReminder {
  const on = upcomingDiscountDay(u.today, u.discountDay);
  const remindOn = addDays(on, -u.settings.occasions.discountDay.daysBefore);
  const text = on === u.today ? `今天就是你的专属折扣日（每月 ${u.discountDay} 日）` : `下一个专属折扣日是${monthDay(on)}（每月 ${u.discountDay} 日）`;
  return item('discountDay', u.today, on, remindOn < u.today ? null : remindOn, text);
}

function nextHoliday(u: UpcomingInput): UpcomingReminder | null {
  for (let i = 0; i <= HOLIDAY_HORIZON_DAYS; i++) {
    const on = addDays(u.today, i);
    const [h] = holidaysOn(on, u.settings.occasions.holiday.keys);
    if (h) return item('holiday', u.today, on, on, `${monthDay(on)}是${h.name}`);
  }
  return null;
}

/** The shopper's coming reminders, the soonest first; only occasions whose tiers include the shopper's. */
export async function upcomingReminders(db: Queryable, u: UpcomingInput): Promise<UpcomingReminder[]> {
  const forTier = (o: OccasionName) => u.settings.occasions[o].tiers.includes(u.tier);
  const out: UpcomingReminder[] = [];
  if (u.birthday && forTier('birthday')) out.push(nextBirthday(u.today, u.birthday));
  if (forTier('replenishment')) out.push(...(await replenishments(db, u)));
  if (forTier('discountDay')) out.push(nextDiscountDay(u));
  if (forTier('anniversary')) {
    const a = await nextAnniversary(db, u);
    if (a) out.push(a);
  }
  if (forTier('holiday')) {
    const h = nextHoliday(u);
    if (h) out.push(h);
  }
  return out.sort((a, b) => a.inDays - b.inDays);
}
