// The offline model: our own deterministic LanguageModelV3 for merchants without a model key. Each
// call reads the prompt (the conversation with every earlier tool call and result), understands the
// last message, and answers with the next tool calls or the reply — the AI SDK's tool loop runs the
// tools and calls again. No network, no randomness: the same prompt gives the same output.
import type {
  JSONObject,
  JSONValue,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { Embedder } from '../../embed/embedder.ts';
import { OFFLINE_PROVIDER, readTurnInput, toProviderMetadata } from './contract.ts';
import { readConversation, type Conversation } from './conversation.ts';
import type { IntentModel } from './intentModel.ts';
import { createIntentClassifier, type IntentClassifier } from './intents.ts';
import type { Decision } from './flow.ts';
import { decide } from './policy.ts';
import { ToolBox } from './toolbox.ts';
import type { Slots } from './slots.ts';
import { countTokens } from './tokens.ts';
import { understandOncePerTurn } from './understandOnce.ts';

export const OFFLINE_MODEL_ID = 'laotie-offline-v1';

// Streamed text arrives in pieces of about this many characters, cut after punctuation where possible.
const CHUNK = 12;

const tokens = countTokens;

// The system prompt is the same long text on every call of a shop: its count is kept, not counted
// again each step. Counting message by message adds up to counting them joined by newlines.
const SYSTEM_COUNTS_KEPT = 64;
const systemCounts = new Map<string, number>();

function systemTokens(text: string): number {
  let n = systemCounts.get(text);
  if (n === undefined) {
    n = tokens(text);
    if (systemCounts.size >= SYSTEM_COUNTS_KEPT) systemCounts.delete(systemCounts.keys().next().value!);
    systemCounts.set(text, n);
  }
  return n;
}

function promptTokens(options: LanguageModelV3CallOptions): number {
  let n = 0;
  for (const m of options.prompt) {
    if (typeof m.content === 'string') n += m.role === 'system' ? systemTokens(m.content) : tokens(m.content);
    else n += tokens(m.content.map((p) => ('text' in p ? p.text : JSON.stringify(p))).join(''));
  }
  return n;
}

function usage(options: LanguageModelV3CallOptions, output: string): LanguageModelV3Usage {
  const input = promptTokens(options);
  const out = tokens(output);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: out, text: out, reasoning: 0 },
  };
}

/** Ids unique in the conversation and stable for the same prompt: turn, step, position. */
function callIds(conv: Conversation, count: number): string[] {
  const taken = new Set([...conv.history, conv.current].flatMap((t) => t.exchanges.map((e) => e.id)));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    let id = `laotie-${conv.history.length}-${conv.stepsTaken}-${i}`;
    while (taken.has(id)) id += 'x';
    taken.add(id);
    ids.push(id);
  }
  return ids;
}

function content(decision: Decision, conv: Conversation): LanguageModelV3Content[] {
  if (decision.kind === 'reply') return [{ type: 'text', text: decision.text }];
  const ids = callIds(conv, decision.calls.length);
  return decision.calls.map((c, i) => ({ type: 'tool-call', toolCallId: ids[i]!, toolName: c.toolName, input: JSON.stringify(c.input) }));
}

/** The slots that were found, as plain JSON for the records (no false flags, the reason as its label). */
function slotRecord(slots: Slots): JSONObject {
  const out: JSONObject = {};
  for (const [k, v] of Object.entries(slots)) {
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = k === 'reason' ? (v as Slots['reason'])!.zh : (JSON.parse(JSON.stringify(v)) as JSONValue);
  }
  return out;
}


/** Splits text into stream deltas; joined they are exactly the text. */
export function chunks(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of text) {
    current += ch;
    if (current.length >= CHUNK || (current.length >= CHUNK / 2 && /[，。！？；、,.!?;\n]/.test(ch))) {
      out.push(current);
      current = '';
    }
  }
  if (current) out.push(current);
  return out;
}

/** `intentModel`: the learned classifier; the shipped one unless given (a cross-validation trains its own). */
export function createOfflineModel(opts: { embedder: Embedder; intentModel?: IntentModel }): LanguageModelV3 {
  const classifier: IntentClassifier = createIntentClassifier(opts.embedder, opts.intentModel);
  const understand = understandOncePerTurn(classifier);

  async function generate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const ctx = readTurnInput(options.providerOptions);
    const conv = readConversation(options.prompt);
    const turn = options.providerOptions?.[OFFLINE_PROVIDER];
    const u = await understand(turn && typeof turn === 'object' ? turn : undefined, conv, ctx);
    const decision = decide(u, conv, ctx, new ToolBox(options.tools));
    const parts = content(decision, conv);
    const output = decision.kind === 'reply' ? decision.text : parts.map((p) => ('input' in p ? p.input : '')).join('');
    return {
      content: parts,
      finishReason: { unified: decision.kind === 'reply' ? 'stop' : 'tool-calls', raw: undefined },
      usage: usage(options, output),
      providerMetadata: toProviderMetadata({
        intent: u.intent,
        confidence: u.confidence,
        slots: slotRecord(u.slots),
        ...(decision.kind === 'reply' && decision.quickReplies ? { quickReplies: decision.quickReplies } : {}),
      }),
      warnings: [],
    };
  }

  return {
    specificationVersion: 'v3',
    provider: OFFLINE_PROVIDER,
    modelId: OFFLINE_MODEL_ID,
    supportedUrls: {},
    doGenerate: generate,
    async doStream(options) {
      const result = await generate(options);
      const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
      for (const part of result.content) {
        if (part.type === 'text') {
          parts.push({ type: 'text-start', id: 'text-0' });
          for (const delta of chunks(part.text)) parts.push({ type: 'text-delta', id: 'text-0', delta });
          parts.push({ type: 'text-end', id: 'text-0' });
        } else if (part.type === 'tool-call') {
          parts.push({ type: 'tool-input-start', id: part.toolCallId, toolName: part.toolName });
          parts.push({ type: 'tool-input-delta', id: part.toolCallId, delta: part.input });
          parts.push({ type: 'tool-input-end', id: part.toolCallId });
          parts.push(part);
        }
      }
      parts.push({ type: 'finish', usage: result.usage, finishReason: result.finishReason, ...(result.providerMetadata ? { providerMetadata: result.providerMetadata } : {}) });
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            for (const p of parts) controller.enqueue(p);
            controller.close();
          },
        }),
      };
    },
  };
}
