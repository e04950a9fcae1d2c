// Who waits least (docs/domain.md §10 Handoff): urgency first — an angry shopper, or one who threatens
// a formal complaint (投诉, 12315, 消协, 曝光), before every calm ticket, whatever that one is for (a
// question twice unanswered, a request for a person) and whoever asked it; within the same urgency
// 老铁 before core users before potential users before everyone else. Priority shoppers (core, 老铁
// by default) get the short SLA to the first human reply.
import type { Tier } from '../../context.ts';
import type { HandoffSettings } from './settings.ts';

const TIER_RANK: Record<Tier, number> = { laotie: 4, core: 3, potential: 2, converted: 1, new: 1 };
// Above the highest tier rank, so an urgent ticket of any tier outranks every calm one.
const URGENT = Math.max(...Object.values(TIER_RANK));

/** Higher is more urgent (1–8): urgency, then tier. */
export function priorityOf(tier: Tier, urgent: boolean): number {
  return TIER_RANK[tier] + (urgent ? URGENT : 0);
}

export function slaMinutesFor(tier: Tier, s: HandoffSettings): number {
  return s.priorityTiers.includes(tier) ? s.slaMinutes.priority : s.slaMinutes.standard;
}
