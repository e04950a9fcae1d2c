// The staff queue and the SLA figures managers read.
import type { Queryable } from '../../db/db.ts';
import { latestEventId } from '../live/events.ts';
import { isOnDuty } from './serviceHours.ts';
import { loadHandoffRules } from './settings.ts';
import { listOpenTickets, ticketStats, type Ticket } from './tickets.ts';
import { queueView, ticketView } from './views.ts';

const DAY = 86_400_000;

export async function staffQueue(db: Queryable, shopId: string, now: Date) {
  const rules = await loadHandoffRules(db, shopId);
  const liveCursor = await latestEventId(db, shopId);
  const rows = await listOpenTickets(db, shopId);
  return {
    tickets: queueView(rows, rules.hours, now),
    onDuty: isOnDuty(now, rules.hours),
    serviceHours: rules.hours,
    liveCursor,
  };
}

export async function staffStats(db: Queryable, shopId: string, now: Date, days: number) {
  const rules = await loadHandoffRules(db, shopId);
  const counts = await ticketStats(db, shopId, now, new Date(now.getTime() - days * DAY));
  return { days, ...counts, slaMinutes: rules.handoff.slaMinutes, serviceHours: rules.hours };
}

/** A ticket as staff see it now (after an action). */
export async function staffTicketView(db: Queryable, ticket: Ticket, now: Date) {
  const { hours } = await loadHandoffRules(db, ticket.shopId);
  return ticketView(ticket, hours, now);
}
