// Pending actions (docs/domain.md §14 Confirmation): a write the card proposed and the shopper has
// not yet confirmed. Kept per conversation (or, over MCP, by id alone); the state moves from
// 'pending' exactly once — confirmed, declined, dropped (the shopper moved on) or expired.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/db.ts';

/** How long a stated action waits for the shopper's yes. */
export const PENDING_TTL_MS = 10 * 60_000;

export type PendingState = 'pending' | 'confirmed' | 'declined' | 'dropped' | 'expired';

export interface PendingAction {
  id: string;
  shopId: string;
  shopperId: number;
  conversationId: string | null;
  tool: string;
  input: Record<string, unknown>;
  summary: string;
  state: PendingState;
  result: unknown;
  createdAt: Date;
  expiresAt: Date;
}

interface Row {
  id: string;
  shop_id: string;
  shopper_id: number;
  conversation_id: string | null;
  tool: string;
  input: Record<string, unknown>;
  summary: string;
  state: PendingState;
  result: unknown;
  created_at: Date;
  expires_at: Date;
}

const COLUMNS = 'id, shop_id, shopper_id, conversation_id, tool, input, summary, state, result, created_at, expires_at';

export function toPendingAction(r: Row): PendingAction {
  return {
    id: r.id,
    shopId: r.shop_id,
    shopperId: r.shopper_id,
    conversationId: r.conversation_id,
    tool: r.tool,
    input: r.input,
    summary: r.summary,
    state: r.state,
    result: r.result ?? null,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
  };
}

export interface NewPendingAction {
  shopId: string;
  shopperId: number;
  conversationId: string | null;
  tool: string;
  input: Record<string, unknown>;
  summary: string;
}

/**
 * Keeps a stated action for the shopper's yes. In a conversation it replaces the one still waiting
 * there (one statement: the older is dropped and the newer kept together).
 */
export async function proposeAction(db: Queryable, a: NewPendingAction, now: Date, ttlMs = PENDING_TTL_MS): Promise<PendingAction> {
  const id = randomUUID();
  const { rows } = await db.query<Row>(
    `WITH dropped AS (
       UPDATE pending_actions SET state = 'dropped', resolved_at = $8
        WHERE $4::uuid IS NOT NULL AND conversation_id = $4 AND state = 'pending'
     )
     INSERT INTO pending_actions (id, shop_id, shopper_id, conversation_id, tool, input, summary, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING ${COLUMNS}`,
    [id, a.shopId, a.shopperId, a.conversationId, a.tool, JSON.stringify(a.input), a.summary, now, new Date(now.getTime() + ttlMs)],
  );
  return toPendingAction(rows[0]!);
}

/** The action waiting in a conversation, whether or not it has expired by now. */
export async function pendingInConversation(db: Queryable, shopId: string, conversationId: string): Promise<PendingAction | null> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM pending_actions WHERE shop_id = $1 AND conversation_id = $2 AND state = 'pending'`,
    [shopId, conversationId],
  );
  return rows[0] ? toPendingAction(rows[0]) : null;
}

/** One of the shopper's actions by id (MCP confirms by id), whatever its state. */
export async function findOwnAction(db: Queryable, shopId: string, shopperId: number, id: string): Promise<PendingAction | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM pending_actions WHERE shop_id = $1 AND shopper_id = $2 AND id = $3`, [
    shopId,
    shopperId,
    id,
  ]);
  return rows[0] ? toPendingAction(rows[0]) : null;
}

/**
 * Ends a waiting action. For 'confirmed' only one caller wins (the statement flips the row from
 * 'pending' and returns it); an action past its time is expired instead, and null is returned.
 */
export async function settleAction(db: Queryable, shopId: string, id: string, to: Exclude<PendingState, 'pending'>, now: Date): Promise<PendingAction | null> {
  const { rows } = await db.query<Row>(
    `UPDATE pending_actions
        SET state = CASE WHEN $3 = 'confirmed' AND expires_at <= $4 THEN 'expired' ELSE $3 END, resolved_at = $4
      WHERE shop_id = $1 AND id = $2 AND state = 'pending'
      RETURNING ${COLUMNS}`,
    [shopId, id, to, now],
  );
  const r = rows[0];
  if (!r) return null;
  return r.state === to ? toPendingAction(r) : null;
}

/** What the confirmed action did, kept beside it. */
export async function recordResult(db: Queryable, shopId: string, id: string, result: unknown): Promise<void> {
  await db.query('UPDATE pending_actions SET result = $3 WHERE shop_id = $1 AND id = $2', [shopId, id, JSON.stringify(result)]);
}
