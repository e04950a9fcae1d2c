// Hands a conversation to a person: the one place where a ticket is opened (by the model's
// requestHandoff tool or the server-side rules), so both paths get the same policy, priority, SLA,
// summary and live events. Outside staff hours the ticket waits and the AI keeps the conversation.
import type { Tier } from '../../context.ts';
import type { Db } from '../../db/db.ts';
import { setConversationMode } from '../conversations/repo.ts';
import { recordAction } from './actions.ts';
import { priorityOf, slaMinutesFor } from './priority.ts';
import { publishTicketChange } from './publish.ts';
import { addServiceMinutes, isOnDuty } from './serviceHours.ts';
import { allowedReasons, loadHandoffRules, type HandoffReason, type ShopHandoffRules } from './settings.ts';
import { buildSummary } from './summary.ts';
import { findOpenTicket, insertTicket, joinTicket, saveTicketSummary, ticketsAhead, type Ticket } from './tickets.ts';
import { handoffStatus, type HandoffStatus } from './views.ts';

export interface EscalationRequest {
  shopId: string;
  conversationId: string;
  shopperId: number;
  tier: Tier;
  reasons: readonly HandoffReason[];
  angry: boolean;
  source: 'model' | 'rules';
  note: string;
}

export interface Escalation {
  ticket: Ticket;
  created: boolean;
  status: HandoffStatus;
}

/** Opens (or joins) the conversation's ticket; null when the shop does not hand these reasons off. */
export async function escalate(db: Db, req: EscalationRequest, now: Date, rules?: ShopHandoffRules): Promise<Escalation | null> {
  const r = rules ?? (await loadHandoffRules(db, req.shopId));
  const reasons = allowedReasons(r.handoff, req.tier, req.reasons);
  if (!reasons.length) return null;
  const priority = priorityOf(req.tier, req.angry);
  const onDuty = isOnDuty(now, r.hours);
  const existing = await findOpenTicket(db, req.conversationId);
  const summary = existing ? null : await buildSummary(db, { ...req, reasons });
  const slaMinutes = slaMinutesFor(req.tier, r.handoff);

  const { ticket, created } = await db.transaction(async (tx) => {
    let opened = existing
      ? { ticket: existing, created: false }
      : await insertTicket(tx, {
          shopId: req.shopId,
          conversationId: req.conversationId,
          shopperId: req.shopperId,
          reasons,
          source: req.source,
          priority,
          tier: req.tier,
          angry: req.angry,
          slaMinutes,
          dueAt: addServiceMinutes(now, slaMinutes, r.hours),
          summary: summary!.summary,
          summaryText: summary!.text,
          note: req.note,
          createdAt: now,
        });
    const t = opened.ticket;
    const adds = reasons.filter((x) => !t.reasons.includes(x));
    const raises = priority > t.priority || (req.angry && !t.angry);
    if (!opened.created && (adds.length || raises)) {
      opened = { ticket: await joinTicket(tx, t.id, { reasons: adds, priority, angry: req.angry, note: req.note }), created: false };
    } else if (!opened.created) {
      // Asked again for the same reason (say, in the morning after a night ticket): nothing to log.
      if (onDuty) await setConversationMode(tx, req.conversationId, 'human');
      return opened;
    }
    // On duty, a person is coming: the AI stops answering. Off duty the AI keeps helping meanwhile.
    if (onDuty) await setConversationMode(tx, req.conversationId, 'human');
    await recordAction(tx, {
      shopId: req.shopId,
      ticketId: opened.ticket.id,
      action: opened.created ? 'open' : 'escalate',
      actor: req.source,
      payload: { reasons, note: req.note, angry: req.angry },
      at: now,
    });
    await publishTicketChange(tx, opened.ticket, opened.created ? 'opened' : 'escalated', req.source, onDuty ? 'human' : 'ai');
    return opened;
  });
  return { ticket, created, status: await statusOf(db, ticket, r, now) };
}

export async function statusOf(db: Db, ticket: Ticket, rules: ShopHandoffRules, now: Date): Promise<HandoffStatus> {
  return handoffStatus(ticket, rules.hours, now, await ticketsAhead(db, ticket));
}

/** Rewrites the summary once the turn that escalated is stored (what the AI tried and said). */
export async function refreshSummary(db: Db, ticket: Ticket): Promise<void> {
  const s = await buildSummary(db, {
    shopId: ticket.shopId,
    shopperId: ticket.shopperId,
    conversationId: ticket.conversationId,
    reasons: ticket.reasons,
    note: ticket.note,
  });
  await saveTicketSummary(db, ticket.id, s.summary, s.text);
}

/** The conversation's open ticket as the shopper may see it, or null (a page reloading mid-handoff). */
export async function openHandoffStatus(db: Db, shopId: string, conversationId: string, now: Date): Promise<HandoffStatus | null> {
  const ticket = await findOpenTicket(db, conversationId);
  if (!ticket || ticket.shopId !== shopId) return null;
  return statusOf(db, ticket, await loadHandoffRules(db, shopId), now);
}
