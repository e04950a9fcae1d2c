// The start of a turn: everything it starts from in one round of reads, the one judgement of the
// shopper's message, and the write of that message while the model answers.
import { randomUUID } from 'node:crypto';
import type { ShopperCaller, ShopperIdentity } from '../context.ts';
import { appendMessage, turnStartState, type Conversation, type StoredMessage } from '../domain/conversations/repo.ts';
import { assessMessage } from '../domain/handoff/assessment.ts';
import { findOpenTicket } from '../domain/handoff/tickets.ts';
import type { PreviousTurnFacts } from '../domain/handoff/triggers.ts';
import { loadShopCard, type ShopCard } from '../domain/shops/cards.ts';
import { NotFound, Unauthorized } from '../errors.ts';
import { NO_CONFIRMATION, settlePending, type Confirmation } from './confirmation.ts';
import { humanOwner } from './handoff.ts';
import type { TurnModel } from './models.ts';
import { MEMORY_MESSAGES, rememberTurn } from './memory.ts';
import { requestSent } from './requestSent.ts';
import { modelFor, withShopEmbedder, type AgentDeps, type ChatTurnInput, type HumanTurn, type PreparedTurn } from './turn.ts';
import { turnContext } from './turnContext.ts';

// A model over HTTP has sent its request within a few milliseconds; past this the side work starts anyway.
const REQUEST_SENT_MAX_WAIT_MS = 20;

/**
 * Work the turn does while the model answers. It starts once the model's request has gone out (a
 * model over HTTP: requestSent.ts), or on the next turn of the event loop (the offline model, which
 * runs on this thread). Its error is taken by whoever awaits it (a tool, finishTurn); until then it
 * must not count as an unhandled rejection, which would end the process.
 */
export function meanwhile<T>(model: Pick<TurnModel, 'source'>, work: () => Promise<T>): Promise<T> {
  const start = model.source !== 'offline'
    ? requestSent(REQUEST_SENT_MAX_WAIT_MS)
    : new Promise<void>((resolve) => setImmediate(resolve));
  const p = start.then(work);
  p.catch(() => {});
  return p;
}

export const shopCard = (deps: AgentDeps, shopId: string): Promise<ShopCard> =>
  deps.shopCards ? deps.shopCards.get(shopId) : loadShopCard(deps.db, shopId);

/**
 * Everything a turn starts from, in one round of reads (on PostgreSQL side by side on the pool's
 * connections): the shop's card, the shopper — who must still exist; their tier decides the persona
 * and the tools — and the conversation. `who` comes from the verified token: the conversation read
 * is scoped to that shopper, so it is safe to run beside the lookup that confirms them.
 */
export async function prepareTurn(deps: AgentDeps, who: ShopperIdentity, input: ChatTurnInput): Promise<PreparedTurn> {
  const { db, clock } = deps;
  const [card, state, answerer] = await Promise.all([
    shopCard(deps, who.shopId),
    turnStartState(db, who.shopId, who.shopperId, input.conversationId, MEMORY_MESSAGES - 1),
    modelFor(deps, who.shopId),
  ]);
  const { shopper } = state;
  if (!shopper) throw new Unauthorized('unknown shopper');
  if (state.conversation === 'not_found') throw new NotFound('conversation');
  const caller: ShopperCaller = {
    role: 'shopper',
    shopId: who.shopId,
    shopperId: shopper.id,
    tier: shopper.tier,
    referralIdentity: shopper.referralIdentity,
  };
  const handoffRules = card.handoffRules;
  const assessment = assessMessage(input.message, handoffRules.handoff, caller.tier);
  const isNew = state.conversation === null;
  let conversation: Conversation = state.conversation ?? {
    id: randomUUID(),
    shopId: caller.shopId,
    shopperId: caller.shopperId,
    mode: 'ai',
    summary: '',
    state: {},
  };
  const userMessage: StoredMessage = {
    id: state.messageId,
    role: 'user',
    content: input.message,
    toolCalls: [],
    meta: {},
    createdAt: clock.now(),
  };
  const memory = rememberTurn([...state.recent, userMessage], conversation.summary);
  const conversationId = conversation.id;
  const stored = meanwhile(answerer, () =>
    storeShopperMessage(deps, caller, conversationId, userMessage, { isNew, summary: memory.summaryChanged ? memory.summary : null }),
  );
  let owner: HumanTurn | 'off_duty' | null = null;
  if (conversation.mode === 'human') {
    // The people side reads and changes the conversation: the shopper's message is there first.
    await stored;
    owner = await humanOwner(deps, caller, conversation, assessment, handoffRules);
  }
  const human = owner && owner !== 'off_duty' ? owner : null;
  if (conversation.mode === 'human' && !human) conversation = { ...conversation, mode: 'ai' };
  // An action waiting for the shopper's yes is settled before the model answers, after the message
  // that settles it is stored; while a person owns the chat it is theirs to act on, so it lapses.
  let confirmation: Confirmation = NO_CONFIRMATION;
  if (state.hasPendingAction) {
    await stored;
    confirmation = await settlePending(deps, caller, conversation.id, input.message, human ? 'lapse' : input.approval);
  }
  const context = turnContext(withShopEmbedder(deps, answerer), caller, { card, shopper, conversation, memory, assessment, confirmation, ready: stored }, { offerHandoff: true });
  return {
    caller,
    conversation,
    userMessageId: userMessage.id,
    userMessage: input.message,
    assessment,
    confirmation,
    human,
    handoffRules,
    previous: (state.lastAssistantMeta?.handoff ?? {}) as PreviousTurnFacts,
    offDutyWait: owner === 'off_duty',
    stored,
    openTicket: isNew ? Promise.resolve(null) : meanwhile(answerer, () => findOpenTicket(db, conversation.id)),
    ...context,
    answerer,
  };
}

/**
 * The shopper's message, with a new conversation and a changed running summary: one statement, so
 * all or none of it is stored, in one round trip (on PGlite it runs on this thread, beside the model).
 */
async function storeShopperMessage(
  deps: AgentDeps,
  caller: ShopperCaller,
  conversationId: string,
  message: StoredMessage,
  opts: { isNew: boolean; summary: string | null },
): Promise<void> {
  await appendMessage(
    deps.db,
    caller.shopId,
    conversationId,
    { id: message.id, role: 'user', content: message.content },
    { ...(opts.isNew ? { start: { shopperId: caller.shopperId } } : {}), ...(opts.summary !== null ? { summary: opts.summary } : {}) },
  );
}
