// The referral engine's side of an order's life (docs/domain.md §4.5 Reward lifecycle). The
// lifecycle worker calls these inside its event transaction; each is safe to replay.
import type { Queryable } from '../../db/db.ts';
import { changeIdentity, promoteAfterPaidOrder, type IdentityChange } from './identity.ts';
import { claimPaidOrder, claimTrialReward, insertCredits, loadPaidOrder, PAID_STATUSES, reverseOrderCredits } from './ledger.ts';
import { getReferralPolicy } from './policy.ts';
import { computeOrderRewards } from './rewards.ts';
import { returnWindowDays, settleAfterOf } from './settle.ts';

export interface PaidOrderOutcome {
  /** Ledger entries written now (0 on a replay). */
  credited: number;
  promotions: IdentityChange[];
}

/**
 * A referred shopper's order was paid: writes its pending rewards and then the promotions it causes.
 * A replay changes nothing (the order is claimed once); an order no longer paid (cancelled, refunded)
 * earns nothing.
 */
export async function onOrderPaid(tx: Queryable, shopId: string, orderId: number, now: Date): Promise<PaidOrderOutcome> {
  const order = await loadPaidOrder(tx, shopId, orderId);
  if (!order?.isPaid) return { credited: 0, promotions: [] };
  const policy = await getReferralPolicy(tx, shopId);
  if (!(await claimPaidOrder(tx, shopId, orderId, policy.version, now))) return { credited: 0, promotions: [] };
  let lines = computeOrderRewards(order.facts, policy.policy);
  const trial = lines.find((l) => l.kind === 'trial');
  if (trial && !(await claimTrialReward(tx, shopId, trial.beneficiaryId, orderId, now))) {
    lines = lines.filter((l) => l !== trial);
  }
  // Delivery may have been recorded first (events can arrive out of order): start the window from it.
  const settleAfter = order.deliveredAt ? settleAfterOf(order.deliveredAt, await returnWindowDays(tx, shopId)) : null;
  const credited = await insertCredits(tx, shopId, lines, {
    orderId,
    buyerId: order.buyerId,
    policyVersion: policy.version,
    createdAt: now,
    settleAfter,
  });
  const promotions = await promoteAfterPaidOrder(
    tx,
    shopId,
    {
      id: orderId,
      buyerId: order.buyerId,
      buyerIdentity: order.buyerIdentity,
      referrerId: order.facts.upline?.referrer.id ?? null,
      hasActivationProduct: order.hasActivationProduct,
    },
    policy,
    now,
  );
  return { credited, promotions };
}

export interface RefundOutcome {
  /** Ledger rows reversed or written as reversals now (0 on a replay). */
  clawedBack: number;
  identityChange: IdentityChange | null;
}

/**
 * The order was refunded: every reward it earned is clawed back. A buyer whose agent status came from
 * this order alone goes back to member; promotions of others that it caused stay (the activity rule
 * governs bosses), so a refund never reaches further up the chain than the money does.
 */
export async function onOrderRefunded(tx: Queryable, shopId: string, orderId: number, now: Date): Promise<RefundOutcome> {
  const clawedBack = await reverseOrderCredits(tx, shopId, orderId, now);
  const { rows } = await tx.query<{ buyer_id: number; version: number }>(
    `SELECT o.shopper_id AS buyer_id,
       coalesce((SELECT max(version) FROM referral_policies p WHERE p.shop_id = o.shop_id), 0) AS version
     FROM orders o JOIN shoppers b ON b.shop_id = o.shop_id AND b.id = o.shopper_id
     WHERE o.shop_id = $1 AND o.id = $2 AND b.referral_identity = 'agent'
       AND EXISTS (SELECT 1 FROM referral_identity_changes c
                   WHERE c.shop_id = o.shop_id AND c.shopper_id = o.shopper_id AND c.order_id = o.id
                     AND c.reason = 'activation_purchase')
       AND NOT EXISTS (SELECT 1 FROM orders e JOIN order_items i ON i.order_id = e.id JOIN products p ON p.id = i.product_id
                       WHERE e.shop_id = o.shop_id AND e.shopper_id = o.shopper_id AND e.id <> o.id
                         AND e.status = ANY($3) AND p.is_activation)`,
    [shopId, orderId, PAID_STATUSES],
  );
  const r = rows[0];
  if (!r) return { clawedBack, identityChange: null };
  const change: IdentityChange = { shopperId: r.buyer_id, from: 'agent', to: 'member', reason: 'activation_refunded', orderId };
  return { clawedBack, identityChange: (await changeIdentity(tx, shopId, change, r.version, now)) ? change : null };
}
