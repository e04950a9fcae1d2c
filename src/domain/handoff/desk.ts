// What staff do with a ticket: claim it, reply to the shopper, leave internal notes, resolve it or
// hand the conversation back to the AI. Each action is one transaction that also logs who did it
// and publishes the live events last (see live/events.ts on why last).
import type { Db, Queryable } from '../../db/db.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { appendMessage, setConversationMode } from '../conversations/repo.ts';
import { actsAsAdmin, recordAction } from './actions.ts';
import { publishTicketChange } from './publish.ts';
import { claimOpenTicket, closeTicket, findShopTicket, markFirstReply, type Ticket } from './tickets.ts';

/** A staff member acting for their own shop; actor is 'staff:<id>' or 'admin:<id>'. */
export interface StaffMember {
  shopId: string;
  actor: string;
}

async function mustFind(db: Queryable, staff: StaffMember, id: number, lock = false): Promise<Ticket> {
  const t = await findShopTicket(db, staff.shopId, id, lock);
  if (!t) throw new NotFound('ticket');
  return t;
}

function refuseClosed(t: Ticket): void {
  if (t.status === 'resolved' || t.status === 'handed_back') throw new Conflict(`ticket is already ${t.status}`, { status: t.status });
}

/** Exactly one of several staff claiming at once wins; the others get a Conflict naming the winner. */
export async function claimTicket(db: Db, staff: StaffMember, id: number, now: Date): Promise<Ticket> {
  return db.transaction(async (tx) => {
    const claimed = await claimOpenTicket(tx, staff.shopId, id, staff.actor, now);
    if (!claimed) {
      const t = await mustFind(tx, staff, id);
      refuseClosed(t);
      throw new Conflict(`ticket already claimed by ${t.claimedBy}`, { claimedBy: t.claimedBy });
    }
    await setConversationMode(tx, claimed.conversationId, 'human');
    await recordAction(tx, { shopId: staff.shopId, ticketId: id, action: 'claim', actor: staff.actor, at: now });
    await publishTicketChange(tx, claimed, 'claimed', staff.actor, 'human');
    return claimed;
  });
}

/** The shopper sees the reply in the same conversation as a person's (role 'staff'). */
export async function replyToShopper(db: Db, staff: StaffMember, id: number, text: string, now: Date): Promise<{ ticket: Ticket; messageId: number }> {
  return db.transaction(async (tx) => {
    let t = await mustFind(tx, staff, id, true);
    refuseClosed(t);
    let claimedNow = false;
    if (t.status === 'open') {
      // Answering an open ticket takes it: nobody else should answer the same shopper at once.
      t = (await claimOpenTicket(tx, staff.shopId, id, staff.actor, now))!;
      claimedNow = true;
      await recordAction(tx, { shopId: staff.shopId, ticketId: id, action: 'claim', actor: staff.actor, at: now });
    } else if (t.claimedBy !== staff.actor) {
      throw new Conflict(`ticket is claimed by ${t.claimedBy}`, { claimedBy: t.claimedBy });
    }
    await markFirstReply(tx, id, now);
    await setConversationMode(tx, t.conversationId, 'human');
    await recordAction(tx, { shopId: staff.shopId, ticketId: id, action: 'reply', actor: staff.actor, payload: { text }, at: now });
    const messageId = await appendMessage(tx, staff.shopId, t.conversationId, {
      role: 'staff',
      content: text,
      meta: { staffId: staff.actor, ticketId: id },
    });
    const ticket = { ...t, firstReplyAt: t.firstReplyAt ?? now };
    if (claimedNow) await publishTicketChange(tx, ticket, 'claimed', staff.actor, 'human');
    await publishTicketChange(tx, ticket, 'replied', staff.actor, 'human');
    return { ticket, messageId };
  });
}

/** Internal: staff only, never shown to the shopper. */
export async function addNote(db: Db, staff: StaffMember, id: number, text: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const t = await mustFind(tx, staff, id);
    await recordAction(tx, { shopId: staff.shopId, ticketId: id, action: 'note', actor: staff.actor, payload: { text }, at: now });
    await publishTicketChange(tx, t, 'note', staff.actor, t.status === 'claimed' ? 'human' : 'ai');
  });
}

/**
 * Resolving or handing back closes the ticket and gives the conversation back to the AI. A claimed
 * ticket is its claimer's to close (or an admin's), as it is theirs to answer; an open one, anyone's.
 */
export async function closeByStaff(
  db: Db,
  staff: StaffMember,
  id: number,
  how: { status: 'resolved' | 'handed_back'; outcome: string },
  now: Date,
): Promise<Ticket> {
  return db.transaction(async (tx) => {
    const current = await mustFind(tx, staff, id, true);
    refuseClosed(current);
    if (current.status === 'claimed' && current.claimedBy !== staff.actor && !actsAsAdmin(staff.actor)) {
      throw new Conflict(`ticket is claimed by ${current.claimedBy}; only they or an admin can close it`, { claimedBy: current.claimedBy });
    }
    // The row is locked: nobody can have closed or claimed it since the read.
    const t = (await closeTicket(tx, staff.shopId, id, { status: how.status, by: staff.actor, outcome: how.outcome, at: now }))!;
    await setConversationMode(tx, t.conversationId, 'ai');
    await recordAction(tx, {
      shopId: staff.shopId,
      ticketId: id,
      action: how.status === 'resolved' ? 'resolve' : 'handback',
      actor: staff.actor,
      payload: { outcome: how.outcome },
      at: now,
    });
    await publishTicketChange(tx, t, how.status, staff.actor, 'ai');
    return t;
  });
}

/** A ticket is resolved with what was done for the shopper; resolved is final, as handed back is. */
export function resolveTicket(db: Db, staff: StaffMember, id: number, outcome: string, now: Date): Promise<Ticket> {
  return closeByStaff(db, staff, id, { status: 'resolved', outcome }, now);
}

/** The conversation goes back to the AI; the note, when there is one, is the ticket's outcome. */
export function handBackTicket(db: Db, staff: StaffMember, id: number, note: string | undefined, now: Date): Promise<Ticket> {
  return closeByStaff(db, staff, id, { status: 'handed_back', outcome: note || 'handed back to the AI' }, now);
}
