// Live events: one row per thing a page should see (a message, a ticket change), numbered by a
// sequence so that a client resuming with Last-Event-ID reads exactly what it missed, from any
// replica. NOTIFY carries only enough to wake the right subscribers; the rows are the truth.
import type { Queryable } from '../../db/db.ts';

export const LIVE_CHANNEL = 'laotie_live';
// Taken by every insert until its transaction commits, so ids become visible in id order: a reader
// that has seen id N can never later find a smaller id committed behind it.
const PUBLISH_LOCK = 72_410_006;

export type LiveKind = 'message' | 'ticket' | 'handoff';
export type LiveAudience = 'all' | 'staff';

export interface NewLiveEvent {
  shopId: string;
  shopperId: number | null;
  conversationId: string | null;
  ticketId: number | null;
  kind: LiveKind;
  audience: LiveAudience;
  payload: Record<string, unknown>;
}

export interface LiveEvent extends NewLiveEvent {
  id: number;
  createdAt: Date;
}

/** What a NOTIFY says: which event, whose, in which schema (channels are database-wide). */
export interface LiveWake {
  id: number;
  schema: string;
  shopId: string;
  shopperId: number | null;
  audience: LiveAudience;
}

/** Who is reading: a shop's staff see every event of the shop, a shopper their own of audience 'all'. */
export type LiveReader = { shopId: string; role: 'staff' } | { shopId: string; role: 'shopper'; shopperId: number };

export function canSee(reader: LiveReader, e: Pick<LiveWake, 'shopId' | 'shopperId' | 'audience'>): boolean {
  if (reader.shopId !== e.shopId) return false;
  return reader.role === 'staff' || (e.audience === 'all' && e.shopperId === reader.shopperId);
}

/** SQL expressions for the columns of an event written inside a larger statement (see publishingCtes). */
export interface EventColumnsSql {
  shopId: string;
  shopperId: string;
  conversationId: string;
  ticketId: string;
  kind: string;
  audience: string;
  payload: string;
}

/**
 * The CTEs that store an event and wake every replica, for a statement that also writes what the
 * event tells of: one round trip instead of two. `from` names the statement's other CTEs the
 * columns read from. The statement's final SELECT must read `published` (an unread CTE never runs).
 * The lock is held to the commit, so inside a transaction the statement should be its last.
 */
export function publishingCtes(cols: EventColumnsSql, from = ''): string {
  return `locked AS (SELECT pg_advisory_xact_lock(${PUBLISH_LOCK})),
     inserted_event AS (
       INSERT INTO live_events (shop_id, shopper_id, conversation_id, ticket_id, kind, audience, payload)
       SELECT ${cols.shopId}::text, ${cols.shopperId}::bigint, ${cols.conversationId}::uuid, ${cols.ticketId}::bigint,
              ${cols.kind}::text, ${cols.audience}::text, ${cols.payload}::jsonb
         FROM locked${from ? `, ${from}` : ''}
       RETURNING id, shop_id, shopper_id, audience),
     published AS (
       SELECT id, pg_notify('${LIVE_CHANNEL}', json_build_object(
                'id', id, 'schema', current_schema(), 'shop', shop_id, 'shopper', shopper_id, 'audience', audience)::text)
         FROM inserted_event)`;
}

/**
 * Stores the event and wakes every replica. One statement, so the lock is held to its commit even
 * outside a transaction; inside one, call it last (it holds the lock until the commit).
 */
export async function publishEvent(db: Queryable, e: NewLiveEvent): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `WITH ${publishingCtes({ shopId: '$1', shopperId: '$2', conversationId: '$3', ticketId: '$4', kind: '$5', audience: '$6', payload: '$7' })}
     SELECT id FROM published`,
    [e.shopId, e.shopperId, e.conversationId, e.ticketId, e.kind, e.audience, JSON.stringify(e.payload)],
  );
  return rows[0]!.id;
}

export function parseWake(payload: string): LiveWake | null {
  try {
    const p = JSON.parse(payload) as { id?: unknown; schema?: unknown; shop?: unknown; shopper?: unknown; audience?: unknown };
    if (typeof p.id !== 'number' || typeof p.shop !== 'string' || typeof p.schema !== 'string') return null;
    return {
      id: p.id,
      schema: p.schema,
      shopId: p.shop,
      shopperId: typeof p.shopper === 'number' ? p.shopper : null,
      audience: p.audience === 'all' ? 'all' : 'staff',
    };
  } catch {
    return null;
  }
}

interface EventRow {
  id: number;
  shop_id: string;
  shopper_id: number | null;
  conversation_id: string | null;
  ticket_id: number | null;
  kind: LiveKind;
  audience: LiveAudience;
  payload: Record<string, unknown>;
  created_at: Date;
}

/** The reader's events after `afterId`, oldest first. */
export async function eventsAfter(db: Queryable, reader: LiveReader, afterId: number, limit: number): Promise<LiveEvent[]> {
  const shopper = reader.role === 'shopper' ? reader.shopperId : null;
  const { rows } = await db.query<EventRow>(
    `SELECT id, shop_id, shopper_id, conversation_id, ticket_id, kind, audience, payload, created_at
       FROM live_events
      WHERE shop_id = $1 AND id > $2
        AND ($3::bigint IS NULL OR (shopper_id = $3::bigint AND audience = 'all'))
      ORDER BY id LIMIT $4`,
    [reader.shopId, afterId, shopper, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    shopId: r.shop_id,
    shopperId: r.shopper_id,
    conversationId: r.conversation_id,
    ticketId: r.ticket_id,
    kind: r.kind,
    audience: r.audience,
    payload: r.payload,
    createdAt: r.created_at,
  }));
}

/** The schema this database handle works in: wakes from other schemas are not ours. */
export async function currentSchema(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
  return rows[0]!.schema;
}

/** The newest event id of the shop: where a new client without Last-Event-ID starts. */
export async function latestEventId(db: Queryable, shopId: string): Promise<number> {
  const { rows } = await db.query<{ id: number | null }>('SELECT max(id) AS id FROM live_events WHERE shop_id = $1', [shopId]);
  return rows[0]?.id ?? 0;
}

/**
 * Wakes for the events after `afterId`, as their NOTIFYs would have said: what a hub whose LISTEN
 * connection was lost re-announces once it is back (ids commit in order, so nothing hides behind).
 */
export async function wakesAfter(db: Queryable, afterId: number, limit: number): Promise<LiveWake[]> {
  const { rows } = await db.query<{ id: number; schema: string; shop_id: string; shopper_id: number | null; audience: LiveAudience }>(
    `SELECT id, current_schema() AS schema, shop_id, shopper_id, audience FROM live_events WHERE id > $1 ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((r) => ({ id: r.id, schema: r.schema, shopId: r.shop_id, shopperId: r.shopper_id, audience: r.audience }));
}

/** The newest event id of every shop: where a hub starts counting what it has seen. */
export async function newestEventId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: number | null }>('SELECT max(id) AS id FROM live_events');
  return rows[0]?.id ?? 0;
}
