// The operator's report of what the card could not answer (GET /v1/admin/reports/gaps): the gaps of a
// period grouped by meaning, and per local day of the shop the figures beside them. Definitions
// (period = [from, to), a turn counted on the day its message was written):
// - turns: the shoppers' messages (each asks for an answer, from the AI or a person);
// - AI turns: the replies the AI wrote to them (reminders and staff messages are not turns);
// - unanswered: AI turns recorded as gaps for a reason of their own (a fallback, no passage in the
//   shop's documents, a hand-off for lack of an answer), over AI turns;
// - thumbs-down: replies rated down, over replies rated (by the day of the reply);
// - automation: AI turns that left no person to wait for (no hand-off ticket), over turns.
import type { Queryable } from '../../db/db.ts';
import { embedText } from '../../embed/local.ts';
import { ratio } from '../lifecycle/reports.ts';
import { getShop } from '../shops/repo.ts';
import { clusterGaps, type GapCluster, type GapItem } from './cluster.ts';
import type { GapReason } from './detect.ts';
import { aiReply } from './record.ts';

// The newest gaps of the period grouped; the rest are counted (gapTurns) but not grouped, which
// keeps the report's grouping work bounded however long the period.
export const MAX_GROUPED_GAPS = 2000;

export interface DayFigures {
  turns: number;
  aiTurns: number;
  unanswered: number;
  unansweredRate: number | null;
  rated: number;
  thumbsDown: number;
  thumbsDownRate: number | null;
  automated: number;
  automationRate: number | null;
}

export interface GapReport {
  period: { from: Date; to: Date };
  totals: DayFigures;
  /** Days of the shop's time zone with any turn or rating, oldest first. */
  days: Array<{ day: string } & DayFigures>;
  /** Turns recorded as gaps in the period (a thumbs-down alone included). */
  gapTurns: number;
  gaps: GapCluster[];
}

interface Counts {
  turns: number;
  ai_turns: number;
  automated: number;
  unanswered: number;
  rated: number;
  thumbs_down: number;
}

function figures(c: Counts): DayFigures {
  return {
    turns: c.turns,
    aiTurns: c.ai_turns,
    unanswered: c.unanswered,
    unansweredRate: ratio(c.unanswered, c.ai_turns),
    rated: c.rated,
    thumbsDown: c.thumbs_down,
    thumbsDownRate: ratio(c.thumbs_down, c.rated),
    automated: c.automated,
    automationRate: ratio(c.automated, c.turns),
  };
}

async function dailyCounts(db: Queryable, shopId: string, from: Date, to: Date, timezone: string) {
  const { rows } = await db.query<Counts & { day: string }>(
    `WITH turns AS (
       SELECT (m.created_at AT TIME ZONE $4)::date AS day,
              count(*) FILTER (WHERE m.role = 'user') AS turns,
              count(*) FILTER (WHERE ${aiReply('m')}) AS ai_turns,
              count(*) FILTER (WHERE ${aiReply('m')} AND m.meta->'handoff'->'ticketId' IS NULL) AS automated
         FROM messages m
        WHERE m.shop_id = $1 AND m.created_at >= $2 AND m.created_at < $3 AND m.role IN ('user', 'assistant')
        GROUP BY 1),
     gaps AS (
       SELECT (g.created_at AT TIME ZONE $4)::date AS day, count(*) AS unanswered
         FROM answer_gaps g
        WHERE g.shop_id = $1 AND g.created_at >= $2 AND g.created_at < $3 AND g.reasons <> ARRAY['thumbs_down']::text[]
        GROUP BY 1),
     ratings AS (
       SELECT (m.created_at AT TIME ZONE $4)::date AS day, count(*) AS rated, count(*) FILTER (WHERE r.rating = 'down') AS thumbs_down
         FROM answer_ratings r JOIN messages m ON m.id = r.message_id
        WHERE r.shop_id = $1 AND m.created_at >= $2 AND m.created_at < $3
        GROUP BY 1)
     SELECT d.day, coalesce(t.turns, 0) AS turns, coalesce(t.ai_turns, 0) AS ai_turns, coalesce(t.automated, 0) AS automated,
            coalesce(g.unanswered, 0) AS unanswered, coalesce(r.rated, 0) AS rated, coalesce(r.thumbs_down, 0) AS thumbs_down
       FROM (SELECT day FROM turns UNION SELECT day FROM gaps UNION SELECT day FROM ratings) d
       LEFT JOIN turns t ON t.day = d.day LEFT JOIN gaps g ON g.day = d.day LEFT JOIN ratings r ON r.day = d.day
      ORDER BY d.day`,
    [shopId, from, to, timezone],
  );
  return rows;
}

async function gapItems(db: Queryable, shopId: string, from: Date, to: Date): Promise<{ items: GapItem[]; total: number }> {
  const { rows } = await db.query<{ message_id: number; question: string; intent: string | null; reasons: GapReason[]; created_at: Date; total: number }>(
    `SELECT g.message_id, q.content AS question, g.intent, g.reasons, g.created_at, count(*) OVER () AS total
       FROM answer_gaps g JOIN messages q ON q.id = g.question_id
      WHERE g.shop_id = $1 AND g.created_at >= $2 AND g.created_at < $3
      ORDER BY g.created_at DESC, g.message_id DESC
      LIMIT ${MAX_GROUPED_GAPS}`,
    [shopId, from, to],
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({ messageId: r.message_id, question: r.question, intent: r.intent, reasons: r.reasons, at: r.created_at })),
  };
}

export async function gapReport(db: Queryable, shopId: string, period: { from: Date; to: Date }): Promise<GapReport> {
  const { from, to } = period;
  const { timezone } = await getShop(db, shopId);
  const days = await dailyCounts(db, shopId, from, to, timezone);
  const sum = (k: keyof Counts) => days.reduce((s, d) => s + d[k], 0);
  const totals: Counts = {
    turns: sum('turns'),
    ai_turns: sum('ai_turns'),
    automated: sum('automated'),
    unanswered: sum('unanswered'),
    rated: sum('rated'),
    thumbs_down: sum('thumbs_down'),
  };
  const { items, total } = await gapItems(db, shopId, from, to);
  return {
    period,
    totals: figures(totals),
    days: days.map((d) => ({ day: d.day, ...figures(d) })),
    gapTurns: total,
    gaps: clusterGaps(items, (text) => embedText(text)),
  };
}
