// Every action on a ticket, with who and when: the audit trail staff and managers read back.
import type { Queryable } from '../../db/db.ts';

export type TicketAction = 'open' | 'escalate' | 'claim' | 'reply' | 'note' | 'resolve' | 'handback';

export interface ActionRecord {
  id: number;
  action: TicketAction;
  actor: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** 'staff:17' for a person (the role and id from the verified token), 'model' or 'rules' for the AI. */
export function staffActor(role: string, userId: string): string {
  return `${role}:${userId}`;
}

/** An admin (the shop's manager) may close a ticket another person claimed: someone gone home. */
export function actsAsAdmin(actor: string): boolean {
  return actor.startsWith('admin:');
}

export async function recordAction(
  db: Queryable,
  a: { shopId: string; ticketId: number; action: TicketAction; actor: string; payload?: Record<string, unknown>; at: Date },
): Promise<void> {
  await db.query(
    'INSERT INTO ticket_actions (shop_id, ticket_id, action, actor, payload, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)',
    [a.shopId, a.ticketId, a.action, a.actor, JSON.stringify(a.payload ?? {}), a.at],
  );
}

export async function listActions(db: Queryable, shopId: string, ticketId: number): Promise<ActionRecord[]> {
  const { rows } = await db.query<{ id: number; action: TicketAction; actor: string; payload: Record<string, unknown>; created_at: Date }>(
    'SELECT id, action, actor, payload, created_at FROM ticket_actions WHERE shop_id = $1 AND ticket_id = $2 ORDER BY id',
    [shopId, ticketId],
  );
  return rows.map((r) => ({ id: r.id, action: r.action, actor: r.actor, payload: r.payload, createdAt: r.created_at }));
}
