// Potential scoring of converted shoppers (docs/domain.md §3.4 Potential score): high / mid / low by the
// shop's rules (case default for high: first order ≥ 80 yuan AND dwell ≥ 8 min AND favourites ≥ 3).
import type { Tier } from '../../context.ts';
import { evaluateGroup } from './conditions.ts';
import type { LifecycleRules } from './rules.ts';
import type { Metric } from './tags.ts';

export type PotentialScore = 'high' | 'mid' | 'low';

export function potentialScore(rules: LifecycleRules['potential'], metrics: Record<Metric, number | null>): PotentialScore {
  if (evaluateGroup(rules.high, metrics).ok) return 'high';
  if (evaluateGroup(rules.mid, metrics).ok) return 'mid';
  return 'low';
}

/**
 * The score to store: scored while the shopper is converted (the stage it is meant for), including the
 * evaluation that promotes them out of it; kept as it was afterwards, so it still says how the
 * shopper started; none before the first order.
 */
export function nextPotentialScore(
  before: Tier,
  after: Tier,
  stored: PotentialScore | null,
  rules: LifecycleRules['potential'],
  metrics: Record<Metric, number | null>,
): PotentialScore | null {
  if (after === 'new') return null;
  if (before === 'converted' || after === 'converted' || stored === null) return potentialScore(rules, metrics);
  return stored;
}
