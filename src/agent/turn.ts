// One chat turn, shared by the JSON, streaming and OpenAI-compatible APIs: read what the turn starts
// from, build the prompt and the caller's tools, and (after the model has answered) store the reply
// with every tool call and run the handoff rules. The shopper's message is written while the model
// answers its first call; every tool and the reply wait for that write, so nothing acknowledged is
// lost and the order of the messages is kept. While a person owns the conversation the model does not
// answer (prepared.human). This file orchestrates; the parts live in their own modules.
import { randomUUID } from 'node:crypto';
import type { JSONObject } from '@ai-sdk/provider';
import { stepCountIs, zodSchema, type ModelMessage, type StepResult, type Tool, type ToolSet } from 'ai';
import type { z } from 'zod';
import type { Deps, ShopperCaller, TokenShopper } from '../context.ts';
import {
  appendMessage,
  turnStartState,
  setConversationMode,
  type Conversation,
  type StoredMessage,
  type StoredToolCall,
} from '../domain/conversations/repo.ts';
import { angerOf } from '../domain/handoff/anger.ts';
import { escalate, refreshSummary, statusOf } from '../domain/handoff/escalate.ts';
import { isOnDuty } from '../domain/handoff/serviceHours.ts';
import { handoffOffered, type ShopHandoffRules } from '../domain/handoff/settings.ts';
import { findOpenTicket, type Ticket } from '../domain/handoff/tickets.ts';
import { evaluateTriggers, type PreviousTurnFacts } from '../domain/handoff/triggers.ts';
import type { HandoffStatus } from '../domain/handoff/views.ts';
import { getShopperProfile, type ShopperProfile } from '../domain/shoppers/repo.ts';
import { loadShopCard, type ShopCard, type ShopCards } from '../domain/shops/cards.ts';
import { NotFound, Unauthorized } from '../errors.ts';
import { cleanJson, cleanText } from '../text.ts';
import { isToolError, toAiTools } from '../../tools/defineTool.ts';
import { ORDER_TOOLS, TOOL_NAMES, toolsFor } from '../../tools/index.ts';
import type { ConversationToolContext } from '../../tools/requestHandoff.ts';
import { loadMemory, MEMORY_MESSAGES, rememberTurn, type TurnMemory } from './memory.ts';
import type { Models } from './models.ts';
import type { OfflineContext } from './offline/context.ts';
import { afterHoursNotice, handoffNotice, waitingNotice } from './handoffNotice.ts';
import { renderPrompt } from './prompts.ts';
import { requestSent } from './requestSent.ts';
import { buildSystemPrompt, localDate, usesAdvisor } from './systemPrompt.ts';

export const MAX_STEPS = 6;

export interface AgentDeps extends Deps {
  models: Models;
  /** The app's cache of shop cards; without one every turn reads its shop's card afresh. */
  shopCards?: ShopCards;
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
  /** The shopper as stored now (tier included), read by the turn's first round. */
  caller: ShopperCaller;
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
  /**
   * The write of the shopper's message (and of a new conversation), running while the model answers.
   * The turn's tools and finishTurn wait for it, so a failure fails the turn before its reply is
   * stored or returned (a streamed reply's first words may already have gone out).
   */
  stored: Promise<void>;
  /** The conversation's open handoff ticket, read while the model answers. */
  openTicket: Promise<Ticket | null>;
}

// A model over HTTP has sent its request within a few milliseconds; past this the side work starts anyway.
const REQUEST_SENT_MAX_WAIT_MS = 20;

/**
 * Work the turn does while the model answers. It starts once the model's request has gone out (a
 * model over HTTP: requestSent.ts), or on the next turn of the event loop (the offline model, which
 * runs on this thread). Its error is taken by whoever awaits it (a tool, finishTurn); until then it
 * must not count as an unhandled rejection, which would end the process.
 */
function meanwhile<T>(deps: AgentDeps, work: () => Promise<T>): Promise<T> {
  const start = deps.models.remote
    ? requestSent(REQUEST_SENT_MAX_WAIT_MS)
    : new Promise<void>((resolve) => setImmediate(resolve));
  const p = start.then(work);
  p.catch(() => {});
  return p;
}

const shopCard = (deps: AgentDeps, shopId: string): Promise<ShopCard> =>
  deps.shopCards ? deps.shopCards.get(shopId) : loadShopCard(deps.db, shopId);

/**
 * Everything a turn starts from, in one round of reads (on PostgreSQL side by side on the pool's
 * connections): the shop's card, the shopper — who must still exist; their tier decides the persona
 * and the tools — and the conversation. `who` comes from the verified token: the conversation read
 * is scoped to that shopper, so it is safe to run beside the lookup that confirms them.
 */
