// The JSON chat turn (POST /v1/chat, the evals, the terminal chat): generateText over the prepared
// turn; and the reply the agent suggests to a staff member who owns a conversation.
import { generateText, type ToolSet } from 'ai';
import type { ShopperIdentity } from '../context.ts';
import { findOwnConversation, recentMessages } from '../domain/conversations/repo.ts';
import { loadHandoffRules } from '../domain/handoff/settings.ts';
import { namesANeed } from '../domain/handoff/triggers.ts';
import type { Ticket } from '../domain/handoff/tickets.ts';
import { resolveShopperCaller } from '../domain/shoppers/repo.ts';
import { NotFound } from '../errors.ts';
import { READ_ONLY_TOOLS } from '../../tools/index.ts';
import { renderPrompt } from './prompts.ts';
import { collectToolCalls, finishTurn, turnMeta } from './finishTurn.ts';
import { humanTurnResult } from './handoff.ts';
import { prepareTurn } from './prepareTurn.ts';
import { turnCall, type AgentDeps, type ChatTurnInput, type ChatTurnResult } from './turn.ts';
import { MEMORY_MESSAGES } from './memory.ts';
import { staffDraftContext } from './turnContext.ts';

/** A turn of the shopper the token names (a resolved ShopperCaller will do as well). */
export async function runTurn(deps: AgentDeps, who: ShopperIdentity, input: ChatTurnInput): Promise<ChatTurnResult> {
  const prepared = await prepareTurn(deps, who, input);
  if (prepared.human) return humanTurnResult(prepared);
  try {
    const result = await generateText(turnCall(deps, prepared));
    return await finishTurn(deps, prepared, result.text, collectToolCalls(result.steps), turnMeta(prepared.answerer, result.steps));
  } catch (e) {
    // The model layer already fell back to the offline model; reaching here is a bug of ours.
    // The shopper still gets an honest answer, and their message is already stored.
    deps.log.error('turn failed', { err: e as Error, conversationId: prepared.conversation.id });
    return finishTurn(deps, prepared, renderPrompt('turn-failed', {}), [], { error: String(e).slice(0, 300) });
  }
}

export interface SuggestedReply {
  text: string;
  toolCalls: Array<{ name: string; input: unknown; output: unknown }>;
}

/**
 * A reply for the staff member who owns the conversation to send: the agent answers the shopper's
 * latest message that names a need (not "转人工" or "在吗？快点", which the person taking over
 * answers by being there), over the conversation up to it, with read-only tools; nothing is stored.
 * Without such a message it is a person's greeting.
 */
export async function suggestReply(deps: AgentDeps, ticket: Ticket): Promise<SuggestedReply> {
  const caller = await resolveShopperCaller(deps.db, { shopId: ticket.shopId, shopperId: ticket.shopperId });
  const conversation = caller && (await findOwnConversation(deps.db, caller.shopId, caller.shopperId, ticket.conversationId));
  if (!caller || !conversation) throw new NotFound('conversation');
  const { messages } = await recentMessages(deps.db, conversation.id, MEMORY_MESSAGES);
  const question = messages.findLast((m) => m.role === 'user' && namesANeed(m.content));
  if (!question) return { text: renderPrompt('staff-greeting', {}), toolCalls: [] };
  const rules = await loadHandoffRules(deps.db, caller.shopId);
  const turn = await staffDraftContext(deps, caller, conversation, question, rules);
  const tools = Object.fromEntries(Object.entries(turn.tools).filter(([name]) => READ_ONLY_TOOLS.has(name))) as ToolSet;
  const result = await generateText(turnCall(deps, turn, tools));
  return { text: result.text, toolCalls: collectToolCalls(result.steps).map(({ name, input, output }) => ({ name, input, output })) };
}
