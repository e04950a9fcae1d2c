// Settling the AI SDK's message schema at start changes what it costs, not what it accepts.
import { modelMessageSchema } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { settleSdkSchemas } from '../../src/agent/sdkSchemas.ts';

const check = (messages: unknown) => z.array(modelMessageSchema).safeParse(messages).success;

describe('the AI SDK message schema, settled at start', () => {
  it('accepts and refuses the same messages as before', () => {
    settleSdkSchemas();
    settleSdkSchemas();
    expect(check([{ role: 'user', content: '你好' }])).toBe(true);
    expect(check([{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', toolName: 'b', output: { type: 'json', value: { deep: [{ x: null }] } } }] }])).toBe(true);
    expect(check([{ role: 'user', content: 3 }])).toBe(false);
    expect(check([{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', toolName: 'b', output: { type: 'json', value: { f: () => 1 } } }] }])).toBe(false);
    expect(check([{ role: 'shopper', content: '你好' }])).toBe(false);
  });
});
