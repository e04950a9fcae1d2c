// Builds the system prompt from prompts/*.md: the shop's card persona (or the dedicated advisor for
// core users and 老铁, docs/domain.md §9 Advisor), the shopper's tier and profile summary, and today's date.
import type { Tier } from '../context.ts';
import type { Shop } from '../domain/shops/repo.ts';
import { usesAdvisor } from '../domain/lifecycle/advisor.ts';
import { TIER_LABELS } from '../domain/lifecycle/labels.ts';
import { renderPrompt } from './prompts.ts';

export interface PromptShopper {
  nickname: string;
  tier: Tier;
  profileSummary: string;
}

// Building a DateTimeFormat costs about a millisecond (it loads the zone's rules); a turn needs two.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function localDate(now: Date, timezone: string): string {
  let format = dayFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timezone, format);
  }
  return format.format(now);
}

/** Who the card is to a shopper of this tier: the shop's card, or the dedicated advisor. */
export function personaPrompt(shop: Shop, tier: Tier): string {
  return usesAdvisor(tier)
    ? renderPrompt('persona-advisor', { tierLabel: TIER_LABELS[tier], advisorPersona: shop.card.advisorPersona || shop.card.persona })
    : renderPrompt('persona-card', { shopPersona: shop.card.persona });
}

export function buildSystemPrompt(shop: Shop, shopper: PromptShopper, now: Date, conversationSummary: string): string {
  const tierLabel = TIER_LABELS[shopper.tier];
  const persona = personaPrompt(shop, shopper.tier);
  return renderPrompt('system', {
    shopName: shop.name,
    advisorName: shop.card.advisorName,
    advisorTitle: shop.card.advisorTitle,
    persona,
    tone: shop.card.tone || '亲切、专业、简洁',
    nickname: shopper.nickname,
    tierLabel,
    profileSummary: shopper.profileSummary || '暂无',
    today: localDate(now, shop.timezone),
    timezone: shop.timezone,
    conversationSummary: conversationSummary || '（无）',
  });
}
