// Conversation memory for a turn: a bounded window of stored messages, replayed to the model as the
// standard message parts (tool calls and their results included, so references like "第二个" resolve
// against what was really shown), plus a running summary of what fell out of the window.
import type { ModelMessage } from 'ai';
import type { Queryable } from '../db/db.ts';
import {
  messagesBefore,
  recentMessages,
  saveSummary,
  type Conversation,
  type StoredMessage,
} from '../domain/conversations/repo.ts';

export const WINDOW_MESSAGES = 20;
const SUMMARY_SOURCE_MESSAGES = 40;
const SUMMARY_MAX_CHARS = 800;

export function toModelMessages(stored: readonly StoredMessage[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (const m of stored) {
    if (m.role === 'user') {
      out.push({ role: 'user', content: m.content });
    } else if (m.role === 'assistant' || m.role === 'staff') {
      if (m.toolCalls.length) {
        out.push({
          role: 'assistant',
          content: m.toolCalls.map((c) => ({ type: 'tool-call' as const, toolCallId: c.id, toolName: c.name, input: c.input })),
        });
        out.push({
          role: 'tool',
          content: m.toolCalls.map((c) => ({
            type: 'tool-result' as const,
            toolCallId: c.id,
            toolName: c.name,
            output: { type: 'json' as const, value: (c.output ?? null) as never },
          })),
        });
      }
      if (m.content) out.push({ role: 'assistant', content: m.content });
    }
  }
  return out;
}

/** A short, deterministic digest of older messages: what the shopper asked and what they were told. */
export function summarise(older: readonly StoredMessage[]): string {
  const lines = older
    .filter((m) => m.role === 'user' || m.role === 'assistant' || m.role === 'staff')
    .map((m) => {
      const who = m.role === 'user' ? '顾客' : m.role === 'staff' ? '人工客服' : '助手';
      const tools = m.toolCalls.length ? `（查询: ${m.toolCalls.map((c) => c.name).join(', ')}）` : '';
      return `- ${who}: ${m.content.replace(/\s+/g, ' ').slice(0, 60)}${tools}`;
    });
  const text = lines.join('\n');
  // Keep the newest part: it is what the window has just dropped.
  return text.length > SUMMARY_MAX_CHARS ? '…' + text.slice(text.length - SUMMARY_MAX_CHARS) : text;
}

export interface TurnMemory {
  messages: ModelMessage[];
  summary: string;
}

/** Loads the window (the current user message included) and refreshes the running summary. */
export async function loadMemory(db: Queryable, conversation: Conversation): Promise<TurnMemory> {
  const { messages, olderCount } = await recentMessages(db, conversation.id, WINDOW_MESSAGES);
  let summary = conversation.summary;
  if (olderCount > 0 && messages[0]) {
    const older = await messagesBefore(db, conversation.id, messages[0].id, SUMMARY_SOURCE_MESSAGES);
    const next = summarise(older);
    if (next !== summary) {
      summary = next;
      await saveSummary(db, conversation.id, summary);
    }
  }
  return { messages: toModelMessages(messages), summary };
}
