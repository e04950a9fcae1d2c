// The staff and operator tools over MCP: thin wrappers of the domain functions the staff and admin
// routes call (src/http/staff.ts, admin.ts, knowledge.ts, reminders.ts), with the same roles; the
// shop is the token's, so another shop's ticket is "not found" like a missing one: the hand-off
// queue, a ticket, the desk's actions on it (claim, reply, resolve, hand back, with the inputs of
// the staff routes), the tier report, the knowledge documents and the reminder outbox. Arguments
// are strict, as the routes' bodies are: a key a tool does not take is refused, not ignored.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Deps, StaffIdentity } from '../context.ts';
import { staffActor } from '../domain/handoff/actions.ts';
import { claimTicket, handBackTicket, replyToShopper, resolveTicket, type StaffMember } from '../domain/handoff/desk.ts';
import { ticketDetail } from '../domain/handoff/detail.ts';
import { staffQueue, staffTicketView } from '../domain/handoff/queue.ts';
import { handbackFields, replyFields, resolveFields } from '../domain/handoff/staffInput.ts';
import { listDocuments } from '../domain/knowledge/repo.ts';
import { resolvePeriod, tierReport } from '../domain/lifecycle/reports.ts';
import { listDeliveries } from '../domain/reminders/outbox.ts';
import { AppError } from '../errors.ts';
import { typable } from '../text/typable.ts';
import { toolError } from '../../tools/defineTool.ts';
import { errorResult, jsonSchemaOf, okResult } from './results.ts';

interface StaffToolDef<I extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  input: I;
  roles: readonly StaffIdentity['role'][];
  effect: 'read' | 'write';
  execute(deps: Deps, caller: StaffIdentity, input: z.infer<I>): Promise<unknown>;
}

const staffTool = <I extends z.ZodType>(def: StaffToolDef<I>): StaffToolDef => def as unknown as StaffToolDef;
const member = (caller: StaffIdentity): StaffMember => ({ shopId: caller.shopId, actor: staffActor(caller.role, caller.staffId) });

const ticketId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('the ticket id, from listHandoffQueue');
const STAFF = ['staff', 'admin'] as const;
const ADMIN = ['admin'] as const;

