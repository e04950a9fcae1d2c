// Conversations and their messages. Every message the shopper sent or was told is stored before the
// turn is acknowledged, so a restart loses nothing and the same conversationId continues after it.
import type { Queryable } from '../../db/db.ts';
import { gapCte, type NewGap } from '../gaps/record.ts';
import { publishingCtes } from '../live/events.ts';
import { shopperProfileSql, toShopperProfile, type ShopperProfile, type ShopperProfileRow } from '../shoppers/repo.ts';

export interface Conversation {
  id: string;
  shopId: string;
  shopperId: number;
  mode: 'ai' | 'human';
  summary: string;
  state: Record<string, unknown>;
}

export interface StoredToolCall {
  id: string;
  name: string;
  input: unknown;
  output: unknown;
}

export type MessageRole = 'user' | 'assistant' | 'tool' | 'staff' | 'system';

export interface StoredMessage {
  id: number;
  role: MessageRole;
  content: string;
  toolCalls: StoredToolCall[];
  meta: Record<string, unknown>;
  /** Which model wrote an AI reply (null for other messages, and for replies stored before it was kept). */
  answeredBy?: AnsweredBy | null;
  createdAt: Date;
}

export interface AnsweredBy {
  source: 'offline' | 'service' | 'shop';
  model: string;
}

export interface NewMessage {
  /** An id reserved earlier (turnStartState); a fresh one when omitted. */
  id?: number;
  role: MessageRole;
  content: string;
  toolCalls?: StoredToolCall[];
  meta?: Record<string, unknown>;
  answeredBy?: AnsweredBy;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ConversationRow {
  id: string;
  shop_id: string;
  shopper_id: number;
  mode: 'ai' | 'human';
  summary: string;
  state: Record<string, unknown>;
}
const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  shopId: r.shop_id,
  shopperId: r.shopper_id,
  mode: r.mode,
  summary: r.summary,
  state: r.state ?? {},
});

/** A new conversation; `id` when the turn chose it before writing (see turnStartState). */
export async function startConversation(
  db: Queryable,
  shopId: string,
  shopperId: number,
  opts: { channel?: string; id?: string } = {},
): Promise<Conversation> {
  const { rows } = await db.query<ConversationRow>(
    `INSERT INTO conversations (id, shop_id, shopper_id, channel) VALUES (coalesce($4::uuid, gen_random_uuid()), $1, $2, $3)
     RETURNING id, shop_id, shopper_id, mode, summary, state`,
    [shopId, shopperId, opts.channel ?? 'card', opts.id ?? null],
  );
  return toConversation(rows[0]!);
}

/** The caller's own conversation, or null — another shopper's id looks exactly like a missing one. */
export async function findOwnConversation(
  db: Queryable,
  shopId: string,
  shopperId: number,
  conversationId: string,
): Promise<Conversation | null> {
  if (!UUID.test(conversationId)) return null;
  const { rows } = await db.query<ConversationRow>(
    `SELECT id, shop_id, shopper_id, mode, summary, state FROM conversations
     WHERE id = $1 AND shop_id = $2 AND shopper_id = $3`,
    [conversationId, shopId, shopperId],
  );
  return rows[0] ? toConversation(rows[0]) : null;
}

/**
 * A stored message as the staff console sees it: an AI reply with the model that wrote it. Live
 * events (which reach the shopper's pages too) leave that out: which vendor a shop uses is the shop's.
 */
export function messageView(m: StoredMessage, conversationId: string) {
  const answeredBy = m.role === 'assistant' ? { answeredBy: m.answeredBy ?? null } : {};
  return { id: m.id, ...messageFields(m, conversationId), ...answeredBy, createdAt: m.createdAt.toISOString() };
}

/** messageView but for the id and the time, which the database gives. */
function messageFields(m: Pick<StoredMessage, 'role' | 'content' | 'toolCalls' | 'meta'>, conversationId: string) {
  return {
    conversationId,
    role: m.role,
    content: m.content,
    toolCalls: m.toolCalls.map(({ name, input, output }) => ({ name, input, output })),
    ...(m.role === 'staff' ? { staffId: m.meta.staffId ?? null } : {}),
  };
}

// Date.prototype.toISOString in SQL (both cut to the millisecond), for views built by a statement.
const isoTime = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Message ids come from the identity's own sequence, whether taken on insert or reserved before it:
// a chat turn names the shopper's message at once (turnStartState) and writes it while the model
// is answering. Ids still grow in the order they are taken.
const NEXT_MESSAGE_ID = "nextval(pg_get_serial_sequence('messages', 'id'))";

