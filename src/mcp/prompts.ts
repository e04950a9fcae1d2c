// The card's persona as an MCP prompt: the system prompt a chat turn gives the model, built from
// prompts/*.md for the shopper the token names (their tier picks the card or the dedicated advisor);
// staff get the card's own persona as shoppers of a new tier meet it.
import type { GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js';
import { buildSystemPrompt } from '../agent/systemPrompt.ts';
import type { Caller, Deps } from '../context.ts';
import { getShopperProfile } from '../domain/shoppers/repo.ts';
import { getShop } from '../domain/shops/repo.ts';
import { NotFound } from '../errors.ts';

export const CARD_PROMPT = 'cardPersona';

export const CARD_PROMPTS: Prompt[] = [
  {
    name: CARD_PROMPT,
    title: '名片人设 / the card\'s persona',
    description: 'The system prompt of the shop\'s AI card: persona, tone, the shopper\'s tier and profile, today\'s date.',
  },
];

export async function getCardPrompt(deps: Deps, caller: Caller, name: string): Promise<GetPromptResult> {
  if (name !== CARD_PROMPT) throw new NotFound('prompt');
  const shop = await getShop(deps.db, caller.shopId);
  const profile = caller.role === 'shopper' ? await getShopperProfile(deps.db, caller.shopId, caller.shopperId) : null;
  if (caller.role === 'shopper' && !profile) throw new NotFound('shopper');
  const shopper = profile ?? { nickname: '顾客', tier: 'new' as const, profileSummary: '' };
  return {
    description: `${shop.name} · ${shop.card.advisorName}`,
    messages: [{ role: 'user', content: { type: 'text', text: buildSystemPrompt(shop, shopper, deps.clock.now(), '') } }],
  };
}
