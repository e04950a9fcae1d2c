// One chat turn, shared by the JSON, streaming and OpenAI-compatible APIs: store the shopper's
// message, build the prompt and the caller's tools, and (after the model has answered) store the
// reply with every tool call and run the handoff rules. While a person owns the conversation the
// model does not answer (prepared.human). This file orchestrates; the parts live in their own modules.
import type { JSONObject } from '@ai-sdk/provider';
import type { ModelMessage, StepResult, ToolSet } from 'ai';
import type { Deps, ShopperCaller } from '../context.ts';
import { catalogVocabulary } from '../domain/catalog/vocabulary.ts';
import {
  appendMessage,
  findOwnConversation,
  lastAssistantMeta,
  setConversationMode,
  startConversation,
  type Conversation,
  type StoredToolCall,
} from '../domain/conversations/repo.ts';
import { angerOf } from '../domain/handoff/anger.ts';
import { escalate, refreshSummary, statusOf } from '../domain/handoff/escalate.ts';
import { isOnDuty } from '../domain/handoff/serviceHours.ts';
import { handoffOffered, loadHandoffRules, type ShopHandoffRules } from '../domain/handoff/settings.ts';
import { findOpenTicket, type Ticket } from '../domain/handoff/tickets.ts';
import { evaluateTriggers, type PreviousTurnFacts } from '../domain/handoff/triggers.ts';
import type { HandoffStatus } from '../domain/handoff/views.ts';
import { getShopperProfile } from '../domain/shoppers/repo.ts';
import { getShop } from '../domain/shops/repo.ts';
import { NotFound, Unauthorized } from '../errors.ts';
import { isToolError, toAiTools } from '../../tools/defineTool.ts';
import { ORDER_TOOLS, TOOL_NAMES, toolsFor } from '../../tools/index.ts';
import type { ConversationToolContext } from '../../tools/requestHandoff.ts';
import { loadMemory } from './memory.ts';
import type { Models } from './models.ts';
import type { OfflineContext } from './offline/context.ts';
import { afterHoursNotice, handoffNotice, waitingNotice } from './handoffNotice.ts';
import { renderPrompt } from './prompts.ts';
import { buildSystemPrompt, localDate, usesAdvisor } from './systemPrompt.ts';

export const MAX_STEPS = 6;

export interface AgentDeps extends Deps {
  models: Models;
}

export interface ChatTurnInput {
  message: string;
  conversationId?: string;
}

export interface ToolCallRecord {
  name: string;
  input: unknown;
  output: unknown;
}

export interface ChatTurnResult {
  conversationId: string;
  messageId: number;
  reply: string;
  toolCalls: ToolCallRecord[];
  /** The conversation's open handoff ticket as the shopper may see it; null when none. */
  handoff: null | HandoffStatus;
}

/** A person owns the conversation: the shopper's message is stored for them, the model stays silent. */
export interface HumanTurn {
  ticket: Ticket;
  status: HandoffStatus;
}

export interface PreparedTurn extends TurnContext {
  conversation: Conversation;
  userMessageId: number;
  userMessage: string;
  /** Set when a person owns the conversation: callers answer with humanTurnResult, not the model. */
  human: HumanTurn | null;
  handoffRules: ShopHandoffRules;
  /** What the handoff rules noted about the previous AI turn (for "unresolved twice in a row"). */
  previous: PreviousTurnFacts;
  /** Staff are off duty while the ticket is still open: the AI answers, and says when they are back. */
  offDutyWait: boolean;
}

export async function prepareTurn(deps: AgentDeps, caller: ShopperCaller, input: ChatTurnInput): Promise<PreparedTurn> {
  const { db } = deps;
  const handoffRules = await loadHandoffRules(db, caller.shopId);
  let conversation: Conversation;
  if (input.conversationId) {
    const own = await findOwnConversation(db, caller.shopId, caller.shopperId, input.conversationId);
    if (!own) throw new NotFound('conversation');
    conversation = own;
  } else {
    if (!(await getShopperProfile(db, caller.shopId, caller.shopperId))) throw new Unauthorized('unknown shopper');
    conversation = await startConversation(db, caller.shopId, caller.shopperId);
  }
  const userMessageId = await appendMessage(db, caller.shopId, conversation.id, { role: 'user', content: input.message });
  const owner = conversation.mode === 'human' ? await humanOwner(deps, caller, conversation, input.message, handoffRules) : null;
  const human = owner && owner !== 'off_duty' ? owner : null;
  if (conversation.mode === 'human' && !human) conversation = { ...conversation, mode: 'ai' };
  const [context, previousMeta] = await Promise.all([
    buildTurnContext(deps, caller, conversation, input.message, { handoffRules, offerHandoff: true }),
    lastAssistantMeta(db, conversation.id),
  ]);
  return {
    conversation,
    userMessageId,
    userMessage: input.message,
    human,
    handoffRules,
    previous: (previousMeta?.handoff ?? {}) as PreviousTurnFacts,
    offDutyWait: owner === 'off_duty',
    ...context,
  };
}

