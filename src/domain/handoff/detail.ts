// What the staff console shows beside a ticket: the whole conversation, the summary, the shopper's
// profile (phone masked) and recent orders, and the ticket's action log with the internal notes.
import type { ReferralIdentity, Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';
import { allMessages, messageView } from '../conversations/repo.ts';
import { latestEventId } from '../live/events.ts';
import { formatFen } from '../orders/money.ts';
import { listOwnOrders } from '../orders/repo.ts';
import { ORDER_STATUS_LABELS } from '../orders/status.ts';
import { maskPhone } from '../shoppers/mask.ts';
import { listActions } from './actions.ts';
import { TIER_LABELS } from '../lifecycle/labels.ts';
import { REFERRAL_LABELS } from './labels.ts';
import { loadHandoffRules } from './settings.ts';
import { findShopTicket, type Ticket } from './tickets.ts';
import { ticketView } from './views.ts';

const ORDERS = 5;

async function shopperProfile(db: Queryable, shopId: string, shopperId: number) {
  const { rows } = await db.query<{
    id: number;
    nickname: string;
    tier: Tier;
    referral_identity: ReferralIdentity;
    skin_type: string | null;
    phone: string | null;
    profile_summary: string;
    registered_at: Date;
  }>(
    `SELECT id, nickname, tier, referral_identity, skin_type, phone, profile_summary, registered_at
       FROM shoppers WHERE shop_id = $1 AND id = $2`,
    [shopId, shopperId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    nickname: r.nickname,
    tier: r.tier,
    tierLabel: TIER_LABELS[r.tier],
    referralIdentity: r.referral_identity,
    referralLabel: REFERRAL_LABELS[r.referral_identity],
    skinType: r.skin_type,
    phone: maskPhone(r.phone),
    profileSummary: r.profile_summary,
    registeredAt: r.registered_at.toISOString(),
  };
}

export async function ticketDetail(db: Queryable, shopId: string, id: number, now: Date) {
  const { hours } = await loadHandoffRules(db, shopId);
  const ticket = await findShopTicket(db, shopId, id);
  if (!ticket) throw new NotFound('ticket');
  // The cursor first: an event after it reaches the console over SSE, one before it is in this answer.
  const liveCursor = await latestEventId(db, shopId);
  const [messages, shopper, orders, actions] = await Promise.all([
    allMessages(db, ticket.conversationId),
    shopperProfile(db, shopId, ticket.shopperId),
    listOwnOrders(db, { shopId, shopperId: ticket.shopperId }, { limit: ORDERS }),
    listActions(db, shopId, id),
  ]);
  return {
    ticket: ticketView({ ...ticket, nickname: shopper?.nickname ?? '' }, hours, now),
    summary: ticket.summary,
    messages: messages.filter((m) => m.role === 'user' || m.role === 'assistant' || m.role === 'staff').map((m) => messageView(m, ticket.conversationId)),
    shopper,
    orders: orders.map((o) => ({
      orderNo: o.orderNo,
      status: o.status,
      statusLabel: ORDER_STATUS_LABELS[o.status],
      pay: formatFen(o.payFen),
      createdAt: o.createdAt.toISOString(),
    })),
    actions: actions.map((a) => ({ id: a.id, action: a.action, actor: a.actor, payload: a.payload, createdAt: a.createdAt.toISOString() })),
    liveCursor,
  };
}

export async function requireShopTicket(db: Queryable, shopId: string, id: number): Promise<Ticket> {
  const t = await findShopTicket(db, shopId, id);
  if (!t) throw new NotFound('ticket');
  return t;
}
