// The shop's lifecycle rules, one versioned document (GET/PUT/PATCH /v1/admin/rules): potential
// scoring, promotion/demotion between tiers, points tasks and the 老铁 community numbers. Every number
// is a default the operator can change (docs/domain.md §3 Tiers, §6 Points, §11 Community); each save is a
// new version, and every tier change records the version it was decided under.
//
// A save names every setting (or, as a patch, exactly the ones it changes) and the version it was
// edited from: a key the schema does not know is refused at every level, never dropped, so a body of
// the wrong shape cannot quietly put the defaults back, and a stale editor cannot overwrite a newer one.
import { z } from 'zod';
import { TIERS, type Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { Conflict, Invalid } from '../../errors.ts';
import { typable } from '../../text/typable.ts';
import { isUniqueViolation } from '../orders/uniqueViolation.ts';
import { groupSchema, type Group } from './conditions.ts';

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/);

const tierRuleSchema = z.strictObject({
  promote: groupSchema,
  /** null: never demoted out of this tier. */
  demote: groupSchema.nullable(),
});

export const taskSchema = z.strictObject({
  code: slug,
  name: typable().min(1).max(60),
  kind: z.enum(['browse_new_products', 'share_product']),
  target: z.number().int().min(1).max(100),
  points: z.number().int().min(1).max(100_000),
  /** How often the task can be completed again, in the shop's local calendar. */
  period: z.enum(['once', 'day', 'week', 'month']),
  /** A product counts as new for this many days after its launch. */
  newProductDays: z.number().int().min(1).max(365),
  audienceTiers: z.array(z.enum(TIERS)).min(1),
});
export type PointsTask = z.infer<typeof taskSchema>;

const badgeSchema = z.strictObject({ code: slug, name: typable().min(1).max(30), description: typable().max(200) });

const all = (...c: Group['all']): Group => ({ all: c, any: [], minAny: 1 });

// docs/domain.md §3.4 Potential score: the case's high potential; mid = two of the article's generic markers.
const DEFAULT_POTENTIAL = {
  high: all(
    { metric: 'firstOrderFen', op: 'gte', value: 8000 },
    { metric: 'dwellMinutes', op: 'gte', value: 8 },
    { metric: 'favourites', op: 'gte', value: 3 },
  ),
  mid: {
    all: [],
    any: [
      { metric: 'firstOrderVsShopPct', op: 'gt', value: 100 },
      { metric: 'dwellMinutes', op: 'gte', value: 5 },
      { metric: 'followed', op: 'eq', value: 1 },
      { metric: 'favourites', op: 'gte', value: 1 },
    ],
    minAny: 2,
  },
} satisfies Record<'high' | 'mid', Group>;

// Interpretation of the article (docs/domain.md §3.3 Promotion and demotion): potential = bought again (the
// case's "二次消费 → 潜力用户"); core = a regular buyer; 老铁 = ≥ 2 orders in 30 days plus two value markers (shares,
// refers, feedback, quick to new launches, AOV above the shop's). Inactivity demotes one step at a time.
const DEFAULT_TIERS = {
  potential: {
    promote: all({ metric: 'repurchaseCount', op: 'gte', value: 1 }),
    demote: all({ metric: 'daysSinceLastPaid', op: 'gt', value: 120 }),
  },
  core: {
    promote: all({ metric: 'orderCount', op: 'gte', value: 3 }, { metric: 'ordersLast30d', op: 'gte', value: 1 }),
    demote: all({ metric: 'daysSinceLastPaid', op: 'gt', value: 90 }),
  },
  laotie: {
    promote: {
      all: [{ metric: 'ordersLast30d', op: 'gte', value: 2 }],
      any: [
        { metric: 'shares', op: 'gte', value: 1 },
        { metric: 'referredUsers', op: 'gte', value: 1 },
        { metric: 'feedbacks', op: 'gte', value: 1 },
        { metric: 'newProductViewsLast30d', op: 'gte', value: 3 },
        { metric: 'aovVsShopPct', op: 'gt', value: 100 },
      ],
      minAny: 2,
    },
    demote: all({ metric: 'daysSinceLastPaid', op: 'gt', value: 60 }),
  },
} satisfies Record<'potential' | 'core' | 'laotie', { promote: Group; demote: Group | null }>;

// docs/domain.md §6 Points: growth tasks (article defaults: 50 and 100 points), once a month each.
const DEFAULT_TASKS: PointsTask[] = [
  {
    code: 'browse-new-products',
    name: '浏览3个新品',
    kind: 'browse_new_products',
    target: 3,
    points: 50,
    period: 'month',
    newProductDays: 30,
    audienceTiers: ['converted', 'potential', 'core', 'laotie'],
  },
  {
    code: 'share-product',
    name: '分享1个商品',
    kind: 'share_product',
    target: 1,
    points: 100,
    period: 'month',
    newProductDays: 30,
    audienceTiers: ['converted', 'potential', 'core', 'laotie'],
  },
];

// docs/domain.md §11 Community for 老铁: 10–20 candidates, top 5 launch; adopted feedback earns 500–2000 yuan.
const DEFAULT_COMMUNITY = {
  vote: { minCandidates: 10, maxCandidates: 20, topN: 5, votesPerShopper: 5, voterTiers: ['laotie'] as Tier[] },
  feedbackRewardFen: { min: 50_000, max: 200_000 },
  adoptionBadge: 'chief_creative_officer',
  badges: [
    { code: 'chief_experience_officer', name: '首席体验官', description: '参与新品试用并给出评测' },
    { code: 'referral_pioneer', name: '裂变先锋', description: '带来新朋友下单' },
    { code: 'chief_creative_officer', name: '首席创意官', description: '建议被采纳' },
  ],
};