export interface TurnContext {
  system: string;
  messages: ModelMessage[];
  tools: ToolSet;
  providerOptions: { laotie: JSONObject };
}

/**
 * The prompt, the conversation window and the caller's tools for answering `message`, which is
 * already stored as the conversation's last message. Nothing is written (but the running summary).
 */
export async function buildTurnContext(
  deps: AgentDeps,
  caller: ShopperCaller,
  conversation: Conversation,
  message: string,
  opts: { handoffRules: ShopHandoffRules; offerHandoff: boolean },
): Promise<TurnContext> {
  const { db, clock } = deps;
  const [shop, shopper, memory, vocabulary] = await Promise.all([
    getShop(db, caller.shopId),
    getShopperProfile(db, caller.shopId, caller.shopperId),
    loadMemory(db, conversation),
    catalogVocabulary(db, caller.shopId),
  ]);
  if (!shopper) throw new Unauthorized('unknown shopper');
  const now = clock.now();
  const offered = opts.offerHandoff && handoffOffered(opts.handoffRules.handoff, caller.tier);
  const ctx: ConversationToolContext = { ...deps, caller, conversationId: conversation.id };
  return {
    system: withTone(buildSystemPrompt(shop, shopper, now, memory.summary), message, opts.handoffRules),
    messages: memory.messages,
    tools: toAiTools(toolsFor(caller, { handoff: offered }), ctx) as ToolSet,
    providerOptions: {
      laotie: offlineContext({
        shopName: shop.name,
        advisorName: shop.card.advisorName,
        persona: usesAdvisor(caller.tier) ? 'advisor' : 'card',
        tier: caller.tier,
        nickname: shopper.nickname,
        today: localDate(now, shop.timezone),
        categories: vocabulary.categories,
        colors: vocabulary.colors,
        skinTypes: vocabulary.skinTypes,
        handoffAvailable: offered,
        skinType: shopper.skinType ?? '',
        timezone: shop.timezone,
      }),
    },
  };
}

/** An upset shopper gets a softer tone from an LLM (the offline model softens its own replies). */
export function withTone(system: string, message: string, rules: ShopHandoffRules): string {
  const { mood } = angerOf(message, rules.handoff.angryAt);
  return mood === 'calm' ? system : `${system}\n\n${renderPrompt(mood === 'angry' ? 'tone-angry' : 'tone-upset', {})}`;
}

/**
 * The open ticket of a conversation in human mode. An angry message while waiting raises the
 * ticket's priority. Without a ticket, or once staff are off duty, the conversation goes back to
 * the AI (the ticket waits for the next shift; a staff reply takes the conversation again).
 */
async function humanOwner(
  deps: AgentDeps,
  caller: ShopperCaller,
  conversation: Conversation,
  message: string,
  rules: ShopHandoffRules,
): Promise<HumanTurn | 'off_duty' | null> {
  const now = deps.clock.now();
  let ticket = await findOpenTicket(deps.db, conversation.id);
  // Nobody answers at night, not even whoever claimed it: the AI helps until the next shift.
  const offDuty = ticket !== null && !isOnDuty(now, rules.hours);
  if (!ticket || offDuty) {
    await setConversationMode(deps.db, conversation.id, 'ai');
    return offDuty ? 'off_duty' : null;
  }
  if (angerOf(message, rules.handoff.angryAt).mood === 'angry') {
    const joined = await escalate(
      deps.db,
      { ...ownerOf(caller, conversation.id), reasons: ['angry'], angry: true, source: 'rules', note: '' },
      now,
      rules,
    );
    ticket = joined?.ticket ?? ticket;
  }
  return { ticket, status: await statusOf(deps.db, ticket, rules, now) };
}

const ownerOf = (caller: ShopperCaller, conversationId: string) => ({
  shopId: caller.shopId,
  conversationId,
  shopperId: caller.shopperId,
  tier: caller.tier,
});

/** The answer while a person owns the conversation: the message is stored, the model says nothing. */
export function humanTurnResult(prepared: PreparedTurn): ChatTurnResult {
  const human = prepared.human!;
  return {
    conversationId: prepared.conversation.id,
    messageId: prepared.userMessageId,
    reply: waitingNotice(human.status),
    toolCalls: [],
    handoff: human.status,
  };
}

