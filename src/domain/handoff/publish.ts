// The live events of a ticket: staff consoles refresh their queue, the shopper's page shows that a
// person is coming, has joined, or has handed back to the AI.
import type { Queryable } from '../../db/db.ts';
import { publishEvent } from '../live/events.ts';
import type { Ticket } from './tickets.ts';

export type TicketChange = 'opened' | 'escalated' | 'claimed' | 'replied' | 'note' | 'resolved' | 'handed_back';

// Changes the shopper is told about; notes and escalations are for staff only.
const SHOPPER_CHANGES = new Set<TicketChange>(['opened', 'claimed', 'resolved', 'handed_back']);

/** Call last in a transaction (publishing holds the event lock until commit). */
export async function publishTicketChange(db: Queryable, t: Ticket, change: TicketChange, by: string, mode: 'ai' | 'human'): Promise<void> {
  const base = { shopId: t.shopId, shopperId: t.shopperId, conversationId: t.conversationId, ticketId: t.id };
  await publishEvent(db, {
    ...base,
    kind: 'ticket',
    audience: 'staff',
    payload: { ticketId: t.id, conversationId: t.conversationId, status: t.status, priority: t.priority, change, by, mode },
  });
  if (SHOPPER_CHANGES.has(change)) {
    await publishEvent(db, {
      ...base,
      kind: 'handoff',
      audience: 'all',
      payload: { ticketId: t.id, conversationId: t.conversationId, status: t.status, change, mode },
    });
  }
}