// What pages are told about: the conversation itself, not the tool plumbing or system notes.
const LIVE_ROLES: ReadonlySet<MessageRole> = new Set(['user', 'assistant', 'staff']);

export interface AppendOptions {
  /** The conversation is new: the same statement starts it, with the id the caller chose. */
  start?: { shopperId: number; channel?: string };
  /** The conversation's new running summary, written by the same statement. */
  summary?: string;
  /** The reply is of a turn that fell short: recorded by the same statement (domain/gaps). */
  gap?: NewGap;
}

/**
 * Stores a message and touches its conversation; a message pages follow (LIVE_ROLES) is published
 * as a live event by the same statement. One round trip: a turn acknowledges only after its reply is
 * stored, so every statement here is on the shopper's wait.
 */
export async function appendMessage(
  db: Queryable,
  shopId: string,
  conversationId: string,
  m: NewMessage,
  opts: AppendOptions = {},
): Promise<number> {
  const toolCalls = m.toolCalls ?? [];
  const meta = m.meta ?? {};
  const params: unknown[] = [
    shopId,
    conversationId,
    m.role,
    m.content,
    JSON.stringify(toolCalls),
    JSON.stringify(meta),
    m.id ?? null,
    m.answeredBy?.source ?? null,
    m.answeredBy?.model ?? null,
  ];
  const param = (v: unknown) => `$${params.push(v)}`;
  // A conversation's first message starts it; a sibling UPDATE could not see a row this statement inserts.
  const conversation = opts.start
    ? `INSERT INTO conversations (id, shop_id, shopper_id, channel, summary)
       VALUES ($2, $1, ${param(opts.start.shopperId)}, ${param(opts.start.channel ?? 'card')}, ${param(opts.summary ?? '')})
       RETURNING shopper_id`
    : `UPDATE conversations SET updated_at = now()${opts.summary !== undefined ? `, summary = ${param(opts.summary)}` : ''}
       WHERE id = $2 RETURNING shopper_id`;
  // The staff console and the shopper's other tabs follow the conversation live (and resume after a restart).
  const live = LIVE_ROLES.has(m.role)
    ? publishingCtes(
        {
          shopId: '$1',
          shopperId: 'c.shopper_id',
          conversationId: '$2',
          ticketId: 'NULL',
          kind: "'message'",
          audience: "'all'",
          payload: `(${param(JSON.stringify(messageFields({ role: m.role, content: m.content, toolCalls, meta }, conversationId)))}::jsonb
                     || jsonb_build_object('id', m.id, 'createdAt', ${isoTime('m.created_at')}))`,
        },
        'm, c',
      )
    : null;
  const gap = opts.gap ? gapCte(opts.gap, { shopId: '$1', conversationId: '$2' }, param) : null;
  const { rows } = await db.query<{ id: number }>(
    `WITH m AS (
       INSERT INTO messages (id, shop_id, conversation_id, role, content, tool_calls, meta, model_source, model) OVERRIDING SYSTEM VALUE
       VALUES (coalesce($7::bigint, ${NEXT_MESSAGE_ID}), $1, $2, $3, $4, $5::jsonb, $6::jsonb, $8, $9) RETURNING id, created_at),
     c AS (${conversation})${live ? `,\n     ${live}` : ''}${gap ? `,\n     ${gap}` : ''}
     SELECT m.id${live ? ', (SELECT count(*) FROM published) AS events' : ''} FROM m, c`,
    params,
  );
  return rows[0]!.id;
}

/** Who answers the shopper now: the AI, or a person after a handoff. */
export async function setConversationMode(db: Queryable, conversationId: string, mode: 'ai' | 'human'): Promise<void> {
  await db.query('UPDATE conversations SET mode = $2 WHERE id = $1', [conversationId, mode]);
}

interface MessageRow {
  id: number;
  role: MessageRole;
  content: string;
  tool_calls: StoredToolCall[];
  meta: Record<string, unknown>;
  model_source?: AnsweredBy['source'] | null;
  model?: string | null;
  created_at: Date;
}
const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  role: r.role,
  content: r.content,
  toolCalls: r.tool_calls ?? [],
  meta: r.meta ?? {},
  answeredBy: r.model_source && r.model ? { source: r.model_source, model: r.model } : null,
  createdAt: r.created_at,
});

