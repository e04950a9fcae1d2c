// In-card delivery: the reminder becomes an assistant message of the shopper's latest card
// conversation (or a new one), with meta {reminderId, occasion}, so that the shopper's reply
// continues that conversation and the agent sees what it said. Runs inside the transaction that
// marks the outbox row sent: the message exists if and only if the row is 'sent'.
import type { Queryable } from '../../db/db.ts';
import { appendMessage, startConversation } from '../conversations/repo.ts';
import type { OccasionName } from './settings.ts';

export interface InCardReminder {
  shopId: string;
  shopperId: number;
  reminderId: number;
  outboxId: number;
  occasion: OccasionName;
  content: string;
}

export async function deliverInCard(tx: Queryable, r: InCardReminder): Promise<{ conversationId: string; messageId: number }> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM conversations WHERE shop_id = $1 AND shopper_id = $2 AND channel = 'card'
      ORDER BY updated_at DESC, created_at DESC LIMIT 1`,
    [r.shopId, r.shopperId],
  );
  const conversationId = rows[0]?.id ?? (await startConversation(tx, r.shopId, r.shopperId)).id;
  const messageId = await appendMessage(tx, r.shopId, conversationId, {
    role: 'assistant',
    content: r.content,
    meta: { kind: 'reminder', reminderId: r.reminderId, occasion: r.occasion, outboxId: r.outboxId },
  });
  return { conversationId, messageId };
}
