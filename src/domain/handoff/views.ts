// How a ticket looks to staff (the queue, with the SLA clock) and to the shopper (a person is
// coming, roughly when). Time-dependent fields are computed from `now` in service time.
import { TIER_LABELS } from '../lifecycle/labels.ts';
import { REASON_LABELS, STATUS_LABELS } from './labels.ts';
import { isOnDuty, nextOnDuty, serviceMsBetween } from './serviceHours.ts';
import type { HandoffReason, ServiceHours } from './settings.ts';
import type { QueueRow, Ticket, TicketStatus } from './tickets.ts';

const MINUTE = 60_000;

export interface SlaClock {
  dueAt: string;
  /** Service seconds to the SLA (negative once past); null after the first human reply. */
  secondsLeft: number | null;
  /** Whether the clock is running now (staff on duty); outside hours it waits. */
  running: boolean;
  breached: boolean;
}

export function slaClock(t: Pick<Ticket, 'dueAt' | 'firstReplyAt'>, hours: ServiceHours, now: Date): SlaClock {
  const breached = t.firstReplyAt ? t.firstReplyAt > t.dueAt : now > t.dueAt;
  return {
    dueAt: t.dueAt.toISOString(),
    secondsLeft: t.firstReplyAt ? null : Math.round(serviceMsBetween(now, t.dueAt, hours) / 1000),
    running: !t.firstReplyAt && isOnDuty(now, hours),
    breached,
  };
}

export function ticketView(t: Ticket & { nickname?: string }, hours: ServiceHours, now: Date) {
  return {
    id: t.id,
    conversationId: t.conversationId,
    shopperId: t.shopperId,
    nickname: t.nickname ?? t.summary.who?.nickname ?? '',
    status: t.status,
    statusLabel: STATUS_LABELS[t.status],
    reason: t.reason,
    reasons: t.reasons.map((code) => ({ code, label: REASON_LABELS[code] })),
    source: t.source,
    priority: t.priority,
    tier: t.tier,
    tierLabel: TIER_LABELS[t.tier],
    angry: t.angry,
    slaMinutes: t.slaMinutes,
    sla: slaClock(t, hours, now),
    waitingSeconds: Math.max(0, Math.round(((t.firstReplyAt ?? now).getTime() - t.createdAt.getTime()) / 1000)),
    note: t.note,
    summaryText: t.summaryText,
    claimedBy: t.claimedBy,
    claimedAt: t.claimedAt?.toISOString() ?? null,
    firstReplyAt: t.firstReplyAt?.toISOString() ?? null,
    closedBy: t.closedBy,
    closedAt: t.closedAt?.toISOString() ?? null,
    outcome: t.outcome,
    createdAt: t.createdAt.toISOString(),
  };
}
export type TicketView = ReturnType<typeof ticketView>;

/** The queue as staff see it: each waiting ticket with its place in line, the one its shopper is told. */
export function queueView(rows: readonly QueueRow[], hours: ServiceHours, now: Date) {
  return rows.map((r) => ({ ...ticketView(r, hours, now), place: r.place }));
}

/** What the shopper's chat response says about the handoff (the `handoff` field of POST /v1/chat). */
export interface HandoffStatus {
  ticketId: number;
  status: TicketStatus;
  reason: HandoffReason;
  /** Shoppers a person will help first; null once a person has taken it. */
  position: number | null;
  /** Service minutes to the promised first reply; null once a person has taken it. */
  expectedWithinMinutes: number | null;
  /** Whether staff are on duty now; outside hours the AI keeps helping and the ticket waits. */
  onDuty: boolean;
  /** When staff are back (ISO), outside hours only. */
  backAt: string | null;
}

export function handoffStatus(t: Ticket, hours: ServiceHours, now: Date, ahead: number): HandoffStatus {
  const onDuty = isOnDuty(now, hours);
  const waiting = t.status === 'open';
  const left = Math.max(0, serviceMsBetween(now, t.dueAt, hours));
  return {
    ticketId: t.id,
    status: t.status,
    reason: t.reason,
    position: waiting ? ahead : null,
    expectedWithinMinutes: waiting ? Math.max(1, Math.ceil(left / MINUTE)) : null,
    onDuty,
    backAt: onDuty ? null : (nextOnDuty(now, hours)?.toISOString() ?? null),
  };
}