// OfflineContext is plain JSON by construction (strings, string arrays, booleans).
const offlineContext = (c: OfflineContext): JSONObject => c as unknown as JSONObject;

/** Every tool call of the turn with its input and output, in order. */
export function collectToolCalls(steps: readonly StepResult<ToolSet>[]): StoredToolCall[] {
  const calls: StoredToolCall[] = [];
  for (const step of steps) {
    for (const part of step.content) {
      if (part.type === 'tool-result') {
        calls.push({ id: part.toolCallId, name: part.toolName, input: part.input, output: part.output });
      } else if (part.type === 'tool-error') {
        calls.push({
          id: part.toolCallId,
          name: part.toolName,
          input: part.input,
          output: { error: { code: 'tool_failed', message: String(part.error) } },
        });
      }
    }
  }
  return calls;
}

/** What the records keep about how the turn was answered (model, intent, fallback). */
export function turnMeta(models: Models, steps: readonly StepResult<ToolSet>[]): Record<string, unknown> {
  const meta: Record<string, unknown> = { model: models.name, steps: steps.length };
  for (const step of steps) {
    const laotie = step.providerMetadata?.laotie as Record<string, unknown> | undefined;
    if (!laotie) continue;
    if (laotie.fallback) meta.fallback = laotie.fallback;
    if (laotie.intent && !meta.intent) {
      meta.intent = laotie.intent;
      meta.confidence = laotie.confidence;
    }
  }
  return meta;
}

/** Tool names the handoff rules look for, from the tools' own exports. */
const TRIGGER_TOOLS = { orderTools: ORDER_TOOLS, afterSales: TOOL_NAMES.createAfterSales };

export async function finishTurn(
  deps: AgentDeps,
  caller: ShopperCaller,
  prepared: PreparedTurn,
  reply: string,
  toolCalls: StoredToolCall[],
  meta: Record<string, unknown>,
): Promise<ChatTurnResult> {
  if (prepared.human) return humanTurnResult(prepared);
  const { db, clock } = deps;
  const rules = prepared.handoffRules;
  const conversationId = prepared.conversation.id;
  const now = clock.now();
  const facts = evaluateTriggers(
    {
      message: prepared.userMessage,
      toolCalls,
      intent: typeof meta.intent === 'string' ? meta.intent : undefined,
      confidence: typeof meta.confidence === 'number' ? meta.confidence : undefined,
      previous: prepared.previous,
    },
    rules.handoff,
    TRIGGER_TOOLS,
  );
  const modelAsked = toolCalls.some((c) => c.name === TOOL_NAMES.requestHandoff && !isToolError(c.output));
  const escalation = facts.reasons.length
    ? await escalate(
        db,
        {
          ...ownerOf(caller, conversationId),
          reasons: facts.reasons,
          angry: facts.anger.mood === 'angry',
          source: 'rules',
          note: facts.anger.terms.length ? `顾客原话含：${facts.anger.terms.join('、')}` : '',
        },
        now,
        rules,
      )
    : null;
  const ticket = escalation?.ticket ?? (await findOpenTicket(db, conversationId));
  const status = escalation?.status ?? (ticket ? await statusOf(db, ticket, rules, now) : null);
  // Told once, when the turn hands over: a person is coming and roughly when, or when they are back.
  const notice = !status
    ? ''
    : escalation || modelAsked
      ? handoffNotice(status, rules.hours, now, { modelSaidSo: modelAsked })
      : prepared.offDutyWait
        ? afterHoursNotice(status, rules.hours, now)
        : '';
  const text = [reply, notice].filter(Boolean).join('\n');
  const handoffFacts = {
    unresolved: facts.unresolved,
    need: facts.need,
    lowConfidence: facts.lowConfidence,
    mood: facts.anger.mood,
    ...(facts.reasons.length ? { triggers: facts.reasons } : {}),
    ...(ticket ? { ticketId: ticket.id } : {}),
  };
  const messageId = await appendMessage(db, caller.shopId, conversationId, {
    role: 'assistant',
    content: text,
    toolCalls,
    meta: { ...meta, handoff: handoffFacts },
  });
  // The staff summary includes what the AI tried and said in the turn that handed over.
  if (ticket && (escalation?.created || (modelAsked && ticket.status === 'open'))) await refreshSummary(db, ticket);
  return {
    conversationId,
    messageId,
    reply: text,
    toolCalls: toolCalls.map(({ name, input, output }) => ({ name, input, output })),
    handoff: status,
  };
}
