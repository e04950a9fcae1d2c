// Reads the prompt the AI SDK hands the model into turns: what the shopper said, which tools ran with
// which input and what they returned, and what was answered. The model keeps no state of its own —
// everything it remembers ("第二个", "便宜点的") is read back from here, as the agent loop replays it.
import type { LanguageModelV3Prompt, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';

/** A tool's answer: its value, or the error it reported ({ error: { code, message } } or a thrown error). */
export type ToolOutcome =
  | { ok: true; value: unknown }
  | { ok: false; code: string; message: string };

export interface ToolExchange {
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** undefined while the call has no result in the prompt (never the case for a finished step). */
  outcome?: ToolOutcome;
}

export interface Turn {
  user: string;
  exchanges: ToolExchange[];
  reply: string;
}

export interface Conversation {
  /** Earlier turns, oldest first. The window may start mid-turn: its first user text is then ''. */
  history: Turn[];
  /** The turn being answered: the shopper's last message and the tools already run for it. */
  current: Turn;
  /** Model steps already taken in this turn (assistant messages after the last user message). */
  stepsTaken: number;
}

function asRecord(v: unknown): Record<string, unknown> {
  if (typeof v === 'string') {
    try {
      return asRecord(JSON.parse(v));
    } catch {
      return {};
    }
  }
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorOf(value: unknown): ToolOutcome | null {
  const err = asRecord(value).error;
  if (!err || typeof err !== 'object') return null;
  const e = err as Record<string, unknown>;
  return { ok: false, code: typeof e.code === 'string' ? e.code : 'tool_failed', message: typeof e.message === 'string' ? e.message : '' };
}

export function toOutcome(output: LanguageModelV3ToolResultOutput): ToolOutcome {
  switch (output.type) {
    case 'json':
      return errorOf(output.value) ?? { ok: true, value: output.value };
    case 'text': {
      const value = parseMaybeJson(output.value);
      return errorOf(value) ?? { ok: true, value };
    }
    case 'error-json':
      return errorOf(output.value) ?? { ok: false, code: 'tool_failed', message: '' };
    case 'error-text':
      return { ok: false, code: 'tool_failed', message: output.value };
    case 'execution-denied':
      return { ok: false, code: 'denied', message: output.reason ?? '' };
    case 'content': {
      const text = output.value.map((p) => (p.type === 'text' ? p.text : '')).join('');
      const value = parseMaybeJson(text);
      return errorOf(value) ?? { ok: true, value };
    }
  }
}

const newTurn = (user: string): Turn => ({ user, exchanges: [], reply: '' });

export function readConversation(prompt: LanguageModelV3Prompt): Conversation {
  const turns: Turn[] = [];
  let turn: Turn | undefined;
  let stepsSinceUser = 0;
  const byId = new Map<string, ToolExchange>();
  for (const message of prompt) {
    if (message.role === 'system') continue;
    if (message.role === 'user') {
      turn = newTurn(message.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n').trim());
      turns.push(turn);
      stepsSinceUser = 0;
      continue;
    }
    if (!turn) {
      turn = newTurn('');
      turns.push(turn);
    }
    if (message.role === 'assistant') {
      stepsSinceUser++;
      for (const part of message.content) {
        if (part.type === 'text') turn.reply += part.text;
        else if (part.type === 'tool-call') {
          const ex: ToolExchange = { id: part.toolCallId, name: part.toolName, input: asRecord(part.input) };
          turn.exchanges.push(ex);
          byId.set(ex.id, ex);
        } else if (part.type === 'tool-result') {
          attach(byId, part.toolCallId, toOutcome(part.output));
        }
      }
    } else {
      for (const part of message.content) {
        if (part.type === 'tool-result') attach(byId, part.toolCallId, toOutcome(part.output));
      }
    }
  }
  const current = turns.pop() ?? newTurn('');
  return { history: turns, current, stepsTaken: stepsSinceUser };
}

function attach(byId: Map<string, ToolExchange>, id: string, outcome: ToolOutcome): void {
  const ex = byId.get(id);
  if (ex) ex.outcome = outcome;
}
