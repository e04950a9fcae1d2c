// The tiers in the words shoppers and staff read (docs/domain.md §3 Tiers): one wording everywhere —
// the card's prompt, coupon and vote refusals, the staff console, reminders.
import type { Tier } from '../../context.ts';

export const TIER_LABELS: Record<Tier, string> = {
  new: '新用户',
  converted: '转化用户',
  potential: '潜力用户',
  core: '核心用户',
  laotie: '老铁',
};
