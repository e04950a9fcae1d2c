// A shopper's membership as the card explains it (docs/domain.md §3 Tiers): the tier and since when,
// what it gives at this shop, the next tier with each of its conditions against the shopper's own
// numbers now ("有效订单数 2/3"), and what would move them down. Computed from the shop's rules in
// force and tags computed afresh (the stored ones are as of the shopper's last event, and counts such
// as "orders in the last 30 days" move with time). Only reads.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';
import { shortYuan } from '../orders/money.ts';
import { getShop } from '../shops/repo.ts';
import { benefitsGained, loadBenefitFacts, tierBenefits, type Benefit } from './benefits.ts';
import { evaluateGroup, holds, OPS, type Condition, type Group } from './conditions.ts';
import { METRIC_LABELS, TIER_LABELS } from './labels.ts';
import { currentRules, type LifecycleRules } from './rules.ts';
import { computeTags, tagMetrics, type Metric } from './tags.ts';
import { tierHistory } from './tiers.ts';

export interface Requirement {
  metric: Metric;
  label: string;
  op: (typeof OPS)[keyof typeof OPS];
  threshold: number;
  /** The shopper's value now; null when there is none yet (no order, nothing to compare). */
  current: number | null;
  /** The condition holds now. */
  met: boolean;
  /** In the shopper's words: '有效订单数 2/3', '累计消费 ¥350/¥500', '近30天订单数 2（要求 ≥ 1，已满足）'. */
  text: string;
}

export interface RequirementGroup {
  /** Every one of these must hold. */
  all: Requirement[];
  /** At least `atLeast` of these must hold (`met` do now). */
  any: { atLeast: number; met: number; of: Requirement[] } | null;
  /** The whole group holds now. */
  met: boolean;
}

export interface NextTier {
  tier: Tier;
  label: string;
  /** What promotes the shopper into it. */
  requirements: RequirementGroup;
  /** Conditions of the tier's own demotion rule that hold now: while they do, the promotion waits. */
  blockedBy: Requirement[];
  /** Everything holds: the promotion happens at the shopper's next event (an order, a view …). */
  ready: boolean;
  /** What the tier adds to what the shopper has now. */
  gains: Benefit[];
}

export interface Demotion {
  to: Tier;
  label: string;
  /** When this holds, the shopper moves down a tier; `met` says whether it holds now. */
  when: RequirementGroup;
}

export interface TierStepView {
  from: Tier;
  to: Tier;
  change: 'converted' | 'promoted' | 'demoted';
  at: Date;
}

export interface Membership {
  tier: Tier;
  label: string;
  /** When the shopper reached the tier (registration for new shoppers); null when not recorded. */
  since: Date | null;
  /** Tier changes, newest first. */
  history: TierStepView[];
  benefits: Benefit[];
  /** null for 老铁: there is no tier above. */
  next: NextTier | null;
  /** null for new and converted shoppers: nobody falls below converted. */
  demotion: Demotion | null;
  /** The rules version in force (0 = the defaults). */
  ruleVersion: number;
}

const ORDER: readonly Tier[] = ['new', 'converted', 'potential', 'core', 'laotie'];
const HISTORY_LIMIT = 10;
const MONEY: ReadonlySet<Metric> = new Set(['gmvFen', 'firstOrderFen', 'aovFen']);
const PERCENT: ReadonlySet<Metric> = new Set(['aovVsShopPct', 'firstOrderVsShopPct', 'referralConversionPct']);
// docs/domain.md §3.1: the first counted order makes a new shopper converted — a definition, not a rule.
const CONVERSION: Group = { all: [{ metric: 'orderCount', op: 'gte', value: 1 }], any: [], minAny: 1 };

function shown(metric: Metric, v: number | null): string {
  if (v === null) return '暂无';
  if (metric === 'followed') return v ? '是' : '否';
  if (MONEY.has(metric)) return `¥${shortYuan(v)}`;
  return PERCENT.has(metric) ? `${v}%` : String(v);
}

type Framing = 'need' | 'demotes' | 'blocks';