export const STAFF_TOOLS: readonly StaffToolDef[] = [
  staffTool({
    name: 'listHandoffQueue',
    description: 'The shop\'s hand-off queue (转人工队列): open tickets by priority, then waiting time, with the SLA time left.',
    input: z.strictObject({}),
    roles: STAFF,
    effect: 'read',
    execute: (deps, caller) => staffQueue(deps.db, caller.shopId, deps.clock.now()),
  }),
  staffTool({
    name: 'getTicket',
    description: 'One hand-off ticket: the summary for staff, the conversation, the shopper\'s profile and orders.',
    input: z.strictObject({ ticketId }),
    roles: STAFF,
    effect: 'read',
    execute: (deps, caller, { ticketId }) => ticketDetail(deps.db, caller.shopId, ticketId, deps.clock.now()),
  }),
  staffTool({
    name: 'claimTicket',
    description:
      'Take an open ticket (认领): the shopper\'s conversation is then yours to answer and the AI stays quiet. A ticket someone else has claimed, or one already resolved or handed back, refuses it with a conflict naming why.',
    input: z.strictObject({ ticketId }),
    roles: STAFF,
    effect: 'write',
    async execute(deps, caller, { ticketId }) {
      const now = deps.clock.now();
      return { ticket: await staffTicketView(deps.db, await claimTicket(deps.db, member(caller), ticketId, now), now) };
    },
  }),
  staffTool({
    name: 'replyToTicket',
    description:
      'Reply to the ticket\'s shopper as a person of the shop (the message is sent to the shopper at once). An open ticket is claimed by the reply; a ticket claimed by someone else refuses it.',
    input: z.strictObject({ ticketId, ...replyFields }),
    roles: STAFF,
    effect: 'write',
    async execute(deps, caller, { ticketId, text }) {
      const now = deps.clock.now();
      const { ticket, messageId } = await replyToShopper(deps.db, member(caller), ticketId, text, now);
      return { messageId, ticket: await staffTicketView(deps.db, ticket, now) };
    },
  }),
  staffTool({
    name: 'resolveTicket',
    description:
      'Resolve a ticket (结单) with what was done, and give the conversation back to the AI. Final: a resolved ticket cannot be claimed, answered or resolved again. A ticket claimed by someone else is theirs (or an admin\'s) to resolve.',
    input: z.strictObject({ ticketId, ...resolveFields }),
    roles: STAFF,
    effect: 'write',
    async execute(deps, caller, { ticketId, outcome }) {
      const now = deps.clock.now();
      return { ticket: await staffTicketView(deps.db, await resolveTicket(deps.db, member(caller), ticketId, outcome, now), now) };
    },
  }),
  staffTool({
    name: 'handBackTicket',
    description:
      'Hand the conversation back to the AI (交还 AI) without resolving anything, with an optional note. Closes the ticket; a ticket claimed by someone else is theirs (or an admin\'s) to hand back.',
    input: z.strictObject({ ticketId, ...handbackFields }),
    roles: STAFF,
    effect: 'write',
    async execute(deps, caller, { ticketId, note }) {
      const now = deps.clock.now();
      return { ticket: await staffTicketView(deps.db, await handBackTicket(deps.db, member(caller), ticketId, note, now), now) };
    },
  }),
  staffTool({
    name: 'getTierReport',
    description:
      'The tier report (会员等级报表): tier distribution and movements, 30-day retention, repurchase rate, AOV, GMV, referred new shoppers, referral GMV against rewards. Default period: the last 30 days.',
    input: z.strictObject({
      from: typable().max(40).optional().describe('YYYY-MM-DD (local day of the shop) or an ISO instant'),
      to: typable().max(40).optional().describe('YYYY-MM-DD (inclusive) or an ISO instant; default now'),
    }),
    roles: ADMIN,
    effect: 'read',
    async execute(deps, caller, q) {
      return tierReport(deps.db, caller.shopId, await resolvePeriod(deps.db, caller.shopId, q, deps.clock.now()));
    },
  }),
  staffTool({
    name: 'listKnowledgeDocuments',
    description: 'The shop\'s knowledge documents (policies, FAQ) with their version and chunk count; read one as a resource.',
    input: z.strictObject({}),
    roles: ADMIN,
    effect: 'read',
    async execute(deps, caller) {
      return { documents: await listDocuments(deps.db, caller.shopId) };
    },
  }),
  staffTool({
    name: 'listOutbox',
    description: 'The reminder outbox (提醒发件箱): deliveries newest first, with attempts and last error; filter by state.',
    input: z.strictObject({ state: z.enum(['pending', 'sent', 'failed', 'dead', 'cancelled']).optional() }),
    roles: ADMIN,
    effect: 'read',
    async execute(deps, caller, { state }) {
      return { deliveries: await listDeliveries(deps.db, caller.shopId, state, 100) };
    },
  }),
];

export function staffTools(deps: Deps, caller: StaffIdentity) {
  const defs = STAFF_TOOLS.filter((d) => d.roles.includes(caller.role));
  return {
    list: (): Tool[] =>
      defs.map((d) => ({
        name: d.name,
        description: d.description,
        inputSchema: jsonSchemaOf(d.input, 'input'),
        // A write here closes or takes a ticket, or speaks to a shopper: none can be undone.
        annotations: { readOnlyHint: d.effect === 'read', destructiveHint: d.effect === 'write', openWorldHint: false },
      })),
    async call(name: string, args: unknown): Promise<CallToolResult | null> {
      const def = defs.find((d) => d.name === name);
      if (!def) return null;
      const parsed = def.input.safeParse(args ?? {});
      if (!parsed.success) {
        return errorResult(toolError('invalid', parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')));
      }
      try {
        return okResult(await def.execute(deps, caller, parsed.data));
      } catch (e) {
        if (e instanceof AppError) return errorResult(toolError(e.code, e.message));
        throw e;
      }
    },
  };
}
