// The card's persona as an MCP prompt, the same text the chat's system prompt opens with (the card's,
// or the dedicated advisor's for the tiers that have one, docs/domain.md §9 Advisor). Only the
// persona: the rest of the card's system prompt (its working rules, the shopper's profile) is
// internal and never handed out, over MCP as in a chat.
import type { GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js';
import { personaPrompt } from '../agent/systemPrompt.ts';
import type { Deps, ShopperCaller, StaffIdentity } from '../context.ts';
import { getShop } from '../domain/shops/repo.ts';
import { NotFound } from '../errors.ts';

export const CARD_PROMPT = 'cardPersona';

export const CARD_PROMPTS: Prompt[] = [
  {
    name: CARD_PROMPT,
    title: '名片人设 / the card\'s persona',
    description: 'The persona of the shop\'s AI card: the card\'s, or the dedicated advisor\'s for core shoppers and 老铁.',
  },
];

export async function getCardPrompt(deps: Deps, caller: ShopperCaller | StaffIdentity, name: string): Promise<GetPromptResult> {
  if (name !== CARD_PROMPT) throw new NotFound('prompt');
  const shop = await getShop(deps.db, caller.shopId);
  // Staff see the card as a shopper of any tier without an advisor meets it.
  const text = personaPrompt(shop, caller.role === 'shopper' ? caller.tier : 'new');
  return {
    description: `${shop.name} · ${shop.card.advisorName}（${shop.card.advisorTitle}）`,
    messages: [{ role: 'user', content: { type: 'text', text } }],
  };
}
