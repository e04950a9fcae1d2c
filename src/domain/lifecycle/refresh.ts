// Recomputes one shopper's lifecycle state from their data: tags → potential score → tier steps →
// profile summary, in the caller's transaction (the event's), so a shopper's state always matches
// the events that were applied. The profile vector is refreshed after commit (profile.ts).
import type { Tier } from '../../context.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { getShop } from '../shops/repo.ts';
import { nextPotentialScore, type PotentialScore } from './potential.ts';
import { profileSummary, saveProfile } from './profile.ts';
import { currentRules, type RulesVersion } from './rules.ts';
import { computeTags, saveTags, tagMetrics, type ShopperTags } from './tags.ts';
import { applyTierSteps, tierSteps, type TierStep } from './tiers.ts';

export interface RefreshResult {
  shopperId: number;
  tierBefore: Tier;
  tier: Tier;
  steps: TierStep[];
  potentialScore: PotentialScore | null;
  tags: ShopperTags;
  summaryChanged: boolean;
}

export interface RefreshOptions {
  /** Rules already loaded for this shop (a batch loads them once). */
  rules?: RulesVersion;
  averageOrderFen?: number;
}

export async function refreshShopper(
  tx: Queryable,
  shopId: string,
  shopperId: number,
  now: Date,
  opts: RefreshOptions = {},
): Promise<RefreshResult | null> {
  // The row lock serialises two events of one shopper, so their recomputations cannot interleave.
  const { rows } = await tx.query<{ tier: Tier; potential_score: PotentialScore | null; profile_summary: string }>(
    // An erased shopper (a tombstone, shoppers/erasure.ts) gets no profile or tier again.
    'SELECT tier, potential_score, profile_summary FROM shoppers WHERE shop_id = $1 AND id = $2 AND erased_at IS NULL FOR NO KEY UPDATE',
    [shopId, shopperId],
  );
  const current = rows[0];
  if (!current) return null;
  const rules = opts.rules ?? (await currentRules(tx, shopId));
  const averageOrderFen = opts.averageOrderFen ?? (await getShop(tx, shopId)).settings.averageOrderFen;

  const tags = await computeTags(tx, shopId, shopperId, now, averageOrderFen);
  await saveTags(tx, shopId, shopperId, tags);
  const metrics = tagMetrics(tags);
  const steps = tierSteps(current.tier, rules.rules.tiers, metrics);
  await applyTierSteps(tx, shopId, shopperId, steps, rules.version, now);
  const tier = steps.at(-1)?.to ?? current.tier;
  const potential = nextPotentialScore(current.tier, tier, current.potential_score, rules.rules.potential, metrics);
  const summary = profileSummary(tier, potential, tags);
  await saveProfile(tx, shopId, shopperId, summary, potential);
  return {
    shopperId,
    tierBefore: current.tier,
    tier,
    steps,
    potentialScore: potential,
    tags,
    summaryChanged: summary !== current.profile_summary,
  };
}

/**
 * Re-evaluates every shopper of a shop, one transaction each (a job after a rules change, and daily:
 * demotion by inactivity needs time to pass, not an event). Returns the shoppers whose tier moved.
 */
export async function reevaluateShop(db: Db, shopId: string, now: Date): Promise<RefreshResult[]> {
  const rules = await currentRules(db, shopId);
  const { averageOrderFen } = (await getShop(db, shopId)).settings;
  const { rows } = await db.query<{ id: number }>('SELECT id FROM shoppers WHERE shop_id = $1 ORDER BY id', [shopId]);
  const moved: RefreshResult[] = [];
  for (const { id } of rows) {
    const r = await db.transaction((tx) => refreshShopper(tx, shopId, id, now, { rules, averageOrderFen }));
    if (r && r.steps.length > 0) moved.push(r);
  }
  return moved;
}
