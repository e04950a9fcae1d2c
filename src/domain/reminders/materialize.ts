// From planned to queued: claim a batch of planned reminders (leased, SKIP LOCKED, so runners
// share the work and a crashed one's batch comes back), issue their coupons, write the messages
// outside any transaction (a model may take seconds), then fix the message and create the outbox
// rows in one transaction. Only one writer can move a reminder from 'writing' to 'queued', so its
// outbox rows are created once.
import type { Queryable } from '../../db/db.ts';
import type { Tier } from '../../context.ts';
import type { CouponKind } from '../coupons/templates.ts';
import type { Shop } from '../shops/repo.ts';
import { issueReminderCoupons } from './coupons.ts';
import { OCCASION_LABELS, type ReminderFacts, type WrittenMessage } from './message.ts';
import { OCCASION_HANDLERS } from './occasions/index.ts';
import type { OccasionName, ReminderSettings } from './settings.ts';
import { daysBetween, localClock, localDateOf } from './time.ts';

export interface ClaimedReminder {
  id: number;
  shopperId: number;
  openid: string;
  occasion: OccasionName;
  scheduledFor: Date;
  couponId: number | null;
  facts: ReminderFacts;
}

/** Leases up to `limit` reminders of the shop that still need a message; issues their coupons. */
export async function claimForWriting(
  tx: Queryable,
  shop: Pick<Shop, 'id' | 'name' | 'timezone' | 'card'>,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<ClaimedReminder[]> {
  const { rows: claimed } = await tx.query<{ id: number; occasion: OccasionName }>(
    `UPDATE reminders r SET status = 'writing', claimed_until = $3
       FROM (SELECT id FROM reminders
              WHERE shop_id = $1 AND (status = 'planned' OR (status = 'writing' AND claimed_until <= $2))
              ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) c
      WHERE r.id = c.id
      RETURNING r.id, r.occasion`,
    [shop.id, now, new Date(now.getTime() + leaseMs), limit],
  );
  if (claimed.length === 0) return [];
  const ids = claimed.map((r) => r.id);
  const occasions = new Set(claimed.map((r) => r.occasion));
  for (const occasion of occasions) {
    const trigger = OCCASION_HANDLERS[occasion].couponTrigger;
    if (trigger) await issueReminderCoupons(tx, shop, occasion, trigger, ids, now);
  }
  return loadClaimed(tx, shop, ids);
}

interface ClaimedRow {
  id: number;
  shopper_id: number;
  openid: string;
  nickname: string;
  tier: Tier;
  occasion: OccasionName;
  local_date: string;
  scheduled_for: Date;
  facts: Record<string, unknown>;
  coupon_id: number | null;
  coupon_name: string | null;
  kind: CouponKind | null;
  threshold_fen: number | null;
  amount_fen: number | null;
  percent_off: number | null;
  valid_until: Date | null;
}

async function loadClaimed(tx: Queryable, shop: Pick<Shop, 'id' | 'name' | 'timezone' | 'card'>, ids: number[]): Promise<ClaimedReminder[]> {
  const { rows } = await tx.query<ClaimedRow>(
    `SELECT r.id, r.shopper_id, s.openid, s.nickname, s.tier, r.occasion, r.local_date, r.scheduled_for, r.facts,
            r.coupon_id, t.name AS coupon_name, t.kind, t.threshold_fen, t.amount_fen, t.percent_off, c.valid_until
       FROM reminders r
       JOIN shoppers s ON s.shop_id = r.shop_id AND s.id = r.shopper_id
       LEFT JOIN coupons c ON c.shop_id = r.shop_id AND c.id = r.coupon_id
       LEFT JOIN coupon_templates t ON t.shop_id = c.shop_id AND t.id = c.template_id
      WHERE r.shop_id = $1 AND r.id = ANY($2::bigint[])
      ORDER BY r.id`,
    [shop.id, ids],
  );
  return rows.map((r) => ({
    id: r.id,
    shopperId: r.shopper_id,
    openid: r.openid,
    occasion: r.occasion,
    scheduledFor: r.scheduled_for,
    couponId: r.coupon_id,
    facts: toFacts(r, shop),
  }));
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function toFacts(r: ClaimedRow, shop: Pick<Shop, 'name' | 'timezone' | 'card'>): ReminderFacts {
  const f = r.facts;
  const productName = str(f.productName);
  return {
    occasion: r.occasion,
    nickname: r.nickname,
    tier: r.tier,
    shopName: shop.name,
    advisorName: shop.card.advisorName,
    localDate: r.local_date,
    ...(productName
      ? { product: { name: productName, ...(num(f.priceFen) ? { priceFen: num(f.priceFen) } : {}), ...(str(f.category) ? { category: str(f.category) } : {}) } }
      : {}),
    ...(r.coupon_id && r.coupon_name && r.kind && r.valid_until
      ? {
          coupon: {
            name: r.coupon_name,
            kind: r.kind,
            thresholdFen: r.threshold_fen ?? 0,
            amountFen: r.amount_fen ?? 0,
            percentOff: r.percent_off ?? 0,
            // the last local day it is valid on
            validUntil: localDateOf(new Date(r.valid_until.getTime() - 1), shop.timezone),
          },
        }
      : {}),
    ...(str(f.holidayName) ? { holidayName: str(f.holidayName) } : {}),
    ...(r.occasion === 'anniversary' ? { milestone: { days: num(f.days), years: num(f.years) } } : {}),
    ...(str(f.firstOrderOn) ? { firstOrderOn: str(f.firstOrderOn) } : {}),
    ...(str(f.boughtOn) ? { boughtOn: str(f.boughtOn) } : {}),
    ...(str(f.runsOutOn) ? { runsOutOn: str(f.runsOutOn) } : {}),
    ...(str(f.discountDate)
      ? { discountDate: str(f.discountDate), daysLeft: daysBetween(r.local_date, str(f.discountDate)!) }
      : {}),
    ...(num(f.daysSince) ? { daysSince: num(f.daysSince) } : {}),
  };
}

/**
 * The body the mall backend receives: the reminder plus a ready WeChat subscribe message
 * (订阅消息: template_id, touser, page, data). thing values are cut to WeChat's 20 characters.
 */
export function webhookPayload(c: ClaimedReminder, message: string, shopId: string, settings: ReminderSettings, timezone: string) {
  const cut = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);
  const at = localClock(c.scheduledFor, timezone);
  const time = `${at.date} ${String(Math.floor(at.minutes / 60)).padStart(2, '0')}:${String(at.minutes % 60).padStart(2, '0')}`;
  return {
    type: 'reminder',
    shopId,
    reminderId: c.id,
    occasion: c.occasion,
    shopperId: c.shopperId,
    message,
    couponId: c.couponId,
    subscribeMessage: {
      template_id: settings.subscribe.templateIds[c.occasion] ?? settings.subscribe.defaultTemplateId,
      touser: c.openid,
      page: `${settings.subscribe.page}?reminderId=${c.id}`,
      data: {
        thing1: { value: OCCASION_LABELS[c.occasion] },
        thing2: { value: cut(message) },
        time3: { value: time },
      },
    },
  };
}

export interface Written {
  reminder: ClaimedReminder;
  written: WrittenMessage;
}

/**
 * Fixes the messages and creates one outbox row per channel, in the caller's transaction. A
 * reminder another writer already queued (its lease ran out meanwhile) is left as it is.
 */
export async function queueWritten(
  tx: Queryable,
  shopId: string,
  items: readonly Written[],
  webhook: { settings: ReminderSettings; timezone: string } | null,
  now: Date,
): Promise<number> {
  if (items.length === 0) return 0;
  const inCard = items.map((w) => JSON.stringify({ content: w.written.message, occasion: w.reminder.occasion }));
  const hook = items.map((w) =>
    webhook ? JSON.stringify(webhookPayload(w.reminder, w.written.message, shopId, webhook.settings, webhook.timezone)) : null,
  );
  const { rows } = await tx.query<{ queued: number }>(
    `WITH w AS (
       SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
         AS w(id, message, written_by, in_card, webhook)
     ), upd AS (
       UPDATE reminders r SET message = w.message, written_by = w.written_by, status = 'queued', claimed_until = NULL
         FROM w WHERE r.id = w.id AND r.shop_id = $1 AND r.status = 'writing'
       RETURNING r.id, r.scheduled_for
     ), outbox AS (
       INSERT INTO reminder_outbox (shop_id, reminder_id, channel, payload, state, next_attempt_at, created_at, updated_at)
       SELECT $1, u.id, ch.channel, ch.payload::jsonb, 'pending', u.scheduled_for, $7, $7
         FROM upd u JOIN w ON w.id = u.id
         CROSS JOIN LATERAL (VALUES ('in_card', w.in_card), ('webhook', w.webhook)) AS ch(channel, payload)
        WHERE ch.payload IS NOT NULL
       ON CONFLICT (reminder_id, channel) DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM upd) AS queued, (SELECT count(*) FROM outbox) AS rows`,
    [
      shopId,
      items.map((w) => w.reminder.id),
      items.map((w) => w.written.message),
      items.map((w) => w.written.writtenBy),
      inCard,
      hook,
      now,
    ],
  );
  return rows[0]?.queued ?? 0;
}
