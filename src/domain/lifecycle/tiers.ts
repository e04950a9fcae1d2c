// Promotion and demotion along converted → potential → core → 老铁 (docs/domain.md §3 Tiers) by the shop's
// versioned rules. A tier is entered when its promote rule holds and its demote rule does not, and
// left (one step down) when its demote rule holds: the two together keep a shopper from bouncing.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { TIER_LABELS } from './labels.ts';
import { evaluateGroup } from './conditions.ts';
import type { LifecycleRules } from './rules.ts';
import type { Metric } from './tags.ts';

const LADDER = ['converted', 'potential', 'core', 'laotie'] as const satisfies readonly Tier[];
type RankedTier = (typeof LADDER)[number];
type RuledTier = Exclude<RankedTier, 'converted'>;

export interface TierStep {
  from: Tier;
  to: Tier;
  kind: 'convert' | 'promote' | 'demote';
  reason: string;
  matched: string[];
}

function step(from: Tier, to: Tier, kind: TierStep['kind'], matched: string[]): TierStep {
  const verb = kind === 'demote' ? '降级为' : kind === 'convert' ? '首单转化为' : '晋升为';
  return { from, to, kind, matched, reason: `${verb}${TIER_LABELS[to]}：${matched.join('；')}` };
}

/** The steps from `current` that the rules call for now, in order (empty when the tier stays). */
export function tierSteps(current: Tier, rules: LifecycleRules['tiers'], metrics: Record<Metric, number | null>): TierStep[] {
  const steps: TierStep[] = [];
  let tier: Tier = current;
  // docs/domain.md §3 Tiers: converted = has a first (paid) order; this one is a definition, not a rule.
  if (tier === 'new') {
    if ((metrics.orderCount ?? 0) < 1) return steps;
    steps.push(step('new', 'converted', 'convert', [`orderCount ${metrics.orderCount} ≥ 1`]));
    tier = 'converted';
  }
  for (let i = LADDER.indexOf(tier as RankedTier) + 1; i < LADDER.length; i++) {
    const next = LADDER[i] as RuledTier;
    const promote = evaluateGroup(rules[next].promote, metrics);
    const demote = rules[next].demote ? evaluateGroup(rules[next].demote, metrics) : null;
    if (!promote.ok || demote?.ok) break;
    steps.push(step(tier, next, 'promote', promote.matched));
    tier = next;
  }
  if (steps.length > 0) return steps;
  while (tier !== 'converted') {
    const rule = rules[tier as RuledTier].demote;
    const demote = rule ? evaluateGroup(rule, metrics) : null;
    if (!demote?.ok) break;
    const lower: RankedTier = LADDER[LADDER.indexOf(tier as RankedTier) - 1]!;
    steps.push(step(tier, lower, 'demote', demote.matched));
    tier = lower;
  }
  return steps;
}

/** Moves the shopper and records every step with its reason and rule version. */
export async function applyTierSteps(
  tx: Queryable,
  shopId: string,
  shopperId: number,
  steps: readonly TierStep[],
  ruleVersion: number,
  now: Date,
): Promise<void> {
  const last = steps.at(-1);
  if (!last) return;
  await tx.query('UPDATE shoppers SET tier = $3 WHERE shop_id = $1 AND id = $2', [shopId, shopperId, last.to]);
  for (const s of steps) {
    await tx.query(
      `INSERT INTO tier_changes (shop_id, shopper_id, from_tier, to_tier, reason, rule_version, details, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [shopId, shopperId, s.from, s.to, s.reason, ruleVersion, JSON.stringify({ kind: s.kind, matched: s.matched }), now],
    );
  }
}

export interface TierChange {
  from: Tier;
  to: Tier;
  reason: string;
  ruleVersion: number;
  at: Date;
}

/** A shopper's tier history, newest first. */
export async function tierHistory(db: Queryable, shopId: string, shopperId: number, limit = 20): Promise<TierChange[]> {
  const { rows } = await db.query<{ from_tier: Tier; to_tier: Tier; reason: string; rule_version: number; changed_at: Date }>(
    `SELECT from_tier, to_tier, reason, rule_version, changed_at FROM tier_changes
      WHERE shop_id = $1 AND shopper_id = $2 ORDER BY changed_at DESC, id DESC LIMIT $3`,
    [shopId, shopperId, limit],
  );
  return rows.map((r) => ({ from: r.from_tier, to: r.to_tier, reason: r.reason, ruleVersion: r.rule_version, at: r.changed_at }));
}
