// One chat turn, shared by the JSON, streaming and OpenAI-compatible APIs: its shapes and its model
// call. The parts live in their own modules, in the order a turn runs them:
//   prepareTurn.ts  read what the turn starts from, judge the message once, store it meanwhile
//   turnContext.ts  the prompt, the memory window and the caller's tools for the model
//   finishTurn.ts   store the reply with every tool call, after the hand-off rules
//   handoff.ts      who owns the conversation, and handing it to a person
// runTurn.ts and streamTurn.ts drive them for a JSON and a streamed answer.
import { stepCountIs, type ModelMessage, type ToolSet } from 'ai';
import type { Deps, ShopperCaller } from '../context.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { Conversation } from '../domain/conversations/repo.ts';
import type { MessageAssessment } from '../domain/handoff/assessment.ts';
import type { ShopHandoffRules } from '../domain/handoff/settings.ts';
import type { Ticket } from '../domain/handoff/tickets.ts';
import type { PreviousTurnFacts } from '../domain/handoff/triggers.ts';
import type { HandoffStatus } from '../domain/handoff/views.ts';
import type { ShopCards } from '../domain/shops/cards.ts';
import type { Approval, Confirmation } from './confirmation.ts';
import { serviceTurnModel, type Models, type TurnModel } from './models.ts';
import type { toProviderOptions } from './offline/contract.ts';
import type { ShopModels } from './shopModels.ts';
import type { TurnProduct } from './turnProducts.ts';

export const MAX_STEPS = 6;

export interface AgentDeps extends Deps {
  models: Models;
  /** The app's cache of shop cards; without one every turn reads its shop's card afresh. */
  shopCards?: ShopCards;
  /** Each shop's own model; without it every turn is answered by the service's model. */
  shopModels?: ShopModels;
}

/** The model that answers a turn of this shop (the token's shop, never one the request names), with the embedder its search uses. */
export function modelFor(deps: AgentDeps, shopId: string): Promise<TurnModel & { embedder?: Embedder }> {
  return deps.shopModels ? deps.shopModels.forShop(shopId) : Promise.resolve(serviceTurnModel(deps.models));
}

/** The dependencies a turn's tools run with: its search embeds with the shop's embedder, read with its model. */
export function withShopEmbedder<D extends AgentDeps>(deps: D, answerer: { embedder?: Embedder }): D {
  return answerer.embedder && answerer.embedder !== deps.embedder ? { ...deps, embedder: answerer.embedder } : deps;
}

export interface ChatTurnInput {
  message: string;
  conversationId?: string;
  /** The shopper's answer to a stated action given by a button (the stream client's tool approval), not read from the text. */
  approval?: Approval;
}

export interface ToolCallRecord {
  name: string;
  input: unknown;
  output: unknown;
}

/** An action the card stated in this turn, waiting for the shopper's yes (docs/domain.md §14 Confirmation). */
export interface PendingActionView {
  id: string;
  tool: string;
  summary: string;
  expiresAt: string;
  /** How to confirm: any message that only says yes ("确认", "好的", "yes"); anything else cancels. */
  confirmWith: string;
}

export interface ChatTurnResult {
  conversationId: string;
  messageId: number;
  reply: string;
  toolCalls: ToolCallRecord[];
  /** The conversation's open handoff ticket as the shopper may see it; null when none. */
  handoff: null | HandoffStatus;
  /** The action this turn stated and now waits for the shopper's yes; null when none. */
  pendingAction: null | PendingActionView;
  /** Short answers to tap, when the card asked what the shopper meant (empty otherwise). */
  quickReplies: string[];
  /** The products the reply is about, each with its page in the mall to buy it on (at most 5). */
  products: TurnProduct[];
}

/** A person owns the conversation: the shopper's message is stored for them, the model stays silent. */
export interface HumanTurn {
  ticket: Ticket;
  status: HandoffStatus;
}

/** What the model is given for a turn. */
export interface TurnContext {
  system: string;
  messages: ModelMessage[];
  tools: ToolSet;
  providerOptions: ReturnType<typeof toProviderOptions>;
  /** The model chosen for the turn's shop; the service's model when absent. */
  answerer?: TurnModel;
}

export interface PreparedTurn extends TurnContext {
  answerer: TurnModel;
  /** The shopper as stored now (tier included), read by the turn's first round. */
  caller: ShopperCaller;
  conversation: Conversation;
  userMessageId: number;
  userMessage: string;
  /** The one judgement of the message (mood, a person asked for), made before the model answers. */
  assessment: MessageAssessment;
  /** What the message did to the action waiting for the shopper's yes (ran it, cancelled it …). */
  confirmation: Confirmation;
  /** Set when a person owns the conversation: callers answer with humanTurnResult, not the model. */
  human: HumanTurn | null;
  handoffRules: ShopHandoffRules;
  /** What the handoff rules noted about the previous AI turn (for "unresolved twice in a row"). */
  previous: PreviousTurnFacts;
  /** Staff are off duty while the ticket is still open: the AI answers, and says when they are back. */
  offDutyWait: boolean;
  /**
   * The write of the shopper's message (and of a new conversation), running while the model answers.
   * The turn's tools and finishTurn wait for it, so a failure fails the turn before its reply is
   * stored or returned (a streamed reply's first words may already have gone out).
   */
  stored: Promise<void>;
  /** The conversation's open handoff ticket, read while the model answers. */
  openTicket: Promise<Ticket | null>;
}

/**
 * The model call every turn makes (answer, stream, staff suggestion): the caller's prompt and tools,
 * a bounded tool loop, and no SDK retries (models.ts retries once and falls back itself).
 */
export function turnCall(deps: AgentDeps, turn: TurnContext, tools: ToolSet = turn.tools) {
  return {
    model: turn.answerer?.model ?? deps.models.forTurn(),
    system: turn.system,
    messages: turn.messages,
    tools,
    stopWhen: stepCountIs(MAX_STEPS),
    maxRetries: 0,
    providerOptions: turn.providerOptions,
  };
}