const communitySchema = z
  .strictObject({
    vote: z
      .strictObject({
        minCandidates: z.number().int().min(2).max(100),
        maxCandidates: z.number().int().min(2).max(100),
        topN: z.number().int().min(1).max(50),
        votesPerShopper: z.number().int().min(1).max(100),
        voterTiers: z.array(z.enum(TIERS)).min(1),
      })
      .refine((v) => v.minCandidates <= v.maxCandidates, 'minCandidates must not exceed maxCandidates'),
    feedbackRewardFen: z
      .strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) })
      .refine((r) => r.min <= r.max, 'min must not exceed max'),
    adoptionBadge: slug.nullable(),
    badges: z.array(badgeSchema).max(50),
  })
  .refine((c) => c.adoptionBadge === null || c.badges.some((b) => b.code === c.adoptionBadge), 'adoptionBadge must be one of badges');

/** A whole rule set: every setting named, nothing else (the GET's `rules`, as PUT takes it). */
export const lifecycleRulesSchema = z.strictObject({
  potential: z.strictObject({ high: groupSchema, mid: groupSchema }),
  tiers: z.strictObject({ potential: tierRuleSchema, core: tierRuleSchema, laotie: tierRuleSchema }),
  tasks: z
    .array(taskSchema)
    .max(20)
    .refine((ts) => new Set(ts.map((t) => t.code)).size === ts.length, 'task codes must be unique'),
  community: communitySchema,
});
export type LifecycleRules = z.infer<typeof lifecycleRulesSchema>;

export const DEFAULT_RULES: LifecycleRules = lifecycleRulesSchema.parse({
  potential: DEFAULT_POTENTIAL,
  tiers: DEFAULT_TIERS,
  tasks: DEFAULT_TASKS,
  community: DEFAULT_COMMUNITY,
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `patch` laid over `base`: objects merge key by key, anything else (an array, a number, null)
 * replaces what was there. Object.fromEntries keeps a '__proto__' key as a plain key, so the strict
 * schema refuses it like any other unknown one.
 */
export function mergeRules(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const merged = new Map(Object.entries(base));
  for (const [k, v] of Object.entries(patch)) merged.set(k, mergeRules(merged.get(k), v));
  return Object.fromEntries(merged);
}

export interface RulesVersion {
  /** 0 = nothing saved yet: the defaults. */
  version: number;
  rules: LifecycleRules;
  createdAt: Date | null;
  createdBy: string | null;
}

/** The rules in force for a shop: the highest saved version, or the defaults. */
export async function currentRules(db: Queryable, shopId: string): Promise<RulesVersion> {
  const { rows } = await db.query<{ version: number; rules: unknown; created_at: Date; created_by: string }>(
    'SELECT version, rules, created_at, created_by FROM tier_rules WHERE shop_id = $1 ORDER BY version DESC LIMIT 1',
    [shopId],
  );
  const r = rows[0];
  if (!r) return { version: 0, rules: DEFAULT_RULES, createdAt: null, createdBy: null };
  // Saved documents were whole and valid on the way in; laid over the defaults, a section or setting
  // added to the rules since then reads as its default (inside a task or badge it needs a migration).
  return { version: r.version, rules: lifecycleRulesSchema.parse(mergeRules(DEFAULT_RULES, r.rules)), createdAt: r.created_at, createdBy: r.created_by };
}

async function versionInForce(db: Queryable, shopId: string): Promise<number> {
  const { rows } = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM tier_rules WHERE shop_id = $1', [shopId]);
  return rows[0]?.version ?? 0;
}

const stale = (version: number) =>
  new Conflict(`the rules changed meanwhile (version ${version} is in force); reload and save again`, { version });

/**
 * Saves a whole, validated rule set as the next version, if `expectedVersion` (the one the editor
 * read; 0 = the defaults) is still the one in force: else, and for the second of two saves racing,
 * a Conflict.
 */
export async function saveRules(db: Queryable, shopId: string, rules: LifecycleRules, by: string, expectedVersion: number): Promise<RulesVersion> {
  try {
    const { rows } = await db.query<{ version: number; created_at: Date }>(
      `INSERT INTO tier_rules (shop_id, version, rules, created_by)
       SELECT $1, $4::int + 1, $2::jsonb, $3
        WHERE (SELECT coalesce(max(version), 0) FROM tier_rules WHERE shop_id = $1) = $4::int
       RETURNING version, created_at`,
      [shopId, JSON.stringify(rules), by, expectedVersion],
    );
    if (!rows[0]) throw stale(await versionInForce(db, shopId));
    return { version: rows[0].version, rules, createdAt: rows[0].created_at, createdBy: by };
  } catch (e) {
    if (isUniqueViolation(e)) throw stale(await versionInForce(db, shopId));
    throw e;
  }
}

/**
 * Changes only the settings `set` names, deep (see mergeRules), over the version in force, which
 * must be `expectedVersion`. The result must be a valid whole rule set; its errors name the paths
 * under `set`.
 */
export async function patchRules(
  db: Queryable,
  shopId: string,
  set: Record<string, unknown>,
  by: string,
  expectedVersion: number,
): Promise<RulesVersion> {
  const current = await currentRules(db, shopId);
  if (current.version !== expectedVersion) throw stale(current.version);
  const parsed = lifecycleRulesSchema.safeParse(mergeRules(current.rules, set));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: ['set', ...i.path].join('.'), message: i.message }));
    throw new Invalid(`invalid body: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, { fields });
  }
  return saveRules(db, shopId, parsed.data, by, expectedVersion);
}