export async function prepareTurn(deps: AgentDeps, who: TokenShopper, input: ChatTurnInput): Promise<PreparedTurn> {
  const { db, clock } = deps;
  const [card, state] = await Promise.all([
    shopCard(deps, who.shopId),
    turnStartState(db, who.shopId, who.shopperId, input.conversationId, MEMORY_MESSAGES - 1),
  ]);
  const { shopper } = state;
  if (!shopper) throw new Unauthorized('unknown shopper');
  if (state.conversation === 'not_found') throw new NotFound('conversation');
  const caller: ShopperCaller = {
    shopId: who.shopId,
    shopperId: shopper.id,
    tier: shopper.tier,
    referralIdentity: shopper.referralIdentity,
  };
  const handoffRules = card.handoffRules;
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
  const stored = meanwhile(deps, () =>
    storeShopperMessage(deps, caller, conversationId, userMessage, { isNew, summary: memory.summaryChanged ? memory.summary : null }),
  );
  let owner: HumanTurn | 'off_duty' | null = null;
  if (conversation.mode === 'human') {
    // The people side reads and changes the conversation: the shopper's message is there first.
    await stored;
    owner = await humanOwner(deps, caller, conversation, input.message, handoffRules);
  }
  const human = owner && owner !== 'off_duty' ? owner : null;
  if (conversation.mode === 'human' && !human) conversation = { ...conversation, mode: 'ai' };
  const context = turnContext(deps, caller, { card, shopper, conversation, memory, message: input.message, ready: stored }, {
    handoffRules,
    offerHandoff: true,
  });
  return {
    caller,
    conversation,
    userMessageId: userMessage.id,
    userMessage: input.message,
    human,
    handoffRules,
    previous: (state.lastAssistantMeta?.handoff ?? {}) as PreviousTurnFacts,
    offDutyWait: owner === 'off_duty',
    stored,
    openTicket: isNew ? Promise.resolve(null) : meanwhile(deps, () => findOpenTicket(db, conversation.id)),
    ...context,
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

export interface TurnContext {
  system: string;
  messages: ModelMessage[];
  tools: ToolSet;
  providerOptions: { laotie: JSONObject };
}

/**
 * The model call every turn makes (answer, stream, staff suggestion): the caller's prompt and tools,
 * a bounded tool loop, and no SDK retries (models.ts retries once and falls back itself).
 */
export function turnCall(deps: AgentDeps, turn: TurnContext, tools: ToolSet = turn.tools) {
  return {
    model: deps.models.forTurn(),
    system: turn.system,
    messages: turn.messages,
    tools,
    stopWhen: stepCountIs(MAX_STEPS),
    maxRetries: 0,
    providerOptions: turn.providerOptions,
  };
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
  const [card, shopper, memory] = await Promise.all([
    shopCard(deps, caller.shopId),
    getShopperProfile(deps.db, caller.shopId, caller.shopperId),
    loadMemory(deps.db, conversation),
  ]);
  if (!shopper) throw new Unauthorized('unknown shopper');
  return turnContext(deps, caller, { card, shopper, conversation, memory, message, ready: Promise.resolve() }, opts);
}

interface TurnFacts {
  card: ShopCard;
  shopper: ShopperProfile;
  conversation: Conversation;
  memory: TurnMemory;
  message: string;
  /** Settles once the turn's own writes are done: tools wait for it. */
  ready: Promise<void>;
}

function turnContext(
  deps: AgentDeps,
  caller: ShopperCaller,
  { card, shopper, conversation, memory, message, ready }: TurnFacts,
  opts: { handoffRules: ShopHandoffRules; offerHandoff: boolean },
): TurnContext {
  const { shop, vocabulary } = card;
  const now = deps.clock.now();
  const offered = opts.offerHandoff && handoffOffered(opts.handoffRules.handoff, caller.tier);
  const ctx: ConversationToolContext = { ...deps, caller, conversationId: conversation.id };
  return {
    system: withTone(buildSystemPrompt(shop, shopper, now, memory.summary), message, opts.handoffRules),
    messages: memory.messages,
    tools: afterWrites(toAiTools(toolsFor(caller, { handoff: offered }), ctx), ready),
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

// The AI SDK turns a zod schema into JSON Schema on every step of every turn unless it is handed the
// same schema object again (≈ 5 ms a step for our tool set): one per tool definition, reused.
const inputSchemas = new WeakMap<z.ZodType, Tool['inputSchema']>();

function reusedSchema(schema: Tool['inputSchema']): Tool['inputSchema'] {
  if (!(typeof schema === 'object' && schema !== null && '_zod' in schema)) return schema;
  const zod = schema as unknown as z.ZodType;
  let converted = inputSchemas.get(zod);
  if (!converted) {
    converted = zodSchema(zod as never) as Tool['inputSchema'];
    inputSchemas.set(zod, converted);
  }
  return converted;
}

/** The tools of a turn, each run only once `ready` settles (the shopper's message is stored). */
function afterWrites(tools: Record<string, Tool>, ready: Promise<void>): ToolSet {
  const out: ToolSet = {};
  for (const [name, t] of Object.entries(tools)) {
    const execute = t.execute!;
    out[name] = {
      ...t,
      inputSchema: reusedSchema(t.inputSchema),
      execute: async (input, options) => {
        await ready;
        return execute(input, options);
      },
    } as Tool;
  }
  return out;
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
  prepared: PreparedTurn,
  modelReply: string,
  modelToolCalls: StoredToolCall[],
  modelMeta: Record<string, unknown>,
): Promise<ChatTurnResult> {
  if (prepared.human) return humanTurnResult(prepared);
  // A model's words cannot be refused, only cleaned: a NUL or a lone surrogate it wrote, or echoed
  // into a tool call that was refused for it, would fail the write of the whole turn.
  const reply = cleanText(modelReply);
  const toolCalls = cleanJson(modelToolCalls);
  const meta = cleanJson(modelMeta);
  const { db, clock } = deps;
  const { caller } = prepared;
  // The reply comes after the shopper's message, or not at all.
  await prepared.stored;
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
  // A handoff the model asked for in this turn is newer than the ticket read before the model answered.
  const askedForPerson = toolCalls.some((c) => c.name === TOOL_NAMES.requestHandoff);
  const ticket = escalation?.ticket ?? (askedForPerson ? await findOpenTicket(db, conversationId) : await prepared.openTicket);
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
