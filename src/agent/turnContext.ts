// What the model is given for a turn: the system prompt (persona, tier, profile, date, and a softer
// tone or a colleague coming when the message's assessment says so), the conversation window, the
// caller's tools, and the turn input the offline model reads (offline/contract.ts).
import { zodSchema, type Tool, type ToolSet } from 'ai';
import type { z } from 'zod';
import type { ShopperCaller, ToolContext } from '../context.ts';
import { recentMessages, type Conversation, type StoredMessage } from '../domain/conversations/repo.ts';
import { assessMessage, type MessageAssessment } from '../domain/handoff/assessment.ts';
import { handoffOffered, type ShopHandoffRules } from '../domain/handoff/settings.ts';
import { usesAdvisor } from '../domain/lifecycle/advisor.ts';
import { getShopperProfile, type ShopperProfile } from '../domain/shoppers/repo.ts';
import type { ShopCard } from '../domain/shops/cards.ts';
import { Unauthorized } from '../errors.ts';
import { toAiTools } from '../../tools/defineTool.ts';
import { toolsFor } from '../../tools/index.ts';
import { confirmedMessages, NO_CONFIRMATION, type Confirmation } from './confirmation.ts';
import { MEMORY_MESSAGES, rememberTurn, type TurnMemory } from './memory.ts';
import { toProviderOptions } from './offline/contract.ts';
import { shopCard } from './prepareTurn.ts';
import { renderPrompt } from './prompts.ts';
import { buildSystemPrompt, localDate } from './systemPrompt.ts';
import { modelFor, withShopEmbedder, type AgentDeps, type TurnContext } from './turn.ts';

export interface TurnFacts {
  card: ShopCard;
  shopper: ShopperProfile;
  conversation: Conversation;
  memory: TurnMemory;
  assessment: MessageAssessment;
  /** What the message did to an action waiting for the shopper's yes. */
  confirmation: Confirmation;
  /** Settles once the turn's own writes are done: tools wait for it. */
  ready: Promise<void>;
}

/**
 * The prompt, the conversation window and the caller's tools for a reply staff will send, while they
 * own the conversation: the window ends at the shopper's question, the model is told it drafts for a
 * person, and the message is read as one a person is already answering (no request for a person to
 * word, no hand-off offered). Nothing is written.
 */
export async function staffDraftContext(
  deps: AgentDeps,
  caller: ShopperCaller,
  conversation: Conversation,
  question: StoredMessage,
  handoffRules: ShopHandoffRules,
): Promise<TurnContext> {
  const [card, shopper, { messages }, answerer] = await Promise.all([
    shopCard(deps, caller.shopId),
    getShopperProfile(deps.db, caller.shopId, caller.shopperId),
    recentMessages(deps.db, conversation.id, MEMORY_MESSAGES),
    modelFor(deps, caller.shopId),
  ]);
  if (!shopper) throw new Unauthorized('unknown shopper');
  const upToQuestion = rememberTurn(messages.filter((m) => m.id <= question.id), conversation.summary);
  const memory = { messages: upToQuestion.messages, summary: upToQuestion.summary };
  const assessment = { ...assessMessage(question.content, handoffRules.handoff, caller.tier), askedForHuman: false, handoff: [] };
  const turn = turnContext(withShopEmbedder(deps, answerer), caller, { card, shopper, conversation, memory, assessment, confirmation: NO_CONFIRMATION, ready: Promise.resolve() }, { offerHandoff: false });
  return { ...turn, answerer, system: `${turn.system}\n\n${renderPrompt('staff-draft', {})}` };
}

export function turnContext(
  deps: AgentDeps,
  caller: ShopperCaller,
  { card, shopper, conversation, memory, assessment, confirmation, ready }: TurnFacts,
  opts: { offerHandoff: boolean },
): TurnContext {
  const { shop, vocabulary } = card;
  const now = deps.clock.now();
  const offered = opts.offerHandoff && handoffOffered(card.handoffRules.handoff, caller.tier);
  const handoff = offered ? assessment.handoff : [];
  const ctx: ToolContext = { ...deps, caller, conversationId: conversation.id, shop };
  return {
    system: withConfirmation(withAssessment(buildSystemPrompt(shop, shopper, now, memory.summary), assessment, handoff.length > 0), confirmation),
    // A confirmed action ran before the model: it reads it as this turn's tool call and its result.
    messages: confirmation.outcome === 'confirmed' ? [...memory.messages, ...confirmedMessages(confirmation.call)] : memory.messages,
    tools: afterWrites(toAiTools(toolsFor(caller, { handoff: offered }), ctx), ready),
    providerOptions: toProviderOptions({
      shopName: shop.name,
      advisorName: shop.card.advisorName,
      persona: usesAdvisor(caller.tier) ? 'advisor' : 'card',
      tier: caller.tier,
      nickname: shopper.nickname,
      today: localDate(now, shop.timezone),
      categories: vocabulary.categories,
      colors: vocabulary.colors,
      skinTypes: vocabulary.skinTypes,
      productNames: vocabulary.productNames,
      skinType: shopper.skinType ?? '',
      timezone: shop.timezone,
      mood: assessment.mood,
      askedForHuman: assessment.askedForHuman,
      handoffAvailable: offered,
      handoff,
      confirmation:
        confirmation.outcome === 'none'
          ? { outcome: 'none' }
          : { outcome: confirmation.outcome, tool: confirmation.action.tool, saidYes: confirmation.outcome !== 'confirmed' && confirmation.answer === 'yes' },
    }),
  };
}

/** An LLM is told what the shopper's answer did to the action the card had stated. */
function withConfirmation(system: string, confirmation: Confirmation): string {
  if (confirmation.outcome === 'none' || confirmation.outcome === 'dropped') return system;
  if (confirmation.outcome === 'confirmed') return `${system}\n\n${renderPrompt('confirm-done', { summary: confirmation.action.summary })}`;
  if (confirmation.outcome === 'declined') return `${system}\n\n${renderPrompt('confirm-declined', { summary: confirmation.action.summary })}`;
  if (confirmation.outcome === 'confirmed_elsewhere') return `${system}\n\n${renderPrompt('confirm-elsewhere', { summary: confirmation.action.summary })}`;
  return confirmation.answer === 'yes' ? `${system}\n\n${renderPrompt('confirm-expired', { summary: confirmation.action.summary })}` : system;
}

/**
 * An LLM reads the message's assessment as instructions: a softer tone for an upset shopper, and
 * that a colleague is being brought in when the hand-off rules will hand over after this turn (the
 * offline model reads the same assessment from the turn input).
 */
export function withAssessment(system: string, assessment: MessageAssessment, handingOver: boolean): string {
  const parts = [system];
  if (assessment.mood !== 'calm') parts.push(renderPrompt(assessment.mood === 'angry' ? 'tone-angry' : 'tone-upset', {}));
  if (handingOver) parts.push(renderPrompt('handoff-coming', {}));
  return parts.join('\n\n');
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
