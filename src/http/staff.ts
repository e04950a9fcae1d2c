// The staff API (role staff or admin, own shop only): the queue with SLA clocks, a ticket with its
// conversation, summary, profile and orders, and the actions — claim, reply, note, resolve, hand
// back — plus the reply the AI would suggest. Another shop's ticket is a 404, like a missing one.
import { Hono } from 'hono';
import { z } from 'zod';
import { suggestReply } from '../agent/runTurn.ts';
import type { AgentDeps } from '../agent/turn.ts';
import type { TokenIssuer } from '../auth/tokens.ts';
import { staffActor } from '../domain/handoff/actions.ts';
import { addNote, claimTicket, handBackTicket, replyToShopper, resolveTicket, type StaffMember } from '../domain/handoff/desk.ts';
import { requireShopTicket, ticketDetail } from '../domain/handoff/detail.ts';
import { staffQueue, staffStats, staffTicketView } from '../domain/handoff/queue.ts';
import { handbackFields, noteFields, replyFields, resolveFields } from '../domain/handoff/staffInput.ts';
import { Invalid, NotFound } from '../errors.ts';
import { staffAuth, type StaffEnv } from './auth.ts';
import { jsonBody, parseOr400 } from './errors.ts';

const replyBody = z.strictObject(replyFields);
const noteBody = z.strictObject(noteFields);
const resolveBody = z.strictObject(resolveFields);
const handbackBody = z.strictObject(handbackFields);
const statsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new Invalid('body must be valid JSON');
  }
}

function ticketId(raw: string): number {
  // Anything that is not a ticket id names no ticket: the same 404 as a missing one.
  if (!/^\d{1,15}$/.test(raw)) throw new NotFound('ticket');
  return Number(raw);
}

export function staffRoutes(deps: AgentDeps & { tokens: TokenIssuer }) {
  const app = new Hono<StaffEnv>();
  app.use('/v1/staff/*', staffAuth({ tokens: deps.tokens, db: deps.db, roles: ['staff', 'admin'] }));
  const now = () => deps.clock.now();
  const member = (c: { get(k: 'caller'): StaffEnv['Variables']['caller'] }): StaffMember => {
    const caller = c.get('caller');
    return { shopId: caller.shopId, actor: staffActor(caller.role, caller.staffId) };
  };

  app.get('/v1/staff/queue', async (c) => c.json(await staffQueue(deps.db, c.get('caller').shopId, now())));

  app.get('/v1/staff/stats', async (c) => {
    const { days } = parseOr400(statsQuery, c.req.query(), 'query');
    return c.json(await staffStats(deps.db, c.get('caller').shopId, now(), days));
  });

  app.get('/v1/staff/tickets/:id', async (c) =>
    c.json(await ticketDetail(deps.db, c.get('caller').shopId, ticketId(c.req.param('id')), now())),
  );

  app.post('/v1/staff/tickets/:id/claim', async (c) => {
    const ticket = await claimTicket(deps.db, member(c), ticketId(c.req.param('id')), now());
    return c.json({ ticket: await staffTicketView(deps.db, ticket, now()) });
  });

  app.post('/v1/staff/tickets/:id/reply', async (c) => {
    const id = ticketId(c.req.param('id'));
    const body = await jsonBody(c, replyBody);
    const { ticket, messageId } = await replyToShopper(deps.db, member(c), id, body.text, now());
    return c.json({ messageId, ticket: await staffTicketView(deps.db, ticket, now()) });
  });

  app.post('/v1/staff/tickets/:id/notes', async (c) => {
    const id = ticketId(c.req.param('id'));
    const body = await jsonBody(c, noteBody);
    await addNote(deps.db, member(c), id, body.text, now());
    return c.json({ ok: true }, 201);
  });

  app.post('/v1/staff/tickets/:id/resolve', async (c) => {
    const id = ticketId(c.req.param('id'));
    const body = await jsonBody(c, resolveBody);
    const ticket = await resolveTicket(deps.db, member(c), id, body.outcome, now());
    return c.json({ ticket: await staffTicketView(deps.db, ticket, now()) });
  });

  app.post('/v1/staff/tickets/:id/handback', async (c) => {
    const id = ticketId(c.req.param('id'));
    // The body is optional: a bare POST hands back without a note.
    const raw = await c.req.text();
    const body = raw.trim() ? parseOr400(handbackBody, parseJson(raw)) : {};
    const ticket = await handBackTicket(deps.db, member(c), id, body.note, now());
    return c.json({ ticket: await staffTicketView(deps.db, ticket, now()) });
  });

  app.get('/v1/staff/tickets/:id/suggestion', async (c) => {
    const ticket = await requireShopTicket(deps.db, c.get('caller').shopId, ticketId(c.req.param('id')));
    return c.json(await suggestReply(deps, ticket));
  });

  return app;
}
