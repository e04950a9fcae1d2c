// Growth tasks for points (docs/domain.md §6 Points): browse 3 new products → 50 points,
// share a product → 100 points, as configured in the shop's lifecycle rules. Progress is counted from
// behaviour_events in the task's period (a local day, week or month, or ever); completing it writes
// one points_ledger row whose ref_key 'task:<code>:<shopper>:<period>' makes a replay earn nothing.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import type { PointsTask } from '../lifecycle/rules.ts';

export interface TaskProgress {
  code: string;
  name: string;
  kind: PointsTask['kind'];
  period: PointsTask['period'];
  periodKey: string;
  target: number;
  progress: number;
  points: number;
  /** Points for this period already granted. */
  done: boolean;
}

interface Period {
  start: Date;
  end: Date;
  key: string;
}

/** The local calendar period of `at` for a task ('once' is all time). */
async function periodOf(db: Queryable, shopId: string, period: PointsTask['period'], at: Date): Promise<Period> {
  if (period === 'once') return { start: new Date(0), end: new Date(8.64e15), key: 'once' };
  const { rows } = await db.query<{ start: Date; end: Date; key: string }>(
    `WITH l AS (SELECT date_trunc($2, $3::timestamptz AT TIME ZONE s.timezone) AS t, s.timezone AS tz FROM shops s WHERE s.id = $1)
     SELECT t AT TIME ZONE tz AS start, (t + ('1 ' || $2)::interval) AT TIME ZONE tz AS "end",
            to_char(t, CASE $2 WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END) AS key
       FROM l`,
    [shopId, period, at],
  );
  return rows[0]!;
}

async function countProgress(db: Queryable, shopId: string, shopperId: number, task: PointsTask, p: Period): Promise<number> {
  if (task.kind === 'share_product') {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*) AS n FROM behaviour_events
        WHERE shop_id = $1 AND shopper_id = $2 AND kind = 'share' AND product_id IS NOT NULL
          AND occurred_at >= $3 AND occurred_at < $4`,
      [shopId, shopperId, p.start, p.end],
    );
    return rows[0]!.n;
  }
  // A product is new for newProductDays after its launch, judged at the time it was viewed.
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(DISTINCT b.product_id) AS n FROM behaviour_events b JOIN products p ON p.id = b.product_id
      WHERE b.shop_id = $1 AND b.shopper_id = $2 AND b.kind = 'view' AND b.occurred_at >= $3 AND b.occurred_at < $4
        AND p.launched_at <= b.occurred_at AND p.launched_at > b.occurred_at - make_interval(days => $5)`,
    [shopId, shopperId, p.start, p.end, task.newProductDays],
  );
  return rows[0]!.n;
}

function refKey(task: PointsTask, shopperId: number, p: Period): string {
  return `task:${task.code}:${shopperId}:${p.key}`;
}

export async function taskProgress(
  db: Queryable,
  shopId: string,
  shopperId: number,
  task: PointsTask,
  at: Date,
): Promise<TaskProgress> {
  const p = await periodOf(db, shopId, task.period, at);
  const progress = await countProgress(db, shopId, shopperId, task, p);
  const { rows } = await db.query('SELECT 1 FROM points_ledger WHERE shop_id = $1 AND ref_key = $2', [shopId, refKey(task, shopperId, p)]);
  return {
    code: task.code,
    name: task.name,
    kind: task.kind,
    period: task.period,
    periodKey: p.key,
    target: task.target,
    progress: Math.min(progress, task.target),
    points: task.points,
    done: rows.length > 0,
  };
}

export interface PointsGrant {
  task: string;
  points: number;
  refKey: string;
}

/**
 * Grants the points of every task of `kind` the shopper has just completed with an action at `at`
 * (the event's time, so the action counts in its own period). In the caller's transaction.
 */
export async function grantTaskPoints(
  tx: Queryable,
  shopId: string,
  shopper: { id: number; tier: Tier },
  tasks: readonly PointsTask[],
  kind: PointsTask['kind'],
  at: Date,
): Promise<PointsGrant[]> {
  const grants: PointsGrant[] = [];
  for (const task of tasks) {
    if (task.kind !== kind || !task.audienceTiers.includes(shopper.tier)) continue;
    const p = await periodOf(tx, shopId, task.period, at);
    if ((await countProgress(tx, shopId, shopper.id, task, p)) < task.target) continue;
    const key = refKey(task, shopper.id, p);
    const { rows } = await tx.query(
      `INSERT INTO points_ledger (shop_id, shopper_id, delta, reason, ref_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (shop_id, ref_key) DO NOTHING RETURNING id`,
      [shopId, shopper.id, task.points, `任务奖励：${task.name}`, key, at],
    );
    if (rows.length > 0) grants.push({ task: task.code, points: task.points, refKey: key });
  }
  return grants;
}
