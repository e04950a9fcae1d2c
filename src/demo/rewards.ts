// The demo shop's 链动 reward ledger (docs/domain.md §4.5 Reward lifecycle), so that "我的推广收益" has real
// figures: every paid order of a referred shopper priced by the engine's own rules as of its payment
// (at the seeded identities: the plan already is the forest those orders built), its window started at
// delivery, a refunded order's credits clawed back, and then the settlement run of `now`, which settles
// what is past its window and leaves the rest pending.
import type { Queryable } from '../db/db.ts';
import { claimPaidOrder, claimTrialReward, insertCredits, loadPaidOrder, PAID_STATUSES, reverseOrderCredits } from '../domain/referral/ledger.ts';
import { getReferralPolicy } from '../domain/referral/policy.ts';
import { computeOrderRewards } from '../domain/referral/rewards.ts';
import { returnWindowDays, settleAfterOf, settleDue } from '../domain/referral/settle.ts';

export interface DemoRewardsSummary {
  credited: number;
  settled: number;
}

export async function writeDemoRewards(tx: Queryable, shopId: string, now: Date): Promise<DemoRewardsSummary> {
  const { version, policy } = await getReferralPolicy(tx, shopId);
  const windowDays = await returnWindowDays(tx, shopId);
  // Orders paid (then or still) by a shopper whose referrer can earn from them (a plain member earns
  // nothing, unless a 老铁 or holding a trial), in the order they were paid.
  const { rows: orders } = await tx.query<{ id: number; refunded_at: Date | null }>(
    `SELECT o.id, CASE WHEN o.status = 'refunded' THEN o.refunded_at END AS refunded_at
     FROM orders o JOIN shoppers b ON b.shop_id = o.shop_id AND b.id = o.shopper_id
     JOIN shoppers r ON r.shop_id = o.shop_id AND r.id = b.referrer_id
     WHERE o.shop_id = $1 AND o.paid_at IS NOT NULL
       AND (r.referral_identity <> 'member' OR r.tier = 'laotie'
            OR EXISTS (SELECT 1 FROM referral_trials t WHERE t.shop_id = o.shop_id AND t.shopper_id = r.id))
       AND (o.status = ANY($2) OR (o.status = 'refunded' AND o.refunded_at IS NOT NULL))
     ORDER BY o.paid_at, o.id`,
    [shopId, PAID_STATUSES],
  );
  let credited = 0;
  for (const { id, refunded_at } of orders) {
    const order = await loadPaidOrder(tx, shopId, id);
    if (!order) continue;
    const { paidAt } = order.facts;
    if (!(await claimPaidOrder(tx, shopId, id, version, paidAt))) continue;
    let lines = computeOrderRewards(order.facts, policy);
    const trial = lines.find((l) => l.kind === 'trial');
    if (trial && !(await claimTrialReward(tx, shopId, trial.beneficiaryId, id, paidAt))) lines = lines.filter((l) => l !== trial);
    credited += await insertCredits(tx, shopId, lines, {
      orderId: id,
      buyerId: order.buyerId,
      policyVersion: version,
      createdAt: paidAt,
      settleAfter: order.deliveredAt ? settleAfterOf(order.deliveredAt, windowDays) : null,
    });
    if (refunded_at) await reverseOrderCredits(tx, shopId, id, refunded_at);
  }
  return { credited, settled: await settleDue(tx, shopId, now) };
}
