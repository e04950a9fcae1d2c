// 反馈中心 (docs/domain.md §11 Community): shoppers send suggestions; staff adopt one with a cash reward (default
// 500–2000 yuan, the shop's range), a credit line and a badge. Feedback counts as a 老铁 marker, so the
// sender's lifecycle is refreshed in the same transaction.
import type { Db, Queryable } from '../../db/db.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { shortYuan } from '../orders/money.ts';
import { refreshShopper } from '../lifecycle/refresh.ts';
import type { LifecycleRules } from '../lifecycle/rules.ts';
import { awardBadge } from './badges.ts';

export interface Feedback {
  id: number;
  shopperId: number;
  productId: number | null;
  text: string;
  status: 'submitted' | 'adopted';
  rewardFen: number | null;
  credit: string | null;
  createdAt: Date;
  adoptedAt: Date | null;
}

interface FeedbackRow {
  id: number;
  shopper_id: number;
  product_id: number | null;
  text: string;
  status: 'submitted' | 'adopted';
  reward_fen: number | null;
  credit: string | null;
  created_at: Date;
  adopted_at: Date | null;
}

const COLUMNS = 'id, shopper_id, product_id, text, status, reward_fen, credit, created_at, adopted_at';

function toFeedback(r: FeedbackRow): Feedback {
  return {
    id: r.id,
    shopperId: r.shopper_id,
    productId: r.product_id,
    text: r.text,
    status: r.status,
    rewardFen: r.reward_fen,
    credit: r.credit,
    createdAt: r.created_at,
    adoptedAt: r.adopted_at,
  };
}

export async function submitFeedback(
  db: Db,
  shopId: string,
  shopperId: number,
  input: { text: string; productId?: number },
  now: Date,
): Promise<Feedback> {
  return db.transaction(async (tx) => {
    if (input.productId !== undefined) {
      const { rows } = await tx.query('SELECT 1 FROM products WHERE shop_id = $1 AND id = $2', [shopId, input.productId]);
      if (rows.length === 0) throw new NotFound('product');
    }
    const { rows } = await tx.query<FeedbackRow>(
      `INSERT INTO feedback (shop_id, shopper_id, product_id, text, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [shopId, shopperId, input.productId ?? null, input.text, now],
    );
    await refreshShopper(tx, shopId, shopperId, now);
    return toFeedback(rows[0]!);
  });
}

export async function listFeedback(
  db: Queryable,
  shopId: string,
  filter: { status?: Feedback['status']; limit: number },
): Promise<Feedback[]> {
  const { rows } = await db.query<FeedbackRow>(
    `SELECT ${COLUMNS} FROM feedback WHERE shop_id = $1 AND ($2::text IS NULL OR status = $2::text)
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [shopId, filter.status ?? null, filter.limit],
  );
  return rows.map(toFeedback);
}

export interface Adoption {
  rewardFen: number;
  credit?: string;
  /** A badge code of the catalog; the rules' adoptionBadge when omitted, none when null. */
  badge?: string | null;
}

export async function adoptFeedback(
  db: Db,
  shopId: string,
  feedbackId: number,
  adoption: Adoption,
  community: LifecycleRules['community'],
  by: string,
  now: Date,
): Promise<Feedback & { badge: string | null }> {
  const range = community.feedbackRewardFen;
  if (adoption.rewardFen < range.min || adoption.rewardFen > range.max) {
    throw new Invalid(`the reward must be ${shortYuan(range.min)}–${shortYuan(range.max)} yuan`);
  }
  const badge = adoption.badge === undefined ? community.adoptionBadge : adoption.badge;
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<FeedbackRow>(
      `UPDATE feedback SET status = 'adopted', reward_fen = $3, credit = $4, adopted_by = $5, adopted_at = $6
        WHERE shop_id = $1 AND id = $2 AND status = 'submitted' RETURNING ${COLUMNS}`,
      [shopId, feedbackId, adoption.rewardFen, adoption.credit ?? null, by, now],
    );
    const row = rows[0];
    if (!row) {
      const { rows: exists } = await tx.query('SELECT 1 FROM feedback WHERE shop_id = $1 AND id = $2', [shopId, feedbackId]);
      if (exists.length === 0) throw new NotFound('feedback');
      throw new Conflict('this feedback was already adopted');
    }
    if (badge) {
      await awardBadge(tx, shopId, row.shopper_id, { code: badge, reason: `建议被采纳（#${row.id}）`, by }, community.badges, now);
    }
    return { ...toFeedback(row), badge };
  });
}
