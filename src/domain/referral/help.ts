// 帮扶 (docs/domain.md §4.4 Help and the activity rule): a boss helps a low-activity agent of the team complete
// an order, e.g. with an exclusive coupon. Recording the help is what earns the help reward when that order
// is paid, and it is what keeps the boss clear of the activity rule.
import type { Queryable } from '../../db/db.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import { PAID_STATUSES } from './ledger.ts';
import { getReferralPolicy } from './policy.ts';

export interface HelpRecord {
  id: number;
  bossId: number;
  agentId: number;
  orderId: number;
  createdAt: Date;
}

interface HelpCheckRow {
  order_shopper: number;
  order_status: string;
  agent_identity: string;
  agent_referrer: number | null;
  boss_identity: string;
  boss_demoted: boolean;
  agent_recent_orders: number;
}

/**
 * Records that `bossId` helped `agentId` with `orderId`. Rules: the agent is an agent the boss referred
 * directly (the team's agents, docs/domain.md §4 Referral); the agent had no paid order in the policy's
 * inactiveDays before this order was created (low activity); the helper is a boss, or a boss demoted by the
 * activity rule (helping is how they get back); the order is not paid yet. One help per order; recording the
 * same help again returns it.
 */
export async function recordHelp(
  tx: Queryable,
  shopId: string,
  bossId: number,
  agentId: number,
  orderId: number,
  now: Date = new Date(),
): Promise<HelpRecord> {
  const existing = await findHelp(tx, shopId, orderId);
  if (existing) {
    if (existing.bossId !== bossId || existing.agentId !== agentId) throw new Conflict('this order already has a help recorded');
    return existing;
  }
  const { policy } = await getReferralPolicy(tx, shopId);
  const { rows } = await tx.query<HelpCheckRow>(
    `SELECT o.shopper_id AS order_shopper, o.status AS order_status,
       a.referral_identity AS agent_identity, a.referrer_id AS agent_referrer,
       b.referral_identity AS boss_identity,
       coalesce((SELECT c.reason = 'inactive_team' FROM referral_identity_changes c
                 WHERE c.shop_id = b.shop_id AND c.shopper_id = b.id ORDER BY c.changed_at DESC, c.id DESC LIMIT 1), false)
         AS boss_demoted,
       (SELECT count(*) FROM orders e
        WHERE e.shop_id = o.shop_id AND e.shopper_id = o.shopper_id AND e.id <> o.id AND e.status = ANY($5)
          AND e.paid_at > o.created_at - make_interval(days => $6) AND e.paid_at <= o.created_at) AS agent_recent_orders
     FROM orders o
     JOIN shoppers a ON a.shop_id = o.shop_id AND a.id = $3
     JOIN shoppers b ON b.shop_id = o.shop_id AND b.id = $2
     WHERE o.shop_id = $1 AND o.id = $4`,
    [shopId, bossId, agentId, orderId, PAID_STATUSES, policy.inactiveDays],
  );
  const r = rows[0];
  if (!r) throw new NotFound('order, boss or agent');
  if (r.order_shopper !== agentId) throw new Invalid('the helped order is not the agent’s');
  // Recorded before payment, as the help is what gets the order paid; it is priced when it is paid.
  if (r.order_status !== 'created') throw new Invalid('a help is recorded before the order is paid');
  if (r.agent_referrer !== bossId || r.agent_identity !== 'agent') throw new Invalid('only an agent the boss referred can be helped');
  if (r.boss_identity !== 'boss' && !(r.boss_identity === 'agent' && r.boss_demoted)) throw new Invalid('only a boss can help');
  if (r.agent_recent_orders > 0) throw new Invalid(`the agent bought within ${policy.inactiveDays} days: not a low-activity agent`);

  const inserted = await tx.query<HelpRow>(
    `INSERT INTO referral_help (shop_id, boss_id, agent_id, order_id, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (shop_id, order_id) DO NOTHING RETURNING ${HELP_COLUMNS}`,
    [shopId, bossId, agentId, orderId, now],
  );
  const help = inserted.rows[0];
  // A concurrent writer recorded a help for this order between the check and the insert.
  if (!help) throw new Conflict('this order already has a help recorded');
  return toHelp(help);
}

const HELP_COLUMNS = 'id, boss_id, agent_id, order_id, created_at';
interface HelpRow {
  id: number;
  boss_id: number;
  agent_id: number;
  order_id: number;
  created_at: Date;
}
const toHelp = (r: HelpRow): HelpRecord => ({ id: r.id, bossId: r.boss_id, agentId: r.agent_id, orderId: r.order_id, createdAt: r.created_at });

export async function findHelp(db: Queryable, shopId: string, orderId: number): Promise<HelpRecord | null> {
  const { rows } = await db.query<HelpRow>(`SELECT ${HELP_COLUMNS} FROM referral_help WHERE shop_id = $1 AND order_id = $2`, [
    shopId,
    orderId,
  ]);
  return rows[0] ? toHelp(rows[0]) : null;
}
