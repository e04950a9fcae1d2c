// The in-card reminders a shopper has not seen yet (docs/domain.md §8 Reminders), for the card to show
// when it opens.
//
// Why a seen mark and not "deliver into the conversation the card opens": a reminder is delivered
// once, when it is due, into the shopper's latest card conversation (inCard.ts) — the card may not be
// open then, and when it opens it starts a new conversation, so the shopper never saw it. Delivering
// again on every open would copy the message into each new conversation (and into none when the
// shopper never opens the card), and the outbox's "exactly once" would no longer say what the shopper
// received. So delivery stays as it is — one message in one conversation, the record staff and the
// agent read — and seeing it is a separate fact about the delivery: the card asks for what is unseen,
// shows it with its coupon wherever it landed, and marks it seen. Marking is per delivery and keeps
// the first time, so it is idempotent and two tabs marking at once are harmless.
import type { Queryable } from '../../db/db.ts';
import { OCCASION_LABELS } from './message.ts';
import { reminderCoupon, type ReminderCoupon, type ReminderCouponColumns } from './reminderCoupon.ts';
import type { OccasionName } from './settings.ts';
import { localDateOf } from './time.ts';

/** Older deliveries are no news any more: the card stops offering them even if never seen. */
export const UNSEEN_DAYS = 30;
/** At most this many at once (the newest); a shopper away for long is not met by a wall of them. */
export const UNSEEN_LIMIT = 10;
/** At most this many marked by one request. */
export const SEEN_MAX = 50;

export type ReminderCouponStatus = 'unused' | 'used' | 'expired';

export interface UnseenReminder {
  /** The reminder's id: what POST /v1/reminders/seen takes, as the webhook's subscribe page does. */
  id: number;
  occasion: OccasionName;
  label: string;
  sentAt: Date;
  message: string;
  /** Where the delivery wrote it: the card skips a message it already shows from that conversation. */
  conversationId: string | null;
  messageId: number | null;
  coupon: (ReminderCoupon & { lastDay: string; status: ReminderCouponStatus }) | null;
}

interface UnseenRow extends ReminderCouponColumns {
  id: number;
  occasion: OccasionName;
  sent_at: Date;
  message: string;
  result: { conversationId?: string; messageId?: number } | null;
  timezone: string;
}

// A reminder the shopper's own orders have overtaken since it was written no longer holds, and is not
// shown: "你的第一单收到了吗" once she has paid for another order, "X 快用完了" once she has bought X
// again. It was delivered (the conversation keeps it); only the card's opening leaves it out.
const OVERTAKEN = `(
  (r.occasion = 'secondPurchase' AND EXISTS (
    SELECT 1 FROM orders x WHERE x.shop_id = r.shop_id AND x.shopper_id = r.shopper_id AND x.paid_at IS NOT NULL
       AND x.paid_at <= $3::timestamptz AND x.id::text IS DISTINCT FROM r.facts->>'orderId'))
  OR (r.occasion = 'replenishment' AND EXISTS (
    SELECT 1 FROM orders x JOIN order_items xi ON xi.order_id = x.id
     WHERE x.shop_id = r.shop_id AND x.shopper_id = r.shopper_id AND x.paid_at > o.sent_at AND x.paid_at <= $3::timestamptz
       AND x.status NOT IN ('cancelled', 'refunded') AND xi.product_id::text = r.facts->>'productId')))`;

// Nor one of an occasion she has switched off since ("别再提醒我补货了"), read as the planner reads
// her switches (preferences.ts): the card does not greet her with what she asked to stop.
const SWITCHED_OFF = `(
  EXISTS (SELECT 1 FROM reminder_preferences p
           WHERE p.shop_id = r.shop_id AND p.shopper_id = r.shopper_id AND p.occasion = r.occasion AND NOT p.enabled)
  OR EXISTS (SELECT 1 FROM shoppers s WHERE s.shop_id = r.shop_id AND s.id = r.shopper_id
              AND (s.consent->'reminders'->r.occasion = 'false'::jsonb OR s.consent->'reminders'->'all' = 'false'::jsonb)))`;

/** The shopper's in-card reminders delivered within UNSEEN_DAYS and not seen yet, oldest first. */
export async function unseenReminders(db: Queryable, shopId: string, shopperId: number, now: Date): Promise<UnseenReminder[]> {
  const { rows } = await db.query<UnseenRow>(
    `SELECT * FROM (
       SELECT r.id, r.occasion, o.sent_at, r.message, o.result, sh.timezone, t.name AS coupon_name, t.kind, t.threshold_fen,
              t.amount_fen, t.percent_off, c.valid_until, c.status AS coupon_status
         FROM reminders r
         JOIN reminder_outbox o ON o.reminder_id = r.id AND o.channel = 'in_card' AND o.state = 'sent' AND o.seen_at IS NULL
         JOIN shops sh ON sh.id = r.shop_id
         LEFT JOIN coupons c ON c.shop_id = r.shop_id AND c.id = r.coupon_id
         LEFT JOIN coupon_templates t ON t.shop_id = c.shop_id AND t.id = c.template_id
        WHERE r.shop_id = $1 AND r.shopper_id = $2 AND r.message IS NOT NULL
          AND o.sent_at > $3::timestamptz - make_interval(days => $4::int) AND o.sent_at <= $3::timestamptz
          AND NOT ${OVERTAKEN} AND NOT ${SWITCHED_OFF}
        ORDER BY o.sent_at DESC, r.id DESC
        LIMIT $5) newest
      ORDER BY sent_at, id`,
    [shopId, shopperId, now, UNSEEN_DAYS, UNSEEN_LIMIT],
  );
  return rows.map((r) => {
    const coupon = reminderCoupon(r);
    return {
      id: r.id,
      occasion: r.occasion,
      label: OCCASION_LABELS[r.occasion],
      sentAt: r.sent_at,
      message: r.message,
      conversationId: r.result?.conversationId ?? null,
      messageId: r.result?.messageId ?? null,
      coupon: coupon && {
        ...coupon,
        // valid_until is the first instant it no longer is: the last day is the day before it.
        lastDay: localDateOf(new Date(coupon.validUntil.getTime() - 1), r.timezone),
        status: couponStatus(r.coupon_status, coupon.validUntil, now),
      },
    };
  });
}

function couponStatus(stored: string | null, validUntil: Date, now: Date): ReminderCouponStatus {
  if (stored === 'used') return 'used';
  if (stored === 'expired' || validUntil <= now) return 'expired';
  return 'unused';
}

/**
 * Marks the shopper's delivered in-card reminders `ids` seen, keeping an earlier mark. Ids that are
 * not the shopper's (or not delivered in the card) are left alone and not returned, the same as ids
 * that do not exist. Returns the ids now seen, in order.
 */
export async function markRemindersSeen(db: Queryable, shopId: string, shopperId: number, ids: readonly number[], now: Date): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE reminder_outbox o SET seen_at = coalesce(o.seen_at, $4)
       FROM reminders r
      WHERE o.reminder_id = r.id AND o.channel = 'in_card' AND o.state = 'sent'
        AND r.shop_id = $1 AND r.shopper_id = $2 AND r.id = ANY($3::bigint[])
      RETURNING r.id`,
    [shopId, shopperId, [...new Set(ids)], now],
  );
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}
