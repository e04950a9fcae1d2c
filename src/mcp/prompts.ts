// The card's persona as an MCP prompt: prompts/persona-card.md (or persona-advisor.md for the tiers
// with a dedicated advisor, docs/domain.md §9 Advisor) rendered with the shop's own persona. Only the
// persona: the rest of the card's system prompt (its working rules, the shopper's profile) is
// internal and never handed out, over MCP as in a chat.
import type { GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js';
import { renderPrompt } from '../agent/prompts.ts';
import type { Deps, ShopperCaller, StaffIdentity } from '../context.ts';
import { usesAdvisor } from '../domain/lifecycle/advisor.ts';
import { TIER_LABELS } from '../domain/lifecycle/labels.ts';
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
  const text =
    caller.role === 'shopper' && usesAdvisor(caller.tier)
      ? renderPrompt('persona-advisor', { tierLabel: TIER_LABELS[caller.tier], advisorPersona: shop.card.advisorPersona || shop.card.persona })
      : renderPrompt('persona-card', { shopPersona: shop.card.persona });
  return {
    description: `${shop.name} · ${shop.card.advisorName}（${shop.card.advisorTitle}）`,
    messages: [{ role: 'user', content: { type: 'text', text } }],
  };
}
