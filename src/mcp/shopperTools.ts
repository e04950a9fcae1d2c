// A shopper's tools over MCP: the agent's own definitions (tools/*.ts: name, description, input and
// output schema), the ones the shopper's tier may use, run with the same context a chat turn gives
// them — the caller from the verified token only. A write that needs the shopper's yes answers with
// a pending action (docs/domain.md §14 Confirmation); confirmAction runs it, cancelAction drops it.
// Arguments are strict over MCP, as the HTTP bodies are: a key a tool does not take (a shopperId, a
// shopId, an input for confirmAction) is refused by name rather than dropped, so no client takes the
// token's data for the one it asked for, or a confirmation for one of what it sent.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { answerActionById } from '../agent/confirmation.ts';
import type { AgentDeps } from '../agent/turn.ts';
import type { ShopperCaller, ToolContext } from '../context.ts';
import { isPendingResult, isToolError, pendingResultSchema, proposeTool, type AnyToolDef } from '../../tools/defineTool.ts';
import { toolsFor } from '../../tools/index.ts';
import { eitherSchema, errorResult, jsonSchemaOf, okResult } from './results.ts';

const answerInput = z.strictObject({ actionId: z.uuid().describe('the actionId of the pending action, as the write returned it') });
const confirmedOutput = z.object({
  confirmed: z.literal(true),
  actionId: z.string(),
  tool: z.string(),
  summary: z.string(),
  result: z.unknown().describe('what the write returned, in its own output schema'),
});
const cancelledOutput = z.object({ cancelled: z.literal(true), actionId: z.string(), tool: z.string(), summary: z.string() });

export const CONFIRM_ACTION = 'confirmAction';
export const CANCEL_ACTION = 'cancelAction';

const ANSWER_TOOLS: Tool[] = [
  {
    name: CONFIRM_ACTION,
    description:
      '提交一项待确认的操作（兑换积分、申请售后、投票等写操作调用后只返回 pending=true 和 actionId）。只有顾客看过 summary 并明确同意后才调用；' +
      '提交的是当时复述的那项操作本身，每个 actionId 只能提交一次，10 分钟内有效。',
    inputSchema: jsonSchemaOf(answerInput, 'input'),
    outputSchema: jsonSchemaOf(confirmedOutput, 'output'),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  },
  {
    name: CANCEL_ACTION,
    description: '放弃一项待确认的操作：顾客不同意或改主意时调用，什么都不会提交。',
    inputSchema: jsonSchemaOf(answerInput, 'input'),
    outputSchema: jsonSchemaOf(cancelledOutput, 'output'),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  },
];

/** The tool's input as MCP takes it: the agent's schema, with no key beside those it names. */
function strictInput(def: AnyToolDef): z.ZodType {
  return def.input instanceof z.ZodObject ? def.input.strict() : def.input;
}

/** Why these arguments are not the tool's, in the words a model's bad call gets (tools/defineTool.ts), or null. */
function refusedArguments(def: AnyToolDef, args: unknown): string | null {
  const parsed = strictInput(def).safeParse(args);
  if (parsed.success) return null;
  return `invalid input for ${def.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`;
}

function listed(def: AnyToolDef): Tool {
  return {
    name: def.name,
    description: def.description,
    inputSchema: jsonSchemaOf(strictInput(def), 'input'),
    outputSchema: def.confirm ? eitherSchema(def.output, pendingResultSchema) : jsonSchemaOf(def.output, 'output'),
    annotations: { readOnlyHint: def.effect === 'read', destructiveHint: def.confirm !== undefined, openWorldHint: false },
  };
}

export interface ShopperTools {
  list(): Tool[];
  /** The result of a call, or null when the caller has no tool of that name. */
  call(name: string, args: unknown): Promise<CallToolResult | null>;
}

export function shopperTools(deps: AgentDeps, caller: ShopperCaller): ShopperTools {
  // No hand-off over MCP: a person takes over a conversation, and an MCP call belongs to none.
  const defs = toolsFor(caller);
  const base: ToolContext = { db: deps.db, embedder: deps.embedder, clock: deps.clock, log: deps.log, caller };
  return {
    list: () => [...defs.map(listed), ...ANSWER_TOOLS],
    async call(name, args) {
      if (name === CONFIRM_ACTION || name === CANCEL_ACTION) return answer(deps, caller, name === CONFIRM_ACTION, args);
      // The embedder the shop's search uses now (its own model once a switch to it completed).
      const ctx = deps.shopModels ? { ...base, embedder: await deps.shopModels.embedderFor(caller.shopId) } : base;
      const def = defs.find((d) => d.name === name);
      if (!def) return null;
      const refused = refusedArguments(def, args ?? {});
      if (refused) return errorResult({ error: { code: 'invalid', message: refused } });
      const out = await proposeTool(def, ctx, args ?? {});
      if (isToolError(out)) return errorResult(out);
      if (isPendingResult(out)) {
        return okResult({ ...out, instruction: `先向顾客复述 summary 并请她确认；她同意后调用 ${CONFIRM_ACTION}（actionId 不变），不同意就调用 ${CANCEL_ACTION}。在此之前什么都没有提交。` });
      }
      // The schema is the contract listed to the client: what it does not name is not sent.
      const checked = def.output.safeParse(out);
      if (checked.success) return okResult(checked.data);
      deps.log.error('tool output does not match its schema', { tool: def.name, issues: checked.error.issues.slice(0, 5) });
      return errorResult({ error: { code: 'tool_failed', message: `${def.name} failed; please try again later` } });
    },
  };
}

async function answer(deps: AgentDeps, caller: ShopperCaller, approved: boolean, args: unknown): Promise<CallToolResult> {
  const parsed = answerInput.safeParse(args ?? {});
  if (!parsed.success) {
    const unknown = parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
    const message = unknown.length
      ? `${unknown.join(', ')}: not an argument; a confirmation runs the action as it was stated, for the token's shopper`
      : 'actionId must be the id a pending action returned';
    return errorResult({ error: { code: 'invalid', message } });
  }
  const r = await answerActionById(deps, caller, parsed.data.actionId, approved);
  if ('error' in r) return errorResult(r);
  const { action, call } = r;
  if (!call) return okResult({ cancelled: true, actionId: action.id, tool: action.tool, summary: action.summary });
  if (isToolError(call.output)) return errorResult(call.output);
  return okResult({ confirmed: true, actionId: action.id, tool: action.tool, summary: action.summary, result: call.output });
}
