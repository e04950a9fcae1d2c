// Core users and 老铁 meet the dedicated advisor instead of the shopping assistant (docs/domain.md §9
// Advisor): fixed in code, not a shop setting. The card's persona and the membership answer both read it.
import type { Tier } from '../../context.ts';

export const ADVISOR_TIERS: readonly Tier[] = ['core', 'laotie'];

export function usesAdvisor(tier: Tier): boolean {
  return ADVISOR_TIERS.includes(tier);
}
