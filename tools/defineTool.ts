// A tool: its name, the description the model reads, a zod input schema and execute(ctx, input).
// `ctx` carries the caller from the verified token, so the model can never choose whose data a tool
// reads. toAiTools() adapts the definitions to the AI SDK, closing over ctx per request.
import { tool, type Tool } from 'ai';
import type { z } from 'zod';
import type { ToolContext, Tier } from '../src/context.ts';
import { AppError } from '../src/errors.ts';

export interface ToolDef<I extends z.ZodType = z.ZodType, O = unknown> {
  name: string;
  description: string;
  input: I;
  /** Tiers that may use it; the model only sees the tools its caller may use. Default: all. */
  tiers?: readonly Tier[];
  execute(ctx: ToolContext, input: z.infer<I>): Promise<O>;
}

export function defineTool<I extends z.ZodType, O>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}

/** What a tool returns instead of throwing: a structured error the model can explain. */
export interface ToolError {
  error: { code: string; message: string };
}
export function toolError(code: string, message: string): ToolError {
  return { error: { code, message } };
}
export function isToolError(v: unknown): v is ToolError {
  return typeof v === 'object' && v !== null && 'error' in v;
}

/** Runs a tool with zod validation of the (untrusted) input; errors become ToolError results. */
export async function runTool<I extends z.ZodType, O>(
  def: ToolDef<I, O>,
  ctx: ToolContext,
  rawInput: unknown,
): Promise<O | ToolError> {
  if (def.tiers && !def.tiers.includes(ctx.caller.tier)) {
    return toolError('forbidden', `${def.name} is not available for this shopper`);
  }
  const parsed = def.input.safeParse(rawInput);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
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
export function toAiTools(defs: readonly ToolDef[], ctx: ToolContext, budget = TOOL_CALLS_PER_TURN): Record<string, Tool> {
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
