// The shopper's answer to an action the card stated (docs/domain.md §14 Confirmation), settled by the
// server before the model sees the message: a yes runs exactly the stated action (once, however many
// yeses arrive at once) and the model is shown its result as a tool call of this turn; a no cancels
// it; anything else drops it, so a later "好的" revives nothing; an action past its time has expired.
// Of two yeses that both found it waiting, the one that lost the race is told the other ran it.
import type { ModelMessage } from 'ai';
import type { ShopperCaller, ToolContext } from '../context.ts';
import { answerTo, type Answer } from '../domain/confirmations/answer.ts';
import { findOwnAction, pendingInConversation, recordResult, settleAction, type PendingAction } from '../domain/confirmations/pendingActions.ts';
import type { StoredToolCall } from '../domain/conversations/repo.ts';
import { runTool, toolError, type ToolError } from '../../tools/defineTool.ts';
import { toolNamed } from '../../tools/index.ts';
import type { AgentDeps } from './turn.ts';

export type Confirmation =
  | { outcome: 'none' }
  | { outcome: 'confirmed'; action: PendingAction; call: StoredToolCall }
  | { outcome: 'declined' | 'dropped' | 'expired' | 'confirmed_elsewhere'; action: PendingAction; answer: Answer };

export const NO_CONFIRMATION: Confirmation = { outcome: 'none' };

/** A yes or no given by a button for one stated action (the AI SDK's tool-approval response). */
export interface Approval {
  actionId: string;
  approved: boolean;
}

/**
 * Settles the conversation's waiting action against the shopper's message; an approval from the
 * stream client answers for the text, but only for the action it names (a stale button drops it).
 */
export async function settlePending(
  deps: AgentDeps,
  caller: ShopperCaller,
  conversationId: string,
  message: string,
  approval?: Approval | 'lapse',
): Promise<Confirmation> {
  const pending = await pendingInConversation(deps.db, caller.shopId, conversationId);
  if (!pending) return NO_CONFIRMATION;
  const answer: Answer =
    approval === 'lapse' ? 'other' : approval ? (approval.actionId !== pending.id ? 'other' : approval.approved ? 'yes' : 'no') : answerTo(message);
  const now = deps.clock.now();
  if (pending.expiresAt <= now) {
    await settleAction(deps.db, caller.shopId, pending.id, 'expired', now);
    return { outcome: 'expired', action: pending, answer };
  }
  if (answer !== 'yes') {
    const to = answer === 'no' ? 'declined' : 'dropped';
    await settleAction(deps.db, caller.shopId, pending.id, to, now);
    return { outcome: to, action: pending, answer };
  }
  const won = await settleAction(deps.db, caller.shopId, pending.id, 'confirmed', now);
  if (!won) {
    // Another request confirmed it a moment earlier, and it runs there, not here; or it expired in
    // between. The model must not say "cancelled, nothing submitted" about an action that ran.
    const settled = await findOwnAction(deps.db, caller.shopId, caller.shopperId, pending.id);
    return { outcome: settled?.state === 'confirmed' ? 'confirmed_elsewhere' : 'expired', action: settled ?? pending, answer };
  }
  return { outcome: 'confirmed', action: won, call: await runConfirmed(deps, caller, conversationId, won) };
}

/** Runs a confirmed action exactly as it was stated, and keeps its result beside it. */
export async function runConfirmed(deps: AgentDeps, caller: ShopperCaller, conversationId: string | undefined, action: PendingAction): Promise<StoredToolCall> {
  const def = toolNamed(action.tool);
  const ctx: ToolContext = { ...deps, caller, ...(conversationId ? { conversationId } : {}) };
  const output = def ? await runTool(def, ctx, action.input) : { error: { code: 'unavailable', message: `${action.tool} is not a tool` } };
  await recordResult(deps.db, caller.shopId, action.id, output);
  return { id: `confirmed-${action.id}`, name: action.tool, input: action.input, output };
}

/** The confirmed call as the model reads it: a tool call of this turn with its result. */
export function confirmedMessages(call: StoredToolCall): ModelMessage[] {
  return [
    { role: 'assistant', content: [{ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.input }] },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: call.id, toolName: call.name, output: { type: 'json', value: (call.output ?? null) as never } }],
    },
  ];
}

/**
 * A yes or no given by the action's id, for an action proposed outside any conversation (over MCP).
 * Only the shopper who was asked can answer, and only an action still waiting: a yes runs exactly
 * the stated input once, however many arrive at once (the state flips from 'pending' in one
 * statement); an action of a chat conversation is answered in that conversation, not here.
 */
export async function answerActionById(
  deps: AgentDeps,
  caller: ShopperCaller,
  actionId: string,
  approved: boolean,
): Promise<{ action: PendingAction; call?: StoredToolCall } | ToolError> {
  const action = await findOwnAction(deps.db, caller.shopId, caller.shopperId, actionId);
  if (!action || action.conversationId !== null) return toolError('not_found', 'no such action waiting for your confirmation');
  if (action.state !== 'pending') return toolError('conflict', `this action was already ${action.state}`);
  const now = deps.clock.now();
  if (action.expiresAt <= now) {
    await settleAction(deps.db, caller.shopId, action.id, 'expired', now);
    return toolError('expired', 'this action has expired; ask for it again');
  }
  const won = await settleAction(deps.db, caller.shopId, action.id, approved ? 'confirmed' : 'declined', now);
  if (!won) return toolError('conflict', 'this action was already answered');
  if (!approved) return { action: won };
  return { action: won, call: await runConfirmed(deps, caller, undefined, won) };
}
