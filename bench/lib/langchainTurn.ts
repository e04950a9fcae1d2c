// The peer of bench:chat: the same tool-using turn through a LangChain agent (`createAgent` from
// langchain v1), with our own tool definitions wrapped as LangChain tools around the SAME runTool and
// the same ToolContext, and the model reached through @langchain/openai's ChatOpenAI at the same fake
// server. It runs in-process: no HTTP, no token, nothing stored — less work than our /v1/chat turn.
import { ChatOpenAI } from '@langchain/openai';
import { createAgent, tool, type ToolRuntime } from 'langchain';
import type { ToolContext } from '../../src/context.ts';
import { runTool, type ToolDef } from '../../tools/defineTool.ts';
import { toolsFor } from '../../tools/index.ts';

export interface LangChainTurn {
  (message: string): Promise<{ text: string; toolCalls: number }>;
}

export function createLangChainTurn(opts: { baseURL: string; model: string; systemPrompt: string; ctx: ToolContext }): LangChainTurn {
  // The tool context travels in LangChain's runtime context, as ours travels in a closure per turn.
  const asLangChain = (def: ToolDef) =>
    tool(async (input: unknown, runtime: ToolRuntime) => JSON.stringify(await runTool(def, runtime.context as ToolContext, input)), {
      name: def.name,
      description: def.description,
      schema: def.input,
    });
  const agent = createAgent({
    model: new ChatOpenAI({ model: opts.model, apiKey: 'sk-bench', maxRetries: 0, configuration: { baseURL: opts.baseURL } }),
    tools: toolsFor(opts.ctx.caller).map(asLangChain),
    systemPrompt: opts.systemPrompt,
  });
  return async (message) => {
    const result = await agent.invoke({ messages: [{ role: 'user', content: message }] }, { context: opts.ctx });
    const messages = result.messages as Array<{ type?: string; getType?: () => string; content: unknown }>;
    const last = messages.at(-1);
    const toolCalls = messages.filter((m) => (m.getType?.() ?? m.type) === 'tool').length;
    return { text: typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content), toolCalls };
  };
}
