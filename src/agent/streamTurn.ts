// The streamed chat turn, shared by POST /v1/chat/stream (which forwards every chunk as an AI SDK UI
// message stream) and the streaming POST /v1/chat/completions (which forwards the text deltas):
// one place decides what a streamed turn says, so the two cannot drift. The chunks are, in order:
// start, the model's own chunks (text, tool calls), whatever the turn adds after the model (a
// handoff notice, or the honest failure line), and finish with the handoff status and the products
// the reply is about.
import { streamText, type UIMessageChunk } from 'ai';
import { isPendingResult } from '../../tools/defineTool.ts';
import { cleanText } from '../text/typable.ts';
import { renderPrompt } from './prompts.ts';
import { collectToolCalls, finishTurn, turnMeta } from './finishTurn.ts';
import { humanTurnResult } from './handoff.ts';
import { turnCall, type AgentDeps, type ChatTurnResult, type PreparedTurn } from './turn.ts';

export type TurnChunkWriter = (chunk: UIMessageChunk) => void | Promise<void>;

async function writeText(write: TurnChunkWriter, id: string, text: string): Promise<void> {
  if (!text) return;
  await write({ type: 'text-start', id });
  await write({ type: 'text-delta', id, delta: text });
  await write({ type: 'text-end', id });
}

/** Streams the answer to a prepared turn through `write`, stores it, and returns what was stored. */
export async function streamTurn(deps: AgentDeps, prepared: PreparedTurn, write: TurnChunkWriter): Promise<ChatTurnResult> {
  const conversationId = prepared.conversation.id;
  if (prepared.human) {
    // A person owns the conversation: the message is stored for them, the model stays silent.
    const turn = humanTurnResult(prepared);
    await write({ type: 'start', messageMetadata: { conversationId } });
    await writeText(write, 'handoff-waiting', turn.reply);
    await write({ type: 'finish', messageMetadata: { conversationId, handoff: turn.handoff } });
    return turn;
  }
  const result = streamText({
    ...turnCall(deps, prepared),
    onError: ({ error }) => deps.log.error('stream failed', { err: error as Error, conversationId }),
  });
  let streamed = '';
  let approvalRequested = false;
  let turn: ChatTurnResult;
  try {
    // Copied chunk by chunk (not merged) so that what follows comes after the model's last chunk.
    for await (const chunk of result.toUIMessageStream({ sendFinish: false, sendReasoning: false, messageMetadata: () => ({ conversationId }) })) {
      if (chunk.type === 'error') throw new Error(chunk.errorText);
      // useChat looks for approvals in the message's last step only: were the model's words about
      // the stated action a step of their own, the client would never send the shopper's answer
      // (lastAssistantMessageIsCompleteWithApprovalResponses). They stay in the step that asks.
      if (chunk.type === 'start-step' && approvalRequested) continue;
      if (chunk.type === 'text-delta') streamed += chunk.delta;
      await write(chunk);
      // A write that waits for the shopper's yes is shown to a useChat client as a tool-approval
      // request; its answer (addToolApprovalResponse) comes back with the action's id.
      if (chunk.type === 'tool-output-available' && isPendingResult(chunk.output)) {
        await write({ type: 'tool-approval-request', approvalId: chunk.output.actionId, toolCallId: chunk.toolCallId });
        approvalRequested = true;
      }
    }
    // What the shopper read is every step's text, in order (a model often says "我帮您查一下"
    // before its tool call); result.text would be the last step's alone.
    const steps = await result.steps;
    turn = await finishTurn(deps, prepared, streamed, collectToolCalls(steps), turnMeta(prepared.answerer, steps));
  } catch (e) {
    // As in runTurn: the model layer already fell back, so this is a bug of ours. The shopper
    // still gets (and the conversation keeps) an honest answer after whatever was streamed.
    deps.log.error('stream turn failed', { err: e as Error, conversationId });
    const failed = renderPrompt('turn-failed', {});
    turn = await finishTurn(deps, prepared, [streamed, failed].filter(Boolean).join('\n'), [], { error: String(e).slice(0, 300) });
  }
  // What the turn added after the model's text (a handoff notice, the failure line), with the line
  // break before it, so the shopper sees exactly what is stored (the model's text as finishTurn
  // cleaned it).
  await writeText(write, 'handoff-notice', turn.reply.slice(cleanText(streamed).length));
  // The stored reply's id (what the shopper rates it by, POST /v1/chat/rating) and the products the
  // reply is about come with the last event, once the reply is stored.
  await write({ type: 'finish', messageMetadata: { conversationId, handoff: turn.handoff, messageId: turn.messageId, products: turn.products } });
  return turn;
}
