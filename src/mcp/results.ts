// What a tool call answers over MCP: the value as JSON text and as structured content (what an
// outputSchema describes), or an error result the client's model can read — never a protocol error
// for something the caller's input or data explains.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolError } from '../../tools/defineTool.ts';

export function okResult(value: unknown): CallToolResult {
  // Structured content is plain JSON: dates become their ISO strings, as a client will read them.
  const data = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  const structured = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : { value: data };
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

export function errorResult(e: ToolError): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(e) }], isError: true };
}

type JsonSchemaObject = { type: 'object'; [k: string]: unknown };

/** A zod schema as the JSON Schema MCP lists (an input schema as it is sent, an output as it is returned). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchemaObject {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  // MCP wants an object schema at the top; a union of objects (a result or a refusal) says so beside its branches.
  return { ...json, type: 'object' };
}

/** The output schema of a tool whose calls may also answer with another shape (a pending action). */
export function eitherSchema(a: z.ZodType, b: z.ZodType): JsonSchemaObject {
  return { type: 'object', anyOf: [jsonSchemaOf(a, 'output'), jsonSchemaOf(b, 'output')] };
}
