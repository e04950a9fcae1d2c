// The frozen single-turn cases (evals/frozen/singles-*.jsonl): each message played once, in a new
// conversation, as its sample shopper, through runTurn — the code path of POST /v1/chat. A case is
// graded twice: its tool choice (the tools it needed, none it must not use, no write nobody asked
// for, the hand-off when one is due) and in full (also the inputs, the facts of the reply and what
// it must never say).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runTurn } from '../src/agent/runTurn.ts';
import type { ChatTurnResult } from '../src/agent/turn.ts';
import { DEV_ONLY_FILES, Single } from './frozen/validate.ts';
import { argMatches, at, mustNotReasons, readsAsEnglish, replyHasFact, usesOf, type Leaks, type ToolUse } from './grading.ts';
import type { Worlds } from './world.ts';

const FROZEN = fileURLToPath(new URL('./frozen/', import.meta.url));

export type Split = 'dev' | 'test';

interface SplitFile {
  singles: Record<Split, string[]>;
  tasks: Record<Split, string[]>;
}

export function splitOf(): SplitFile {
  return JSON.parse(readFileSync(FROZEN + 'split.json', 'utf8')) as SplitFile;
}

export function readJsonl(file: string): unknown[] {
  return readFileSync(FROZEN + file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);
}

/** Ids to play: those starting with the prefix, or with any of the prefixes; all when none is given. */
export type Only = string | readonly string[];

export function matchesOnly(id: string, only?: Only): boolean {
  if (only === undefined) return true;
  return (typeof only === 'string' ? [only] : only).some((prefix) => id.startsWith(prefix));
}

/** The cases of one split, parsed with the set's own schema. */
export function loadSingles(split: Split, only?: Only): Single[] {
  const ids = new Set(splitOf().singles[split]);
  return readdirSync(FROZEN)
    .filter((f) => /^singles-.*\.jsonl$/.test(f))
    .sort()
    .flatMap((f) =>
      readJsonl(f)
        .map((v) => Single.parse(v))
        .filter((c) => (DEV_ONLY_FILES.has(f) ? split === 'dev' : ids.has(c.id))),
    )
    .filter((c) => matchesOnly(c.id, only));
}

export interface SingleOutcome {
  id: string;
  intent: string;
  shopper: string;
  /** The tools it needed, none it must not use, no unrequested write, the hand-off as due. */
  toolChoice: boolean;
  /** Tool choice, and the inputs, the reply's facts and what it must never say. */
  passed: boolean;
  /** Writes (proposed or done) that the case did not ask for. */
  unrequestedWrites: string[];
  reasons: string[];
  tools: string[];
  reply: string;
  intentPredicted: string;
}

function used(uses: readonly ToolUse[], name: string): boolean {
  return uses.some((u) => u.name === name);
}

/** Whether the turn chose its tools as the case expects, and why not. */
export function gradeToolChoice(c: Single, uses: readonly ToolUse[], handedOver: boolean): { reasons: string[]; unrequested: string[] } {
  const e = c.expect;
  const reasons: string[] = [];
  const names = uses.map((u) => u.name);
  for (const t of e.tools) if (!used(uses, t)) reasons.push(`tool ${t} not used (used: ${names.join(', ') || 'none'})`);
  if (e.anyTools && !e.anyTools.some((alt) => alt.every((t) => used(uses, t)))) {
    reasons.push(`none of ${e.anyTools.map((a) => a.join('+')).join(' | ')} used (used: ${names.join(', ') || 'none'})`);
  }
  for (const t of e.forbidTools ?? []) if (used(uses, t)) reasons.push(`tool ${t} must not be used`);
  const asked = new Set<string>([...e.tools, ...(e.anyTools ?? []).flat()]);
  const unrequested = uses.filter((u) => u.use !== 'read' && !asked.has(u.name)).map((u) => `${u.name} (${u.use})`);
  for (const w of unrequested) reasons.push(`unrequested write: ${w}`);
  if (e.handoff !== undefined && e.handoff !== handedOver) reasons.push(e.handoff ? 'not handed to a person' : 'handed to a person');
  return { reasons, unrequested };
}

/** The rest of a case: inputs, reply facts, language, what must not appear. */
export function gradeReply(c: Single, result: ChatTurnResult, uses: readonly ToolUse[], leaks: Leaks): string[] {
  const e = c.expect;
  const reasons: string[] = [];
  const reply = result.reply;
  for (const [tool, args] of Object.entries(e.toolArgs ?? {})) {
    if (!uses.some((u) => u.name === tool && argMatches(u.input, args))) {
      reasons.push(`no ${tool} call with ${JSON.stringify(args)} (got ${JSON.stringify(uses.filter((u) => u.name === tool).map((u) => u.input))})`);
    }
  }
  for (const want of e.replyIncludes ?? []) {
    if (typeof want === 'string') {
      if (!reply.includes(want)) reasons.push(`reply lacks "${want}"`);
      continue;
    }
    const value = at(uses.find((u) => u.name === want.fromTool && at(u.output, want.path) !== undefined)?.output, want.path);
    if (typeof value !== 'string' && typeof value !== 'number') reasons.push(`no ${want.fromTool}.${want.path} in the tool results`);
    else if (!replyHasFact(reply, value)) reasons.push(`reply lacks ${want.fromTool}.${want.path} = "${value}"`);
  }
  for (const alternatives of e.replyIncludesAny ?? []) {
    if (!alternatives.some((s) => reply.includes(s))) reasons.push(`reply lacks any of ${alternatives.join(' / ')}`);
  }
  for (const s of e.replyExcludes ?? []) if (reply.includes(s)) reasons.push(`reply contains "${s}"`);
  if (e.language === 'en' && !readsAsEnglish(reply)) reasons.push('reply is not in English');
  reasons.push(...mustNotReasons(e.mustNot ?? [], reply, result.toolCalls, leaks));
  return reasons;
}

export async function playSingle(worlds: Worlds, c: Single, canaries: readonly string[]): Promise<SingleOutcome> {
  const world = await worlds.fresh();
  const caller = world.callers.get(c.shopper);
  if (!caller) throw new Error(`${c.id}: no sample shopper ${c.shopper}`);
  const result = await runTurn(world.deps, caller, { message: c.user });
  const uses = usesOf(result.toolCalls);
  const handedOver = result.handoff !== null;
  // Anything written (a write done, a pending action, a ticket) changes the world for the next case.
  if (handedOver || uses.some((u) => u.use !== 'read')) worlds.dirty();
  const choice = gradeToolChoice(c, uses, handedOver);
  const rest = gradeReply(c, result, uses, { canaries, foreign: world.foreign.get(c.shopper) ?? [] });
  const meta = await world.db.query<{ meta: Record<string, unknown> }>('SELECT meta FROM messages WHERE id = $1', [result.messageId]);
  return {
    id: c.id,
    intent: c.intent,
    shopper: c.shopper,
    toolChoice: choice.reasons.length === 0,
    passed: choice.reasons.length === 0 && rest.length === 0,
    unrequestedWrites: choice.unrequested,
    reasons: [...choice.reasons, ...rest],
    tools: uses.map((u) => (u.use === 'read' ? u.name : `${u.name}:${u.use}`)),
    reply: result.reply,
    intentPredicted: String(meta.rows[0]?.meta.intent ?? ''),
  };
}
