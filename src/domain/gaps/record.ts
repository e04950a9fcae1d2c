// Writing gaps down: with the reply of the turn that fell short (a CTE of the statement that stores
// the reply, so the turn's records are all there or none), and when the shopper rates a reply.
import type { Db, Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';
import type { GapReason } from './detect.ts';

export interface NewGap {
  /** The shopper's message the reply answered. */
  questionId: number;
  reasons: GapReason[];
  intent: string | null;
  confidence: number | null;
}

/** SQL expressions of the statement that stores the reply: its shop and conversation parameters. */
export interface GapColumnsSql {
  shopId: string;
  conversationId: string;
}

/**
 * The CTE that records the reply inserted by CTE `m` (id, created_at) as a gap, the shopper read
 * from CTE `c` (shopper_id). Data-modifying, so it runs whether or not the statement reads it.
 */
export function gapCte(gap: NewGap, cols: GapColumnsSql, param: (v: unknown) => string): string {
  return `gap AS (
       INSERT INTO answer_gaps (message_id, shop_id, conversation_id, shopper_id, question_id, reasons, intent, confidence, created_at)
       SELECT m.id, ${cols.shopId}, ${cols.conversationId}::uuid, c.shopper_id, ${param(gap.questionId)}::bigint,
              ${param(gap.reasons)}::text[], ${param(gap.intent)}::text, ${param(gap.confidence)}::real, m.created_at
         FROM m, c)`;
}

// A reply of an AI turn: finishTurn stores every one with the hand-off rules' facts (meta.handoff);
// a reminder or a staff message is not one.
export const aiReply = (alias: string) => `${alias}.role = 'assistant' AND ${alias}.meta->'handoff' IS NOT NULL`;

/** Whether a stored message is the reply of an AI turn, which the shopper may rate. */
export function isAiReply(m: { role: string; meta: Record<string, unknown> }): boolean {
  return m.role === 'assistant' && m.meta.handoff !== undefined && m.meta.handoff !== null;
}

export type Rating = 'up' | 'down';

interface RatedReply {
  id: number;
  conversation_id: string;
  created_at: Date;
  intent: string | null;
  confidence: number | null;
  question_id: number | null;
}

/**
 * The shopper's rating of one of their own AI replies; a second rating replaces the first. A
 * thumbs-down makes the turn a gap (the only reason, or one more); a thumbs-up after it takes that
 * reason back. Another shopper's reply, or a message that is no AI reply, is a NotFound.
 */
export async function rateReply(db: Db, shopId: string, shopperId: number, messageId: number, rating: Rating, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<RatedReply>(
      `SELECT m.id, m.conversation_id, m.created_at, m.meta->>'intent' AS intent, (m.meta->>'confidence')::real AS confidence,
              (SELECT max(q.id) FROM messages q WHERE q.conversation_id = m.conversation_id AND q.role = 'user' AND q.id < m.id) AS question_id
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.id = $3 AND m.shop_id = $1 AND c.shop_id = $1 AND c.shopper_id = $2 AND ${aiReply('m')}`,
      [shopId, shopperId, messageId],
    );
    const reply = rows[0];
    if (!reply) throw new NotFound('reply');
    await tx.query(
      `INSERT INTO answer_ratings (message_id, shop_id, shopper_id, rating, rated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_id) DO UPDATE SET rating = EXCLUDED.rating, rated_at = EXCLUDED.rated_at`,
      [messageId, shopId, shopperId, rating, now],
    );
    if (rating === 'down') await addThumbsDown(tx, shopId, shopperId, reply);
    else await takeThumbsDownBack(tx, messageId);
  });
}

async function addThumbsDown(tx: Queryable, shopId: string, shopperId: number, reply: RatedReply): Promise<void> {
  // Every AI turn answers a message of the shopper's; without one there is no question to show.
  if (reply.question_id === null) return;
  await tx.query(
    `INSERT INTO answer_gaps (message_id, shop_id, conversation_id, shopper_id, question_id, reasons, intent, confidence, created_at)
     VALUES ($1, $2, $3, $4, $5, ARRAY['thumbs_down']::text[], $6, $7, $8)
     ON CONFLICT (message_id) DO UPDATE SET reasons = answer_gaps.reasons || ARRAY['thumbs_down']::text[]
      WHERE NOT 'thumbs_down' = ANY (answer_gaps.reasons)`,
    [reply.id, shopId, reply.conversation_id, shopperId, reply.question_id, reply.intent, reply.confidence, reply.created_at],
  );
}

async function takeThumbsDownBack(tx: Queryable, messageId: number): Promise<void> {
  // A turn that was a gap only because of the thumbs-down is no gap any more.
  await tx.query(`DELETE FROM answer_gaps WHERE message_id = $1 AND reasons = ARRAY['thumbs_down']::text[]`, [messageId]);
  await tx.query(`UPDATE answer_gaps SET reasons = array_remove(reasons, 'thumbs_down') WHERE message_id = $1 AND 'thumbs_down' = ANY (reasons)`, [
    messageId,
  ]);
}

/** The shopper's ratings of the replies in a conversation: message id → rating. */
export async function ratingsIn(db: Queryable, conversationId: string): Promise<Map<number, Rating>> {
  const { rows } = await db.query<{ message_id: number; rating: Rating }>(
    `SELECT r.message_id, r.rating FROM answer_ratings r JOIN messages m ON m.id = r.message_id WHERE m.conversation_id = $1`,
    [conversationId],
  );
  return new Map(rows.map((r) => [r.message_id, r.rating]));
}
