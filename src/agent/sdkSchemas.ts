// The AI SDK checks every call's messages against its ModelMessage schema, wrapped in a new z.array
// each time. zod first walks the whole schema to learn whether one parse can re-enter it, and it can
// only keep the answer once the JSON-value schema inside (a z.lazy) has been resolved, which happens
// the first time a parse reaches a JSON value. A turn of a new conversation never does (its one
// message is text), so until then every turn walked the schema afresh: about 4 % of a turn's CPU on
// the offline model. One parse of a message that reaches a JSON value, at start, settles it; the
// validation itself is unchanged.
import { modelMessageSchema } from 'ai';

let settled = false;

export function settleSdkSchemas(): void {
  if (settled) return;
  settled = true;
  modelMessageSchema.safeParse({
    role: 'tool',
    content: [{ type: 'tool-result', toolCallId: 'settle', toolName: 'settle', output: { type: 'json', value: { settled: [true, null] } } }],
    providerOptions: { settle: { settled: { value: 1 } } },
  });
}
