// The offline model in a conversation over canned tools: each tool keeps its real name and input
// schema, its result is type-checked against its output schema, and every call is recorded.
import { generateText, stepCountIs, tool, type ModelMessage, type ToolSet } from 'ai';
import { createOfflineModel } from '../../src/agent/offline/model.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import type { AnyToolDef, ToolError, ToolInput, ToolOutput } from '../../tools/defineTool.ts';

export interface Call {
  name: string;
  input: Record<string, unknown>;
}

export interface Reply {
  text: string;
  calls: Call[];
  quickReplies: string[];
  /** The conversation so far, this turn included: the history of the next turn. */
  messages: ModelMessage[];
}

export function offlineChat(context: Record<string, unknown>) {
  const model = createOfflineModel({ embedder: createLocalEmbedder() });
  let calls: Call[] = [];

  /** A canned tool under a real tool's name and input schema, its result type-checked against the tool's output. */
  function canned<T extends AnyToolDef>(def: T, result: (i: ToolInput<T>) => ToolOutput<T> | ToolError) {
    return tool({
      description: def.name,
      inputSchema: def.input as AnyToolDef['input'],
      execute: async (i: unknown): Promise<unknown> => {
        calls.push({ name: def.name, input: i as Record<string, unknown> });
        return result(i as ToolInput<T>);
      },
    });
  }

  async function chat(tools: ToolSet, user: string, history: ModelMessage[] = []): Promise<Reply> {
    calls = [];
    const r = await generateText({
      model,
      messages: [...history, { role: 'user', content: user }],
      tools,
      stopWhen: stepCountIs(6),
      providerOptions: { laotie: context as never },
    });
    const meta = r.steps.at(-1)?.providerMetadata?.laotie as { quickReplies?: string[] } | undefined;
    return {
      text: r.text,
      calls: [...calls],
      quickReplies: meta?.quickReplies ?? [],
      messages: [...history, { role: 'user' as const, content: user }, ...r.response.messages],
    };
  }

  return { canned, chat };
}
