// Rule conditions: thresholds over tag metrics (docs/domain.md §3 Tiers: configurable thresholds
// over the tags). A group holds when all of `all` hold and at least `minAny` of `any` hold, which covers the
// case rule (first order ≥ 80 AND dwell ≥ 8 AND favourites ≥ 3) and "k of n markers" (老铁).
import { z } from 'zod';
import { METRICS, type Metric } from './tags.ts';

/** Each comparison as written for people. */
export const OPS = { gte: '≥', gt: '>', lte: '≤', lt: '<', eq: '=' } as const;

export const conditionSchema = z.strictObject({
  metric: z.enum(METRICS),
  op: z.enum(Object.keys(OPS) as [keyof typeof OPS, ...(keyof typeof OPS)[]]),
  value: z.number(),
});
export type Condition = z.infer<typeof conditionSchema>;

export const groupSchema = z
  .strictObject({
    all: z.array(conditionSchema).max(20),
    any: z.array(conditionSchema).max(20),
    minAny: z.number().int().min(1),
  })
  .refine((g) => g.all.length + g.any.length > 0, 'a rule needs at least one condition')
  .refine((g) => g.any.length === 0 || g.minAny <= g.any.length, 'minAny is larger than the number of `any` conditions');
export type Group = z.infer<typeof groupSchema>;

export function holds(c: Condition, actual: number | null): boolean {
  // A metric without a value (no order yet, nothing to compare) never satisfies a threshold.
  if (actual === null) return false;
  switch (c.op) {
    case 'gte':
      return actual >= c.value;
    case 'gt':
      return actual > c.value;
    case 'lte':
      return actual <= c.value;
    case 'lt':
      return actual < c.value;
    case 'eq':
      return actual === c.value;
  }
}

export interface GroupResult {
  ok: boolean;
  /** The conditions that held, as 'firstOrderFen 8800 ≥ 8000', for the recorded reason. */
  matched: string[];
}

function describe(c: Condition, actual: number | null): string {
  return `${c.metric} ${actual ?? '∅'} ${OPS[c.op]} ${c.value}`;
}

export function evaluateGroup(g: Group, metrics: Record<Metric, number | null>): GroupResult {
  const allMatched = g.all.filter((c) => holds(c, metrics[c.metric]));
  const anyMatched = g.any.filter((c) => holds(c, metrics[c.metric]));
  const ok = allMatched.length === g.all.length && (g.any.length === 0 || anyMatched.length >= g.minAny);
  return { ok, matched: [...allMatched, ...anyMatched].map((c) => describe(c, metrics[c.metric])) };
}