function requirement(c: Condition, metrics: Record<Metric, number | null>, framing: Framing): Requirement {
  const current = metrics[c.metric];
  const op = OPS[c.op];
  const label = METRIC_LABELS[c.metric];
  const met = holds(c, current);
  const [now, target] = [shown(c.metric, current), shown(c.metric, c.value)];
  let text = `${label} ${now}（${op} ${target} 时${framing === 'demotes' ? '降级' : '不能升入'}）`;
  if (framing === 'need') {
    if (met) text = `${label} ${now}（要求 ${op} ${target}，已满足）`;
    else text = c.op === 'gte' && current !== null ? `${label} ${now}/${target}` : `${label} ${now}（需要 ${op} ${target}）`;
  }
  return { metric: c.metric, label, op, threshold: c.value, current, met, text };
}

function group(g: Group, metrics: Record<Metric, number | null>, framing: Framing): RequirementGroup {
  const any = g.any.map((c) => requirement(c, metrics, framing));
  return {
    all: g.all.map((c) => requirement(c, metrics, framing)),
    any: any.length ? { atLeast: g.minAny, met: any.filter((r) => r.met).length, of: any } : null,
    met: evaluateGroup(g, metrics).ok,
  };
}

function ruleOf(tier: Tier, rules: LifecycleRules['tiers']): { promote: Group; demote: Group | null } | null {
  if (tier === 'converted') return { promote: CONVERSION, demote: null };
  return tier === 'new' ? null : rules[tier];
}

/** The next tier and what it takes, from the rules and the shopper's metrics; null at the top. */
export function nextTierOf(tier: Tier, rules: LifecycleRules['tiers'], metrics: Record<Metric, number | null>): Omit<NextTier, 'gains'> | null {
  const next = ORDER[ORDER.indexOf(tier) + 1];
  if (!next) return null;
  const rule = ruleOf(next, rules)!;
  const requirements = group(rule.promote, metrics, 'need');
  const demote = rule.demote ? group(rule.demote, metrics, 'blocks') : null;
  const blockedBy = demote?.met ? [...demote.all, ...(demote.any?.of ?? [])].filter((r) => r.met) : [];
  return { tier: next, label: TIER_LABELS[next], requirements, blockedBy, ready: requirements.met && blockedBy.length === 0 };
}

/** What moves the shopper down from `tier`; null where nobody is demoted. */
export function demotionOf(tier: Tier, rules: LifecycleRules['tiers'], metrics: Record<Metric, number | null>): Demotion | null {
  if (tier === 'new' || tier === 'converted') return null;
  const rule = rules[tier].demote;
  if (!rule) return null;
  const to = ORDER[ORDER.indexOf(tier) - 1]!;
  return { to, label: TIER_LABELS[to], when: group(rule, metrics, 'demotes') };
}

function changeOf(from: Tier, to: Tier): TierStepView['change'] {
  if (from === 'new') return 'converted';
  return ORDER.indexOf(to) > ORDER.indexOf(from) ? 'promoted' : 'demoted';
}

export async function membershipOf(db: Queryable, shopId: string, shopperId: number, now: Date): Promise<Membership> {
  const { rows } = await db.query<{ tier: Tier; registered_at: Date }>(
    'SELECT tier, registered_at FROM shoppers WHERE shop_id = $1 AND id = $2 AND erased_at IS NULL',
    [shopId, shopperId],
  );
  const me = rows[0];
  if (!me) throw new NotFound('shopper');
  const { version, rules } = await currentRules(db, shopId);
  const shop = await getShop(db, shopId);
  const metrics = tagMetrics(await computeTags(db, shopId, shopperId, now, shop.settings.averageOrderFen));
  const facts = await loadBenefitFacts(db, shop, rules);
  const history = await tierHistory(db, shopId, shopperId, HISTORY_LIMIT);

  const benefits = tierBenefits(me.tier, facts);
  const next = nextTierOf(me.tier, rules.tiers, metrics);
  const reached = history.find((h) => h.to === me.tier)?.at ?? (me.tier === 'new' ? me.registered_at : null);
  return {
    tier: me.tier,
    label: TIER_LABELS[me.tier],
    since: reached,
    history: history.map((h) => ({ from: h.from, to: h.to, change: changeOf(h.from, h.to), at: h.at })),
    benefits,
    next: next ? { ...next, gains: benefitsGained(benefits, tierBenefits(next.tier, facts)) } : null,
    demotion: demotionOf(me.tier, rules.tiers, metrics),
    ruleVersion: version,
  };
}
