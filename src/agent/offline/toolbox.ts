// The tools the caller offers this call (options.tools), and tool inputs fitted to their JSON
// schemas: the model only ever calls a tool it was given, with properties that tool declares.
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import type { AnyToolDef } from '../../../tools/defineTool.ts';

interface Schema {
  properties?: Record<string, unknown>;
  required?: string[];
}

export interface ToolCallPlan {
  toolName: string;
  input: Record<string, unknown>;
}

export class ToolBox {
  private readonly schemas = new Map<string, Schema>();

  constructor(tools: LanguageModelV3CallOptions['tools']) {
    for (const t of tools ?? []) {
      if (t.type === 'function') this.schemas.set(t.name, (t.inputSchema ?? {}) as Schema);
    }
  }

  has(tool: AnyToolDef): boolean {
    return this.schemas.has(tool.name);
  }

  /**
   * A call with undefined values and undeclared properties dropped; null when the tool is not
   * offered or a required property is missing (the policy then asks or answers without it).
   */
  plan(tool: AnyToolDef, input: object): ToolCallPlan | null {
    const schema = this.schemas.get(tool.name);
    if (!schema) return null;
    const fitted: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined) continue;
      if (schema.properties && !(k in schema.properties)) continue;
      fitted[k] = v;
    }
    if ((schema.required ?? []).some((r) => !(r in fitted))) return null;
    return { toolName: tool.name, input: fitted };
  }
}
