// One shopper's reminder picture, for the card (docs/domain.md §8 Reminders): the birthday as the shop
// knows it (month and day: the year is never read), every occasion with whether the shop runs it for
// them and whether they switched it off, what is coming up, and what was delivered to them lately.
// Read-only.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';
import { getShop, type Shop } from '../shops/repo.ts';
import { occasionDescription } from './describe.ts';
import { OCCASION_LABELS } from './message.ts';
import { reminderCoupon, type ReminderCoupon, type ReminderCouponColumns } from './reminderCoupon.ts';
import { switchedOff } from './preferences.ts';
import { loadReminderSettings } from './repo.ts';
import { OCCASIONS, type OccasionName, type ReminderSettings } from './settings.ts';
import { localDateOf } from './time.ts';
import { upcomingReminders, type UpcomingReminder } from './upcoming.ts';

export interface OccasionStatus {
  occasion: OccasionName;
  label: string;
  description: string;
  /** The shop has the reminders and this occasion switched on. */
  runByShop: boolean;
  /** The occasion is for the shopper's tier. */
  forTier: boolean;
  /** The shopper switched it off (in the card, or in their consent record). */
  switchedOff: boolean;
  /** All of the above allow it, and marketing consent too: the shopper gets it when it is due. */
  active: boolean;
}

export interface DeliveredReminder {
  occasion: OccasionName;
  label: string;
  sentAt: Date;
  message: string;
  coupon: (ReminderCoupon & { status: string }) | null;
}

export interface ReminderOverview {
  birthday: { month: number; day: number } | null;
  /** False when the shopper declined marketing messages: then no reminder is sent at all. */
  marketingAllowed: boolean;
  occasions: OccasionStatus[];
  upcoming: (UpcomingReminder & { willRemind: boolean })[];
  recent: DeliveredReminder[];
}

// "Recently": what a shopper may still remember, at most this many.
const RECENT_DAYS = 90;
const RECENT_LIMIT = 10;

const runsFor = (s: ReminderSettings, o: OccasionName) => s.enabled && s.occasions[o].enabled;

async function delivered(db: Queryable, shopId: string, shopperId: number, now: Date): Promise<DeliveredReminder[]> {
  const { rows } = await db.query<{ occasion: OccasionName; message: string; sent_at: Date } & ReminderCouponColumns>(
    `SELECT r.occasion, r.message, min(o.sent_at) AS sent_at, t.name AS coupon_name, t.kind, t.threshold_fen, t.amount_fen,
            t.percent_off, c.valid_until, c.status AS coupon_status
       FROM reminders r
       JOIN reminder_outbox o ON o.reminder_id = r.id AND o.state = 'sent'
       LEFT JOIN coupons c ON c.shop_id = r.shop_id AND c.id = r.coupon_id
       LEFT JOIN coupon_templates t ON t.shop_id = c.shop_id AND t.id = c.template_id
      WHERE r.shop_id = $1 AND r.shopper_id = $2 AND r.message IS NOT NULL
        AND o.sent_at > $3::timestamptz - make_interval(days => $4::int) AND o.sent_at <= $3::timestamptz
      GROUP BY r.id, t.id, c.id
      ORDER BY min(o.sent_at) DESC, r.id DESC
      LIMIT $5`,
    [shopId, shopperId, now, RECENT_DAYS, RECENT_LIMIT],
  );
  return rows.map((r) => {
    const coupon = reminderCoupon(r);
    return {
      occasion: r.occasion,
      label: OCCASION_LABELS[r.occasion],
      sentAt: r.sent_at,
      message: r.message,
      coupon: coupon && { ...coupon, status: r.coupon_status ?? 'unused' },
    };
  });
}

interface Reminded {
  tier: Tier;
  /** 'MM-DD': the year is never read. */
  birthday: string | null;
  marketing: boolean;
}

async function remindedShopper(db: Queryable, shopId: string, shopperId: number): Promise<Reminded> {
  const { rows } = await db.query<Reminded>(
    `SELECT tier, to_char(birthday, 'MM-DD') AS birthday, consent->'marketing' IS DISTINCT FROM 'false'::jsonb AS marketing
       FROM shoppers WHERE shop_id = $1 AND id = $2 AND erased_at IS NULL`,
    [shopId, shopperId],
  );
  if (!rows[0]) throw new NotFound('shopper');
  return rows[0];
}

function statuses(me: Reminded, settings: ReminderSettings, shop: Shop, off: Record<OccasionName, boolean>): OccasionStatus[] {
  return OCCASIONS.map((o) => {
    const status = { runByShop: runsFor(settings, o), forTier: settings.occasions[o].tiers.includes(me.tier), switchedOff: off[o] };
    return {
      occasion: o,
      label: OCCASION_LABELS[o],
      description: occasionDescription(o, settings, shop.settings),
      ...status,
      active: status.runByShop && status.forTier && !status.switchedOff && me.marketing,
    };
  });
}

/** Whether each occasion reaches the shopper, and why not. */
export async function occasionStatuses(
  db: Queryable,
  shopId: string,
  shopperId: number,
): Promise<{ marketingAllowed: boolean; occasions: OccasionStatus[]; settings: ReminderSettings }> {
  const me = await remindedShopper(db, shopId, shopperId);
  const { settings } = await loadReminderSettings(db, shopId);
  const occasions = statuses(me, settings, await getShop(db, shopId), await switchedOff(db, shopId, shopperId));
  return { marketingAllowed: me.marketing, occasions, settings };
}

export async function reminderOverview(db: Queryable, shopId: string, shopperId: number, now: Date): Promise<ReminderOverview> {
  const me = await remindedShopper(db, shopId, shopperId);
  const shop = await getShop(db, shopId);
  const { settings } = await loadReminderSettings(db, shopId);
  const occasions = statuses(me, settings, shop, await switchedOff(db, shopId, shopperId));
  const active = new Map(occasions.map((o) => [o.occasion, o.active]));
  const upcoming = await upcomingReminders(db, {
    shopId,
    shopperId,
    tier: me.tier,
    timezone: shop.timezone,
    today: localDateOf(now, shop.timezone),
    birthday: me.birthday,
    discountDay: shop.settings.discountDay,
    settings,
  });
  const [month, day] = me.birthday ? me.birthday.split('-').map(Number) : [];
  return {
    birthday: month && day ? { month, day } : null,
    marketingAllowed: me.marketing,
    occasions,
    upcoming: upcoming.map((u) => ({ ...u, willRemind: u.remindOn !== null && active.get(u.occasion) === true })),
    recent: await delivered(db, shopId, shopperId, now),
  };
}