/** The newest `limit` messages in time order, and how many older ones exist. */
export async function recentMessages(
  db: Queryable,
  conversationId: string,
  limit: number,
): Promise<{ messages: StoredMessage[]; olderCount: number }> {
  const { rows } = await db.query<MessageRow & { total: number }>(
    `SELECT id, role, content, tool_calls, meta, created_at, count(*) OVER () AS total
     FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2`,
    [conversationId, limit],
  );
  const total = rows[0]?.total ?? 0;
  return { messages: rows.reverse().map(toMessage), olderCount: Math.max(0, total - rows.length) };
}

export async function allMessages(db: Queryable, conversationId: string): Promise<StoredMessage[]> {
  const { rows } = await db.query<MessageRow>(
    'SELECT id, role, content, tool_calls, meta, model_source, model, created_at FROM messages WHERE conversation_id = $1 ORDER BY id',
    [conversationId],
  );
  return rows.map(toMessage);
}

export async function saveSummary(db: Queryable, conversationId: string, summary: string): Promise<void> {
  await db.query('UPDATE conversations SET summary = $2 WHERE id = $1', [conversationId, summary]);
}

/** What a chat turn starts from, read in one statement (turnStartState). */
export interface TurnStartState {
  /** The shopper the token names, as stored now; null when unknown in the shop or erased. */
  shopper: ShopperProfile | null;
  /**
   * The conversation the turn continues: null for a new one, 'not_found' when the id given is not
   * the shopper's own conversation (or does not exist).
   */
  conversation: Conversation | null | 'not_found';
  /** Its newest `limit` messages, oldest first. */
  recent: StoredMessage[];
  /** The meta of the last AI reply (what the handoff rules noted about that turn), or null. */
  lastAssistantMeta: Record<string, unknown> | null;
  /** An id reserved for the shopper's new message. */
  messageId: number;
  /** An action the card stated waits in the conversation for the shopper's yes. */
  hasPendingAction: boolean;
}

interface MessageJson extends Omit<MessageRow, 'created_at'> {
  created_at: string;
}

/**
 * Everything a turn reads before its model call, in one round trip: the shopper (whose tier decides
 * persona and tools), their own conversation `conversationId` with its newest messages and the last
 * AI reply's meta (when continuing one), and an id for the message about to be written.
 */
export async function turnStartState(
  db: Queryable,
  shopId: string,
  shopperId: number,
  conversationId: string | undefined,
  limit: number,
): Promise<TurnStartState> {
  const continuing = conversationId !== undefined;
  const sql = continuing
    ? `WITH own AS (
         SELECT id, shop_id, shopper_id, mode, summary, state FROM conversations WHERE id = $3 AND shop_id = $1 AND shopper_id = $2)
       SELECT (SELECT row_to_json(s) FROM (${shopperProfileSql('$1', '$2')}) s) AS shopper,
              (SELECT row_to_json(own) FROM own) AS conversation,
              (SELECT coalesce(json_agg(r ORDER BY r.id), '[]'::json) FROM (
                 SELECT id, role, content, tool_calls, meta, created_at FROM messages
                  WHERE conversation_id = (SELECT id FROM own) ORDER BY id DESC LIMIT $4) r) AS recent,
              (SELECT meta FROM messages WHERE conversation_id = (SELECT id FROM own) AND role = 'assistant'
                ORDER BY id DESC LIMIT 1) AS last_meta,
              EXISTS (SELECT 1 FROM pending_actions WHERE shop_id = $1 AND conversation_id = (SELECT id FROM own)
                       AND state = 'pending') AS has_pending,
              ${NEXT_MESSAGE_ID} AS message_id`
    : `SELECT (SELECT row_to_json(s) FROM (${shopperProfileSql('$1', '$2')}) s) AS shopper, ${NEXT_MESSAGE_ID} AS message_id`;
  // An id that is no UUID names no conversation (and would make the uuid comparison fail).
  const params = continuing ? [shopId, shopperId, UUID.test(conversationId) ? conversationId : null, limit] : [shopId, shopperId];
  const { rows } = await db.query<{
    shopper: ShopperProfileRow | null;
    conversation?: ConversationRow | null;
    recent?: MessageJson[];
    last_meta?: Record<string, unknown> | null;
    has_pending?: boolean;
    message_id: number;
  }>(sql, params, { prepare: true });
  const r = rows[0]!;
  return {
    shopper: r.shopper ? toShopperProfile(r.shopper) : null,
    conversation: !continuing ? null : r.conversation ? toConversation(r.conversation) : 'not_found',
    recent: (r.recent ?? []).map((m) => toMessage({ ...m, created_at: new Date(m.created_at) })),
    lastAssistantMeta: r.last_meta ?? null,
    messageId: r.message_id,
    hasPendingAction: r.has_pending === true,
  };
}
