// Conversations and their messages. Every message the shopper sent or was told is stored before the
// turn is acknowledged, so a restart loses nothing and the same conversationId continues after it.
import type { Queryable } from '../../db/db.ts';
import { publishEvent } from '../live/events.ts';

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
  createdAt: Date;
}

export interface NewMessage {
  role: MessageRole;
  content: string;
  toolCalls?: StoredToolCall[];
  meta?: Record<string, unknown>;
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

export async function startConversation(db: Queryable, shopId: string, shopperId: number, channel = 'card'): Promise<Conversation> {
  const { rows } = await db.query<ConversationRow>(
    `INSERT INTO conversations (shop_id, shopper_id, channel) VALUES ($1, $2, $3)
     RETURNING id, shop_id, shopper_id, mode, summary, state`,
    [shopId, shopperId, channel],
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

/** A stored message as pages see it (live events, the staff console). */
export function messageView(m: StoredMessage, conversationId: string) {
  return {
    id: m.id,
    conversationId,
    role: m.role,
    content: m.content,
    toolCalls: m.toolCalls.map(({ name, input, output }) => ({ name, input, output })),
    ...(m.role === 'staff' ? { staffId: m.meta.staffId ?? null } : {}),
    createdAt: m.createdAt.toISOString(),
  };
}

// What pages are told about: the conversation itself, not the tool plumbing or system notes.
const LIVE_ROLES: ReadonlySet<MessageRole> = new Set(['user', 'assistant', 'staff']);

export async function appendMessage(db: Queryable, shopId: string, conversationId: string, m: NewMessage): Promise<number> {
  const toolCalls = m.toolCalls ?? [];
  const meta = m.meta ?? {};
  const { rows } = await db.query<{ id: number; created_at: Date; shopper_id: number }>(
    `WITH m AS (
       INSERT INTO messages (shop_id, conversation_id, role, content, tool_calls, meta)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) RETURNING id, created_at),
     c AS (UPDATE conversations SET updated_at = now() WHERE id = $2 RETURNING shopper_id)
     SELECT m.id, m.created_at, c.shopper_id FROM m, c`,
    [shopId, conversationId, m.role, m.content, JSON.stringify(toolCalls), JSON.stringify(meta)],
  );
  const row = rows[0]!;
  if (LIVE_ROLES.has(m.role)) {
    // The staff console and the shopper's other tabs follow the conversation live (and resume after a restart).
    const stored: StoredMessage = { id: row.id, role: m.role, content: m.content, toolCalls, meta, createdAt: row.created_at };
    await publishEvent(db, {
      shopId,
      shopperId: row.shopper_id,
      conversationId,
      ticketId: null,
      kind: 'message',
      audience: 'all',
      payload: messageView(stored, conversationId),
    });
  }
  return row.id;
}

/** Who answers the shopper now: the AI, or a person after a handoff. */
export async function setConversationMode(db: Queryable, conversationId: string, mode: 'ai' | 'human'): Promise<void> {
  await db.query('UPDATE conversations SET mode = $2 WHERE id = $1', [conversationId, mode]);
}

/** The text of the shopper's last message, or null before they wrote anything. */
export async function lastUserMessage(db: Queryable, conversationId: string): Promise<string | null> {
  const { rows } = await db.query<{ content: string }>(
    `SELECT content FROM messages WHERE conversation_id = $1 AND role = 'user' ORDER BY id DESC LIMIT 1`,
    [conversationId],
  );
  return rows[0]?.content ?? null;
}

/** The meta of the conversation's last AI reply (what the handoff rules noted about that turn). */
export async function lastAssistantMeta(db: Queryable, conversationId: string): Promise<Record<string, unknown> | null> {
  const { rows } = await db.query<{ meta: Record<string, unknown> }>(
    `SELECT meta FROM messages WHERE conversation_id = $1 AND role = 'assistant' ORDER BY id DESC LIMIT 1`,
    [conversationId],
  );
  return rows[0]?.meta ?? null;
}

interface MessageRow {
  id: number;
  role: MessageRole;
  content: string;
  tool_calls: StoredToolCall[];
  meta: Record<string, unknown>;
  created_at: Date;
}
const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  role: r.role,
  content: r.content,
  toolCalls: r.tool_calls ?? [],
  meta: r.meta ?? {},
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
    'SELECT id, role, content, tool_calls, meta, created_at FROM messages WHERE conversation_id = $1 ORDER BY id',
    [conversationId],
  );
  return rows.map(toMessage);
}

/** Messages older than the window, oldest first, for the running summary. */
export async function messagesBefore(db: Queryable, conversationId: string, beforeId: number, limit: number): Promise<StoredMessage[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT id, role, content, tool_calls, meta, created_at FROM messages
     WHERE conversation_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`,
    [conversationId, beforeId, limit],
  );
  return rows.reverse().map(toMessage);
}

export async function saveSummary(db: Queryable, conversationId: string, summary: string): Promise<void> {
  await db.query('UPDATE conversations SET summary = $2 WHERE id = $1', [conversationId, summary]);
}
