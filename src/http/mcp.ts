// POST /mcp: the card's tools, resources and prompt over MCP's Streamable HTTP transport, for the
// bearer token of the chat APIs (any role: a shopper gets their own tools, staff and admins theirs).
// Stateless: every request verifies its token and gets a server of its own, so a token that expires
// or a shopper who is erased loses access on the next call, and no session outlives a request.
// Answers are JSON, not a stream: no tool here sends progress, and one body is simpler to proxy.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { Hono } from 'hono';
import type { AgentDeps } from '../agent/turn.ts';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Caller } from '../context.ts';
import { resolveShopperCaller } from '../domain/shoppers/repo.ts';
import { shopExists } from '../domain/shops/repo.ts';
import { NotFound, Unauthorized } from '../errors.ts';
import { createMcpServer, type McpCaller } from '../mcp/server.ts';
import { bearerAuth, type CallerEnv } from './auth.ts';
import { errorBody } from './errors.ts';

export const MCP_PATH = '/mcp';

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', id: null, error: { code, message } });

async function mcpCaller(deps: AgentDeps, caller: Caller): Promise<McpCaller> {
  if (caller.role === 'shopper') {
    // The tier as stored now decides the tools, as in a chat turn.
    const shopper = await resolveShopperCaller(deps.db, caller);
    if (!shopper) throw new Unauthorized('unknown shopper');
    return shopper;
  }
  if (!(await shopExists(deps.db, caller.shopId))) throw new NotFound('shop');
  return caller;
}

export function mcpRoutes(deps: AgentDeps & { tokens: TokenIssuer }) {
  const app = new Hono<CallerEnv>();
  app.use(MCP_PATH, bearerAuth({ tokens: deps.tokens }));

  app.post(MCP_PATH, async (c) => {
    const server = createMcpServer(deps, await mcpCaller(deps, c.get('caller')));
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      const text = await c.req.text();
      const body = parsedJson(text);
      // One request, one message: the rate limit counts requests, and a batch of a hundred tool calls
      // would pass it as one. The protocol dropped batches in 2025-06-18; the SDK's client sends none.
      if (Array.isArray(body)) return c.json(rpcError(ErrorCode.InvalidRequest, 'JSON-RPC batches are not accepted: send one message per request'), 400);
      // Not JSON: the transport reads the body again and answers its own parse error.
      if (body === undefined) return await transport.handleRequest(new Request(c.req.raw.url, { method: 'POST', headers: c.req.raw.headers, body: text }));
      return await transport.handleRequest(c.req.raw, { parsedBody: body });
    } finally {
      await server.close();
    }
  });

  // No session to stream to or end: the transport's stateless form has only POST.
  app.on(['GET', 'DELETE'], MCP_PATH, (c) => {
    c.header('Allow', 'POST');
    return c.json(errorBody('method_not_allowed', 'this MCP endpoint is stateless: send JSON-RPC with POST'), 405);
  });

  return app;
}
