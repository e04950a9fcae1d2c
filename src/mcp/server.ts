// One MCP server for one verified caller: the tools that caller may use (a shopper's own, or the
// staff and operator tools of their role), the shop's resources and the card's prompt. Built per
// request (the transport is stateless), so whose data a call reads is only ever the token's.
// The SDK's low-level Server, not McpServer: McpServer lists and checks only object output schemas,
// and a tool here may answer with a union (a result or a refusal) or with a pending action instead.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type ServerResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AgentDeps } from '../agent/turn.ts';
import type { ShopperCaller, StaffIdentity } from '../context.ts';
import { AppError } from '../errors.ts';
import { toolError } from '../../tools/defineTool.ts';
import { CARD_PROMPTS, getCardPrompt } from './prompts.ts';
import { listShopResources, readShopResource } from './resources.ts';
import { errorResult } from './results.ts';
import { CONFIRM_ACTION, shopperTools } from './shopperTools.ts';
import { staffTools } from './staffTools.ts';

export type McpCaller = ShopperCaller | StaffIdentity;

const SHOPPER_INSTRUCTIONS =
  `The shop's AI business card (AI智能名片) for one shopper: every tool reads and writes only this shopper's data. ` +
  `A write that spends or cannot be undone returns pending=true with an actionId and a summary and commits nothing: ` +
  `tell the shopper the summary, and call ${CONFIRM_ACTION} with that actionId only after they say yes.`;
const STAFF_INSTRUCTIONS = `The shop's staff desk and operator reports, for the shop of the token only.`;

/**
 * Registers a handler whose request is checked here, against the SDK's schema for its method: a
 * request it refuses (arguments that are a string, a uri that is a number) is the client's mistake,
 * answered InvalidParams, where the SDK's own check would answer InternalError.
 */
function onRequest<S extends z.ZodType<{ method: string }>>(server: Server, method: string, schema: S, run: (req: z.output<S>) => ServerResult | Promise<ServerResult>): void {
  const anyParams = z.looseObject({ method: z.literal(method), params: z.unknown().optional() });
  server.setRequestHandler(anyParams, (raw) => {
    const req = schema.safeParse(raw);
    if (!req.success) {
      const detail = req.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
      throw new McpError(ErrorCode.InvalidParams, `invalid ${method} request: ${detail}`);
    }
    return run(req.data);
  });
}

interface CallerTools {
  list(): Tool[];
  call(name: string, args: unknown): Promise<CallToolResult | null>;
}

export function createMcpServer(deps: AgentDeps, caller: McpCaller): Server {
  const server = new Server(
    { name: 'laotie-card', version: '0.1.0' },
    {
      capabilities: { tools: {}, resources: {}, prompts: {} },
      instructions: caller.role === 'shopper' ? SHOPPER_INSTRUCTIONS : STAFF_INSTRUCTIONS,
    },
  );
  const tools: CallerTools = caller.role === 'shopper' ? shopperTools(deps, caller) : staffTools(deps, caller);
  // Typed errors of the domain are answers (a missing resource is a not-found); anything else is logged.
  const answered = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof McpError) throw e;
      if (e instanceof AppError) throw new McpError(e.code === 'not_found' ? ErrorCode.InvalidParams : ErrorCode.InvalidRequest, e.message);
      deps.log.error('mcp request failed', { what, err: e as Error });
      throw new McpError(ErrorCode.InternalError, `${what} failed; please try again later`);
    }
  };

  onRequest(server, 'tools/list', ListToolsRequestSchema, () => ({ tools: tools.list() }));
  onRequest(server, 'tools/call', CallToolRequestSchema, async (req) => {
    const { name, arguments: args } = req.params;
    let result: CallToolResult | null;
    try {
      result = await tools.call(name, args);
    } catch (e) {
      deps.log.error('mcp tool failed', { tool: name, err: e as Error });
      return errorResult(toolError('tool_failed', `${name} failed; please try again later`));
    }
    // A tool this caller may not use is one they were never shown: the same answer as no tool at all.
    if (!result) throw new McpError(ErrorCode.InvalidParams, `unknown tool: ${name}`);
    return result;
  });
  onRequest(server, 'resources/list', ListResourcesRequestSchema, () =>
    answered('resources/list', async () => ({ resources: await listShopResources(deps.db, caller.shopId) })),
  );
  onRequest(server, 'resources/read', ReadResourceRequestSchema, (req) => answered('resources/read', () => readShopResource(deps.db, caller.shopId, req.params.uri)));
  onRequest(server, 'prompts/list', ListPromptsRequestSchema, () => ({ prompts: CARD_PROMPTS }));
  onRequest(server, 'prompts/get', GetPromptRequestSchema, (req) => answered('prompts/get', () => getCardPrompt(deps, caller, req.params.name)));
  return server;
}
