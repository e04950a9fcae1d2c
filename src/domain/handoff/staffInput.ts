// What staff send with a ticket action, defined once for the staff routes (src/http/staff.ts) and
// the staff tools over MCP (src/mcp/staffTools.ts), so a reply, an outcome or a hand-back note has
// the same limits whichever way it comes in.
import { z } from 'zod';
import { typable } from '../../text/typable.ts';

const text = (max: number) => typable().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

export const replyFields = { text: text(2000).describe('the reply, in the shop\'s voice') };
export const noteFields = { text: text(2000) };
export const resolveFields = { outcome: text(500).describe('what was done for the shopper (kept with the ticket)') };
export const handbackFields = { note: typable().trim().max(500).optional().describe('why the AI takes over again (kept with the ticket)') };
