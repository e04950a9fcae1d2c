// A tool: its name, the description the model reads, zod schemas of what it takes and returns,
// execute(ctx, input), and the facts the rest of the code needs about it — whether it only reads or
// writes, whether the shopper must confirm it first, what it is about. Every list of tools (the
// read-only ones, the order tools, the writes an eval must not see unasked) is derived from these
// facts in tools/index.ts, so adding a tool is its own file plus its test. `ctx` carries the caller
// from the verified token, so the model can never choose whose data a tool reads. toAiTools() adapts
// the definitions to the AI SDK, closing over ctx per request.
import { tool, type Tool } from 'ai';
import type { z } from 'zod';
import type { ToolContext, Tier } from '../src/context.ts';
import { AppError } from '../src/errors.ts';

/** What a tool returns instead of throwing: a structured error the model can explain. */
export interface ToolError {
  error: { code: string; message: string };
}

export interface ToolDef<Name extends string = string, I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: Name;
  description: string;
  input: I;
  /** What a successful call returns; readers of results (the offline model, MCP clients) go by it. */
  output: O;
  /** 'read' only looks; 'write' changes the shopper's data (a claim, a request, a vote …). */
  effect: 'read' | 'write';
  /**
   * A write that spends or cannot be undone (points, an after-sales request, a vote): it runs only
   * after the shopper has confirmed the exact action, so nothing is spent or filed on the model's
   * reading of a message alone.
   */
  confirm?: boolean;
  /** Tools about the shopper's orders: when one breaks, a person takes over (a tool_failure hand-off). */
  subject?: 'orders';
  /** The order a call is about, when its input names one. */
  orderOf?(input: z.infer<I>): string | undefined;
  /** Tiers that may use it; the model only sees the tools its caller may use. Default: all. */
  tiers?: readonly Tier[];
  execute(ctx: ToolContext, input: z.infer<I>): Promise<z.infer<O> | ToolError>;
}

/** Any tool definition, whatever its schemas. */
export type AnyToolDef = ToolDef<string, any, any>;

/** What a successful call of this tool returns. */
export type ToolOutput<T extends AnyToolDef> = z.infer<T['output']>;
/** What this tool takes. */
export type ToolInput<T extends AnyToolDef> = z.infer<T['input']>;

export function defineTool<const Name extends string, I extends z.ZodType, O extends z.ZodType>(def: ToolDef<Name, I, O>): ToolDef<Name, I, O> {
  return def;
}

export function toolError(code: string, message: string): ToolError {
  return { error: { code, message } };
}
export function isToolError(v: unknown): v is ToolError {
  return typeof v === 'object' && v !== null && 'error' in v;
}

/** Runs a tool with zod validation of the (untrusted) input; errors become ToolError results. */
export async function runTool<T extends AnyToolDef>(def: T, ctx: ToolContext, rawInput: unknown): Promise<ToolOutput<T> | ToolError> {
  if (def.tiers && !def.tiers.includes(ctx.caller.tier)) {
    return toolError('forbidden', `${def.name} is not available for this shopper`);
  }
  const parsed = def.input.safeParse(rawInput);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    return toolError('invalid', `invalid input for ${def.name}: ${detail}`);
  }
  try {
    return await def.execute(ctx, parsed.data);
  } catch (e) {
    if (e instanceof AppError) return toolError(e.code, e.message);
    ctx.log.error('tool failed', { tool: def.name, err: e as Error });
    return toolError('tool_failed', `${def.name} failed; please try again later`);
  }
}

/**
 * Tool calls one turn may make. The step limit bounds the loop, not the calls within a step: a
 * hijacked model could emit a hundred calls in one step, each a database round trip.
 */
export const TOOL_CALLS_PER_TURN = 20;

/** The AI SDK tool set for one caller's turn: only the tools its tier may use, within the budget. */
export function toAiTools(defs: readonly AnyToolDef[], ctx: ToolContext, budget = TOOL_CALLS_PER_TURN): Record<string, Tool> {
  const out: Record<string, Tool> = {};
  let calls = 0;
  for (const def of defs) {
    if (def.tiers && !def.tiers.includes(ctx.caller.tier)) continue;
    out[def.name] = tool({
      description: def.description,
      inputSchema: def.input,
      execute: async (input: unknown) =>
        ++calls > budget ? toolError('budget_exceeded', `too many tool calls in one turn (at most ${budget})`) : runTool(def, ctx, input),
    });
  }
  return out;
}
