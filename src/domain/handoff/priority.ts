// Who waits least (docs/domain.md §10 Handoff): 老铁 before core users before potential users before everyone
// else, and an angry shopper one step ahead of a calm one of the same tier. Priority shoppers (core,
// 老铁 by default) get the short SLA to the first human reply.
import type { Tier } from '../../context.ts';
import type { HandoffSettings } from './settings.ts';

const TIER_RANK: Record<Tier, number> = { laotie: 4, core: 3, potential: 2, converted: 1, new: 1 };
const ANGER_BOOST = 1;

/** Higher is more urgent (1–5). */
export function priorityOf(tier: Tier, angry: boolean): number {
  return TIER_RANK[tier] + (angry ? ANGER_BOOST : 0);
}

export function slaMinutesFor(tier: Tier, s: HandoffSettings): number {
  return s.priorityTiers.includes(tier) ? s.slaMinutes.priority : s.slaMinutes.standard;
}
