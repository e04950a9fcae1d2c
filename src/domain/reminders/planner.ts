// The daily plan of one shop (docs/domain.md §8 Reminders: personal, rate-limited, opt-out respected),
// set-based: one INSERT … SELECT per occasion, highest value first, so a shopper's best occasion of the
// day takes the daily slot and lower ones find it taken. The unique key (shopper, occasion, occurrence)
// makes re-runs and concurrent runners plan nothing twice; a per-shop advisory lock makes the caps
// exact even when two runners race.
import type { Queryable } from '../../db/db.ts';
import type { PlanDay } from './occasion.ts';
import { OCCASION_HANDLERS } from './occasions/index.ts';
import { OCCASIONS, type OccasionName } from './settings.ts';

export interface OccasionPlan {
  occasion: OccasionName;
  /** Shoppers for whom the occasion is due today (best occurrence each). */
  candidates: number;
  /** Of those, planned now; the rest were held back by the caps or already planned. */
  planned: number;
}

export interface PlanResult {
  date: string;
  scheduledFor: Date;
  occasions: OccasionPlan[];
  planned: number;
}

/** Enabled occasions, highest value first (ties in the order of OCCASIONS). */
export function occasionsByValue(day: PlanDay): OccasionName[] {
  return OCCASIONS.filter((o) => day.settings.occasions[o].enabled).sort(
    (a, b) => day.settings.occasions[b].rank - day.settings.occasions[a].rank || OCCASIONS.indexOf(a) - OCCASIONS.indexOf(b),
  );
}

export function planStatement(name: OccasionName, day: PlanDay, scheduledFor: Date, now: Date): { sql: string; params: unknown[] } | null {
  const params: unknown[] = [day.shopId, day.date, day.dayEnd, day.timezone, day.settings.occasions[name].tiers, name];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const candidates = OCCASION_HANDLERS[name].candidates(day, bind);
  if (candidates === null) return null;
  const { perDay, perWeek } = day.settings.caps;
  // The caps, with window functions over one pool of today's candidates and the reminders already
  // planned around the day: at most perDay on the day, at most perWeek in any 7 days around it.
  // One sort by shopper, whatever the planner estimates (a freshly filled reminders table has no
  // statistics yet, and a join plan chosen on "1 row" goes quadratic).
  const sql = `WITH base AS (SELECT $1::text AS shop_id, $2::date AS day, $3::timestamptz AS day_end, $4::text AS tz,
                      $5::text[] AS tiers, $6::text AS occasion),
    cand AS (${candidates}),
    fresh AS (
      SELECT c.* FROM cand c
       WHERE NOT EXISTS (SELECT 1 FROM reminders r WHERE r.shop_id = $1 AND r.shopper_id = c.shopper_id
                           AND r.occasion = $6 AND r.occurrence_key = c.occurrence_key)
    ),
    best AS (
      SELECT f.shopper_id, f.occurrence_key, f.facts,
             row_number() OVER (PARTITION BY f.shopper_id ORDER BY f.pick, f.occurrence_key) AS rn
        FROM fresh f
    ),
    pool AS (
      SELECT b.shopper_id, true AS candidate, NULL::date AS local_date, b.occurrence_key, b.facts
        FROM best b WHERE b.rn = 1
      UNION ALL
      SELECT r.shopper_id, false, r.local_date, NULL, NULL
        FROM reminders r WHERE r.shop_id = $1 AND r.local_date BETWEEN $2::date - 6 AND $2::date + 6
    ),
    counted AS (
      SELECT p.*, count(*) FILTER (WHERE NOT p.candidate AND p.local_date = $2::date) OVER w AS today,
             count(*) FILTER (WHERE NOT p.candidate) OVER w AS week
        FROM pool p WINDOW w AS (PARTITION BY p.shopper_id)
    ),
    ins AS (
      INSERT INTO reminders (shop_id, shopper_id, occasion, occurrence_key, local_date, scheduled_for, status,
                             value_rank, facts, created_at)
      SELECT $1, c.shopper_id, $6, c.occurrence_key, $2::date, ${bind(scheduledFor)}::timestamptz, 'planned',
             ${bind(day.settings.occasions[name].rank)}::int, c.facts, ${bind(now)}::timestamptz
        FROM counted c
       WHERE c.candidate AND c.today < ${bind(perDay)}::int AND c.week < ${bind(perWeek)}::int
      ON CONFLICT (shop_id, shopper_id, occasion, occurrence_key) DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM best WHERE rn = 1) AS candidates, (SELECT count(*) FROM ins) AS planned`;
  return { sql, params };
}

/**
 * Plans the reminders of one shop-local day inside the caller's transaction; returns what each
 * occasion planned. Everything planned is delivered at `scheduledFor` (already out of quiet hours).
 */
export async function planDay(tx: Queryable, day: PlanDay, scheduledFor: Date, now: Date): Promise<PlanResult> {
  // Serialises planners of the same shop until commit: a second runner waits, then sees the first
  // runner's rows in its caps and unique keys.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('laotie.reminders.plan:' || $1::text))", [day.shopId]);
  const occasions: OccasionPlan[] = [];
  if (day.settings.enabled) {
    for (const name of occasionsByValue(day)) {
      const stmt = planStatement(name, day, scheduledFor, now);
      if (!stmt) continue;
      const { rows } = await tx.query<{ candidates: number; planned: number }>(stmt.sql, stmt.params);
      occasions.push({ occasion: name, candidates: rows[0]?.candidates ?? 0, planned: rows[0]?.planned ?? 0 });
    }
  }
  return { date: day.date, scheduledFor, occasions, planned: occasions.reduce((n, o) => n + o.planned, 0) };
}
