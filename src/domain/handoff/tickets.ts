// Data access for handoff tickets. One open ticket per conversation (a unique partial index): a second
// escalation joins the open ticket instead of queueing the shopper twice.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import type { HandoffReason } from './settings.ts';
import type { TicketSummary } from './summary.ts';

export const TICKET_STATUSES = ['open', 'claimed', 'resolved', 'handed_back'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const OPEN_STATUSES: readonly TicketStatus[] = ['open', 'claimed'];

export interface Ticket {
  id: number;
  shopId: string;
  conversationId: string;
  shopperId: number;
  status: TicketStatus;
  reason: HandoffReason;
  reasons: HandoffReason[];
  source: 'model' | 'rules';
  priority: number;
  tier: Tier;
  angry: boolean;
  slaMinutes: number;
  dueAt: Date;
  summary: Partial<TicketSummary>;
  summaryText: string;
  note: string;
  claimedBy: string | null;
  claimedAt: Date | null;
  firstReplyAt: Date | null;
  closedBy: string | null;
  closedAt: Date | null;
  outcome: string | null;
  createdAt: Date;
}

// Selected under the Ticket field names, so rows come back as Tickets with no mapping layer.
const FIELDS: Record<keyof Ticket, string> = {
  id: 'id',
  shopId: 'shop_id',
  conversationId: 'conversation_id',
  shopperId: 'shopper_id',
  status: 'status',
  reason: 'reason',
  reasons: 'reasons',
  source: 'source',
  priority: 'priority',
  tier: 'tier',
  angry: 'angry',
  slaMinutes: 'sla_minutes',
  dueAt: 'due_at',
  summary: 'summary',
  summaryText: 'summary_text',
  note: 'note',
  claimedBy: 'claimed_by',
  claimedAt: 'claimed_at',
  firstReplyAt: 'first_reply_at',
  closedBy: 'closed_by',
  closedAt: 'closed_at',
  outcome: 'outcome',
  createdAt: 'created_at',
};
const columns = (alias = '') => Object.entries(FIELDS).map(([k, c]) => `${alias}${c} AS "${k}"`).join(', ');
const TICKET = columns();

export interface NewTicket {
  shopId: string;
  conversationId: string;
  shopperId: number;
  reasons: HandoffReason[];
  source: 'model' | 'rules';
  priority: number;
  tier: Tier;
  angry: boolean;
  slaMinutes: number;
  dueAt: Date;
  summary: TicketSummary;
  summaryText: string;
  note: string;
  createdAt: Date;
}

/** Opens a ticket, or returns the conversation's open one (created: false). */
export async function insertTicket(db: Queryable, t: NewTicket): Promise<{ ticket: Ticket; created: boolean }> {
  const { rows } = await db.query<Ticket>(
    `INSERT INTO handoff_tickets (shop_id, conversation_id, shopper_id, reason, reasons, source, priority, tier, angry,
                                  sla_minutes, due_at, summary, summary_text, note, created_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15)
     ON CONFLICT (conversation_id) WHERE status IN ('open', 'claimed') DO NOTHING
     RETURNING ${TICKET}`,
    [
      t.shopId,
      t.conversationId,
      t.shopperId,
      t.reasons[0],
      t.reasons,
      t.source,
      t.priority,
      t.tier,
      t.angry,
      t.slaMinutes,
      t.dueAt,
      JSON.stringify(t.summary),
      t.summaryText,
      t.note,
      t.createdAt,
    ],
  );
  if (rows[0]) return { ticket: rows[0], created: true };
  const open = await findOpenTicket(db, t.conversationId);
  if (!open) throw new Error('open ticket vanished between insert and read');
  return { ticket: open, created: false };
}

export async function findOpenTicket(db: Queryable, conversationId: string): Promise<Ticket | null> {
  const { rows } = await db.query<Ticket>(
    `SELECT ${TICKET} FROM handoff_tickets WHERE conversation_id = $1 AND status IN ('open', 'claimed')`,
    [conversationId],
  );
  return rows[0] ?? null;
}

/** A ticket of the shop; another shop's ticket looks exactly like a missing one. */
export async function findShopTicket(db: Queryable, shopId: string, id: number, lock = false): Promise<Ticket | null> {
  const { rows } = await db.query<Ticket>(
    `SELECT ${TICKET} FROM handoff_tickets WHERE id = $1 AND shop_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [id, shopId],
  );
  return rows[0] ?? null;
}

/** A later trigger on an open ticket: add its reasons, and raise the priority if it is higher now. */
export async function joinTicket(
  db: Queryable,
  id: number,
  more: { reasons: HandoffReason[]; priority: number; angry: boolean; note: string },
): Promise<Ticket> {
  const { rows } = await db.query<Ticket>(
    `UPDATE handoff_tickets
        SET reasons = ARRAY(SELECT DISTINCT unnest(reasons || $2::text[])),
            priority = GREATEST(priority, $3),
            angry = angry OR $4,
            note = CASE WHEN note = '' THEN $5 ELSE note END
      WHERE id = $1 RETURNING ${TICKET}`,
    [id, more.reasons, more.priority, more.angry, more.note],
  );
  return rows[0]!;
}

/** Exactly one claimant wins: the update only matches while the ticket is still open. */
export async function claimOpenTicket(db: Queryable, shopId: string, id: number, staff: string, at: Date): Promise<Ticket | null> {
  const { rows } = await db.query<Ticket>(
    `UPDATE handoff_tickets SET status = 'claimed', claimed_by = $3, claimed_at = $4
      WHERE id = $1 AND shop_id = $2 AND status = 'open' RETURNING ${TICKET}`,
    [id, shopId, staff, at],
  );
  return rows[0] ?? null;
}

export async function markFirstReply(db: Queryable, id: number, at: Date): Promise<void> {
  await db.query('UPDATE handoff_tickets SET first_reply_at = COALESCE(first_reply_at, $2) WHERE id = $1', [id, at]);
}

export async function closeTicket(
  db: Queryable,
  shopId: string,
  id: number,
  close: { status: 'resolved' | 'handed_back'; by: string; outcome: string; at: Date },
): Promise<Ticket | null> {
  const { rows } = await db.query<Ticket>(
    `UPDATE handoff_tickets SET status = $3, closed_by = $4, outcome = $5, closed_at = $6
      WHERE id = $1 AND shop_id = $2 AND status IN ('open', 'claimed') RETURNING ${TICKET}`,
    [id, shopId, close.status, close.by, close.outcome, close.at],
  );
  return rows[0] ?? null;
}

export async function saveTicketSummary(db: Queryable, id: number, summary: TicketSummary, text: string): Promise<void> {
  await db.query('UPDATE handoff_tickets SET summary = $2::jsonb, summary_text = $3 WHERE id = $1', [id, JSON.stringify(summary), text]);
}

// The one order of the queue: most urgent first, then longest waiting. Staff see the queue in it and
// a waiting shopper is told their place in it, so the two cannot disagree.
const QUEUE_ORDER = 'priority DESC, created_at, id';

export interface QueueRow extends Ticket {
  nickname: string;
  /** Place among the tickets nobody has taken yet (1 = next); null once claimed. */
  place: number | null;
}

/** Open and claimed tickets of the shop, in queue order, each waiting one with its place in line. */
export async function listOpenTickets(db: Queryable, shopId: string): Promise<QueueRow[]> {
  const { rows } = await db.query<QueueRow>(
    `SELECT ${Object.keys(FIELDS).map((k) => `q."${k}"`).join(', ')}, q.place, s.nickname
       FROM (SELECT ${TICKET},
                    CASE WHEN status = 'open' THEN (row_number() OVER (PARTITION BY status ORDER BY ${QUEUE_ORDER}))::int END AS place,
                    row_number() OVER (ORDER BY ${QUEUE_ORDER}) AS rank
               FROM handoff_tickets WHERE shop_id = $1 AND status IN ('open', 'claimed')) q
       JOIN shoppers s ON s.shop_id = q."shopId" AND s.id = q."shopperId"
      ORDER BY q.rank`,
    [shopId],
  );
  return rows;
}

/** How many unclaimed tickets of the shop a person will take before this one, in queue order. */
export async function ticketsAhead(db: Queryable, t: Pick<Ticket, 'id' | 'shopId'>): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT (place - 1)::int AS n FROM (
       SELECT id, row_number() OVER (ORDER BY ${QUEUE_ORDER}) AS place
         FROM handoff_tickets WHERE shop_id = $1 AND status = 'open') q
      WHERE id = $2`,
    [t.shopId, t.id],
  );
  return rows[0]?.n ?? 0;
}

export interface TicketStats {
  open: number;
  claimed: number;
  resolved: number;
  handedBack: number;
  /** First human reply later than the SLA, or none yet and the SLA already past. */
  breached: number;
  breachedOpen: number;
  answeredInTime: number;
}

export async function ticketStats(db: Queryable, shopId: string, now: Date, since: Date): Promise<TicketStats> {
  const { rows } = await db.query<{
    open: number;
    claimed: number;
    resolved: number;
    handed_back: number;
    breached: number;
    breached_open: number;
    answered_in_time: number;
  }>(
    `SELECT count(*) FILTER (WHERE status = 'open')::int AS open,
            count(*) FILTER (WHERE status = 'claimed')::int AS claimed,
            count(*) FILTER (WHERE status = 'resolved')::int AS resolved,
            count(*) FILTER (WHERE status = 'handed_back')::int AS handed_back,
            count(*) FILTER (WHERE first_reply_at > due_at
                               OR (first_reply_at IS NULL AND COALESCE(closed_at, $2) > due_at))::int AS breached,
            count(*) FILTER (WHERE first_reply_at IS NULL AND status IN ('open', 'claimed') AND $2 > due_at)::int AS breached_open,
            count(*) FILTER (WHERE first_reply_at <= due_at)::int AS answered_in_time
       FROM handoff_tickets WHERE shop_id = $1 AND created_at >= $3`,
    [shopId, now, since],
  );
  const r = rows[0]!;
  return {
    open: r.open,
    claimed: r.claimed,
    resolved: r.resolved,
    handedBack: r.handed_back,
    breached: r.breached,
    breachedOpen: r.breached_open,
    answeredInTime: r.answered_in_time,
  };
}
