// Conversation memory for a turn: a bounded window of stored messages, replayed to the model as the
// standard message parts (tool calls and their results included, so references like "第二个" resolve
// against what was really shown), plus a running summary of what fell out of the window.
import type { ModelMessage } from 'ai';
import type { Queryable } from '../db/db.ts';
import { recentMessages, saveSummary, type Conversation, type StoredMessage } from '../domain/conversations/repo.ts';

export const WINDOW_MESSAGES = 20;
/**
 * A person's message in the window is the model's to know, not its own words: it is replayed as the
 * assistant side of the chat (the shopper saw it there) under this mark, which the system prompt
 * explains, so after a hand-back the AI keeps what staff said and promised and says who said it.
 */
export const STAFF_MARK = '【人工客服】';
const SUMMARY_SOURCE_MESSAGES = 40;
/** The stored messages a turn reads: its window and, before it, what the running summary digests. */
export const MEMORY_MESSAGES = WINDOW_MESSAGES + SUMMARY_SOURCE_MESSAGES;
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
      if (m.content) out.push({ role: 'assistant', content: m.role === 'staff' ? `${STAFF_MARK}${m.content}` : m.content });
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

/**
 * The window (the newest WINDOW_MESSAGES of `messages`, oldest first) and the running summary of the
 * ones before it; with nothing before the window the conversation keeps the summary it has.
 */
export function rememberTurn(messages: readonly StoredMessage[], summary: string): TurnMemory & { summaryChanged: boolean } {
  const window = messages.slice(-WINDOW_MESSAGES);
  const older = messages.slice(0, -WINDOW_MESSAGES).slice(-SUMMARY_SOURCE_MESSAGES);
  const next = older.length ? summarise(older) : summary;
  return { messages: toModelMessages(window), summary: next, summaryChanged: next !== summary };
}

/** Loads the window (the conversation's last message included) and refreshes the running summary. */
export async function loadMemory(db: Queryable, conversation: Conversation): Promise<TurnMemory> {
  const { messages } = await recentMessages(db, conversation.id, MEMORY_MESSAGES);
  const memory = rememberTurn(messages, conversation.summary);
  if (memory.summaryChanged) await saveSummary(db, conversation.id, memory.summary);
  return { messages: memory.messages, summary: memory.summary };
}
