// What every intent's flow works with, and what it returns: the next tool calls, or the reply. A flow
// is a pure function of the understood message and the tools already run this turn, so calling it
// again after each tool step continues where the last step left off. Tools are named by their own
// definitions (tools/*.ts), and their results read through the tools' output schemas.
import type { AnyToolDef, ToolInput, ToolOutput } from '../../../tools/defineTool.ts';
import type { ResolvedContext } from './contract.ts';
import type { ToolExchange, Turn } from './conversation.ts';
import type { Say } from './replies.ts';
import { resultOf } from './results.ts';
import type { ToolBox, ToolCallPlan } from './toolbox.ts';
import type { Understanding } from './understand.ts';

/** The next tool calls, or the reply (with the short answers the shopper can tap, when it asks). */
export type Decision = { kind: 'calls'; calls: ToolCallPlan[] } | { kind: 'reply'; text: string; quickReplies?: string[] };

export interface Flow {
  u: Understanding;
  ctx: ResolvedContext;
  tools: ToolBox;
  say: Say;
  /** This turn's tool calls so far. */
  turn: Turn;
}

export type FlowFn = (f: Flow) => Decision;

export const reply = (text: string): Decision => ({ kind: 'reply', text });

/** A reply with the answers the shopper can tap, when it offers some. */
export const replyWith = (r: { text: string; quickReplies?: string[] }): Decision =>
  r.quickReplies?.length ? { kind: 'reply', text: r.text, quickReplies: r.quickReplies } : reply(r.text);

/** The latest exchange of a tool in this turn. */
export function latest(f: Flow, tool: AnyToolDef): ToolExchange | undefined {
  return f.turn.exchanges.filter((e) => e.name === tool.name).at(-1);
}

export function allOf(f: Flow, tool: AnyToolDef): ToolExchange[] {
  return f.turn.exchanges.filter((e) => e.name === tool.name);
}

/** The value of this turn's latest successful call of a tool, as the tool declares it. */
export function valueOf<T extends AnyToolDef>(f: Flow, tool: T): ToolOutput<T> | undefined {
  return resultOf(tool, latest(f, tool));
}

/** The error code of this turn's latest call of a tool, when it failed. */
export function errorOf(f: Flow, tool: AnyToolDef): string | undefined {
  const ex = latest(f, tool);
  return ex?.outcome && !ex.outcome.ok ? ex.outcome.code : undefined;
}

/** Tool input as a flow builds it: the tool's fields, any of them possibly left out. */
export type PlannedInput<T extends AnyToolDef> = { [K in keyof ToolInput<T>]?: ToolInput<T>[K] | undefined };

/** A call of one tool; when the tool is not offered (or the input lacks what it requires), the fallback reply. */
export function callOr<T extends AnyToolDef>(f: Flow, tool: T, input: PlannedInput<T>, fallback: () => string): Decision {
  const plan = f.tools.plan(tool, input);
  return plan ? { kind: 'calls', calls: [plan] } : reply(fallback());
}

/** The honest answer when a capability's tool is not offered to this shopper. */
export function cannot(f: Flow, capability: string): () => string {
  return () => f.say.t('common.cannot', { what: f.say.t(`capability.${capability}`) });
}
