// The demo shop's 链动 reward ledger (docs/domain.md §4.5 Reward lifecycle), so that "我的推广收益" has real
// figures: every paid order of a referred shopper priced by the engine's own rules (computeOrderRewards,
// at the seeded identities: the plan already is the forest those orders built), its window started at
// delivery, a refunded order's credits clawed back, and then the settlement run of `now`, which settles
// what is past its window and leaves the rest pending. Set-based (a few statements for the whole shop)
// rather than onOrderPaid order by order, which would add seconds to the first start.
import type { ReferralIdentity, Tier } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import { PAID_STATUSES } from '../domain/referral/ledger.ts';
import { getReferralPolicy } from '../domain/referral/policy.ts';
import { computeOrderRewards, creditKey, type RewardLine } from '../domain/referral/rewards.ts';
import { returnWindowDays, settleAfterOf, settleDue } from '../domain/referral/settle.ts';

export interface DemoRewardsSummary {
  credited: number;
  settled: number;
}

interface OrderRow {
  id: number;
  buyer_id: number;
  pay_fen: number;
  paid_at: Date;
  delivered_at: Date | null;
  refunded_at: Date | null;
  r1_id: number;
  r1_identity: ReferralIdentity;
  r1_tier: Tier;
  r2_id: number | null;
  r2_identity: ReferralIdentity | null;
  r2_tier: Tier | null;
}

export async function writeDemoRewards(tx: Queryable, shopId: string, now: Date): Promise<DemoRewardsSummary> {
  const { version, policy } = await getReferralPolicy(tx, shopId);
  const windowDays = await returnWindowDays(tx, shopId);
  // Orders paid (and still paid, or refunded since) by a shopper someone referred; the buyer's referrer
  // and that referrer's referrer only (docs/domain.md §4.6 Legal guard).
  const { rows } = await tx.query<OrderRow>(
    `SELECT o.id, o.shopper_id AS buyer_id, o.pay_fen, o.paid_at, o.delivered_at,
            CASE WHEN o.status = 'refunded' THEN coalesce(o.refunded_at, o.paid_at) END AS refunded_at,
            r1.id AS r1_id, r1.referral_identity AS r1_identity, r1.tier AS r1_tier,
            r2.id AS r2_id, r2.referral_identity AS r2_identity, r2.tier AS r2_tier
     FROM orders o
     JOIN shoppers b ON b.shop_id = o.shop_id AND b.id = o.shopper_id
     JOIN shoppers r1 ON r1.shop_id = o.shop_id AND r1.id = b.referrer_id
     LEFT JOIN shoppers r2 ON r2.shop_id = o.shop_id AND r2.id = r1.referrer_id
     WHERE o.shop_id = $1 AND o.paid_at IS NOT NULL AND (o.status = ANY($2) OR o.status = 'refunded')
     ORDER BY o.paid_at, o.id`,
    [shopId, PAID_STATUSES],
  );
  const credits: Array<RewardLine & { order: OrderRow }> = [];
  for (const o of rows) {
    const lines = computeOrderRewards(
      {
        orderId: o.id,
        payFen: o.pay_fen,
        paidAt: o.paid_at,
        upline: {
          referrer: { id: o.r1_id, identity: o.r1_identity, tier: o.r1_tier },
          referrerOfReferrer: o.r2_id === null ? null : { id: o.r2_id, identity: o.r2_identity!, tier: o.r2_tier! },
        },
        // The demo records no help (帮扶) and no agent trial.
        helpedByBossId: null,
        referrerTrial: null,
        buyersFirstPaidOrder: false,
      },
      policy,
    );
    for (const l of lines) credits.push({ ...l, order: o });
  }
  // Priced once: a replay of these orders' events pays nothing again (as after onOrderPaid).
  await tx.query(
    `INSERT INTO referral_paid_orders (shop_id, order_id, policy_version, processed_at)
     SELECT $1, u.order_id, $2, u.paid_at FROM unnest($3::bigint[], $4::timestamptz[]) AS u(order_id, paid_at)
     ON CONFLICT (shop_id, order_id) DO NOTHING`,
    [shopId, version, rows.map((o) => o.id), rows.map((o) => o.paid_at)],
  );
  const { rowCount: credited } = await tx.query(
    `INSERT INTO reward_ledger (shop_id, order_id, buyer_id, beneficiary_id, kind, level, amount_fen, state, entry_key,
                                policy_version, created_at, settle_after, reversed_at)
     SELECT $1, u.order_id, u.buyer_id, u.beneficiary_id, u.kind, u.level, u.amount_fen,
            CASE WHEN u.reversed_at IS NULL THEN 'pending' ELSE 'reversed' END, u.entry_key, $2, u.created_at, u.settle_after, u.reversed_at
     FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::smallint[], $8::bigint[], $9::text[],
                 $10::timestamptz[], $11::timestamptz[], $12::timestamptz[])
          AS u(order_id, buyer_id, beneficiary_id, kind, level, amount_fen, entry_key, created_at, settle_after, reversed_at)
     ON CONFLICT (shop_id, entry_key) DO NOTHING`,
    [
      shopId,
      version,
      credits.map((c) => c.order.id),
      credits.map((c) => c.order.buyer_id),
      credits.map((c) => c.beneficiaryId),
      credits.map((c) => c.kind),
      credits.map((c) => c.level),
      credits.map((c) => c.amountFen),
      credits.map((c) => creditKey(c.order.id, c.beneficiaryId, c.kind)),
      credits.map((c) => c.order.paid_at),
      credits.map((c) => (c.order.delivered_at ? settleAfterOf(c.order.delivered_at, windowDays) : null)),
      // Clawed back with the refund, before it could settle (the demo's refunds come inside the window).
      credits.map((c) => c.order.refunded_at),
    ],
  );
  return { credited, settled: await settleDue(tx, shopId, now) };
}
