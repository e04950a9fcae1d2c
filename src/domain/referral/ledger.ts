// The reward ledger's data access (奖励台账): reading the facts of a paid order, writing credits and
// claw-backs idempotently by entry key, and the balance check of the ledger.
import type { ReferralIdentity, Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { creditKey, reversalKey, type PaidOrderFacts, type RewardKind, type RewardLevel, type RewardLine } from './rewards.ts';

export type LedgerState = 'pending' | 'settled' | 'reversed';

/** Order states in which an order counts as paid (a refunded or cancelled one no longer does). */
export const PAID_STATUSES = ['paid', 'shipped', 'delivered', 'completed'] as const;

export interface PaidOrderRecord {
  facts: PaidOrderFacts;
  buyerId: number;
  buyerIdentity: ReferralIdentity;
  hasActivationProduct: boolean;
  /** Still paid now; false for unpaid, cancelled or refunded orders (they earn nothing). */
  isPaid: boolean;
  deliveredAt: Date | null;
}

interface FactsRow {
  id: number;
  buyer_id: number;
  pay_fen: number;
  paid_at: Date | null;
  delivered_at: Date | null;
  is_paid: boolean;
  buyer_identity: ReferralIdentity;
  r1_id: number | null;
  r1_identity: ReferralIdentity | null;
  r1_tier: Tier | null;
  r2_id: number | null;
  r2_identity: ReferralIdentity | null;
  r2_tier: Tier | null;
  has_activation: boolean;
  helped_by: number | null;
  trial_started_at: Date | null;
  trial_ends_at: Date | null;
  trial_rewarded_order_id: number | null;
  first_paid: boolean;
}

/**
 * Everything the reward rules need about one order, in one query. It joins the buyer's referrer and
 * that referrer's referrer and no one further (docs/domain.md §4.6 Legal guard).
 */
export async function loadPaidOrder(tx: Queryable, shopId: string, orderId: number): Promise<PaidOrderRecord | null> {
  const { rows } = await tx.query<FactsRow>(
    `SELECT o.id, o.shopper_id AS buyer_id, o.pay_fen, o.paid_at, o.delivered_at,
       (o.status = ANY($3) AND o.paid_at IS NOT NULL) AS is_paid,
       b.referral_identity AS buyer_identity,
       r1.id AS r1_id, r1.referral_identity AS r1_identity, r1.tier AS r1_tier,
       r2.id AS r2_id, r2.referral_identity AS r2_identity, r2.tier AS r2_tier,
       EXISTS (SELECT 1 FROM order_items i JOIN products p ON p.id = i.product_id
               WHERE i.order_id = o.id AND p.is_activation) AS has_activation,
       h.boss_id AS helped_by,
       t.started_at AS trial_started_at, t.ends_at AS trial_ends_at, t.rewarded_order_id AS trial_rewarded_order_id,
       NOT EXISTS (SELECT 1 FROM orders e
                   WHERE e.shop_id = o.shop_id AND e.shopper_id = o.shopper_id AND e.paid_at IS NOT NULL
                     AND (e.paid_at, e.id) < (o.paid_at, o.id)) AS first_paid
     FROM orders o
     JOIN shoppers b ON b.shop_id = o.shop_id AND b.id = o.shopper_id
     LEFT JOIN shoppers r1 ON r1.shop_id = o.shop_id AND r1.id = b.referrer_id
     LEFT JOIN shoppers r2 ON r2.shop_id = o.shop_id AND r2.id = r1.referrer_id
     LEFT JOIN referral_help h ON h.shop_id = o.shop_id AND h.order_id = o.id
     LEFT JOIN referral_trials t ON t.shop_id = o.shop_id AND t.shopper_id = r1.id
     WHERE o.shop_id = $1 AND o.id = $2`,
    [shopId, orderId, PAID_STATUSES],
  );
  const r = rows[0];
  if (!r) return null;
  const member = (id: number | null, identity: ReferralIdentity | null, tier: Tier | null) =>
    id === null ? null : { id, identity: identity!, tier: tier! };
  const referrer = member(r.r1_id, r.r1_identity, r.r1_tier);
  return {
    buyerId: r.buyer_id,
    buyerIdentity: r.buyer_identity,
    hasActivationProduct: r.has_activation,
    isPaid: r.is_paid,
    deliveredAt: r.delivered_at,
    facts: {
      orderId: r.id,
      payFen: r.pay_fen,
      paidAt: r.paid_at ?? new Date(0), // unpaid orders (isPaid false) are never priced
      upline: referrer ? { referrer, referrerOfReferrer: member(r.r2_id, r.r2_identity, r.r2_tier) } : null,
      helpedByBossId: r.helped_by,
      referrerTrial:
        r.trial_started_at && r.trial_ends_at
          ? { startedAt: r.trial_started_at, endsAt: r.trial_ends_at, rewardedOrderId: r.trial_rewarded_order_id }
          : null,
      buyersFirstPaidOrder: r.first_paid,
    },
  };
}

/**
 * Claims an order for pricing; false when it was priced before. The claim, not the entry keys, is what
 * makes a replay pay nothing: identities may have changed since, and a second pricing could find
 * rewards the first did not.
 */
export async function claimPaidOrder(tx: Queryable, shopId: string, orderId: number, policyVersion: number, at: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO referral_paid_orders (shop_id, order_id, policy_version, processed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (shop_id, order_id) DO NOTHING`,
    [shopId, orderId, policyVersion, at],
  );
  return rowCount > 0;
}

/** Marks the trial reward as earned by this order; false if another order already earned it. */
export async function claimTrialReward(tx: Queryable, shopId: string, holderId: number, orderId: number, at: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE referral_trials SET rewarded_order_id = $3, rewarded_at = coalesce(rewarded_at, $4)
     WHERE shop_id = $1 AND shopper_id = $2 AND (rewarded_order_id IS NULL OR rewarded_order_id = $3)`,
    [shopId, holderId, orderId, at],
  );
  return rowCount > 0;
}

export interface CreditContext {
  orderId: number;
  buyerId: number;
  policyVersion: number;
  createdAt: Date;
  settleAfter: Date | null;
}

/** Inserts pending credits; a line whose key exists already (a replay) is skipped. Returns how many were new. */
export async function insertCredits(tx: Queryable, shopId: string, lines: readonly RewardLine[], c: CreditContext): Promise<number> {
  if (lines.length === 0) return 0;
  const { rowCount } = await tx.query(
    `INSERT INTO reward_ledger (shop_id, order_id, buyer_id, beneficiary_id, kind, level, amount_fen, state,
                                entry_key, policy_version, created_at, settle_after)
     SELECT $1, $2, $3, l.beneficiary_id, l.kind, l.level, l.amount_fen, 'pending', l.entry_key, $4, $5, $6
     FROM unnest($7::bigint[], $8::text[], $9::smallint[], $10::bigint[], $11::text[])
          AS l(beneficiary_id, kind, level, amount_fen, entry_key)
     ON CONFLICT (shop_id, entry_key) DO NOTHING`,
    [
      shopId,
      c.orderId,
      c.buyerId,
      c.policyVersion,
      c.createdAt,
      c.settleAfter,
      lines.map((l) => l.beneficiaryId),
      lines.map((l) => l.kind),
      lines.map((l) => l.level),
      lines.map((l) => l.amountFen),
      lines.map((l) => creditKey(c.orderId, l.beneficiaryId, l.kind)),
    ],
  );
  return rowCount;
}

/**
 * Claws back every credit of an order (docs/domain.md §4.5 Reward lifecycle: all of it when the order is
 * refunded): pending credits become reversed; settled ones keep their state and get a negative reversal
 * entry. Idempotent: a replay finds nothing pending and every reversal key taken. Returns the rows touched.
 */
export async function reverseOrderCredits(tx: Queryable, shopId: string, orderId: number, at: Date): Promise<number> {
  const pending = await tx.query(
    `UPDATE reward_ledger SET state = 'reversed', reversed_at = $3
     WHERE shop_id = $1 AND order_id = $2 AND state = 'pending' AND amount_fen > 0`,
    [shopId, orderId, at],
  );
  const settled = await tx.query(
    `INSERT INTO reward_ledger (shop_id, order_id, buyer_id, beneficiary_id, kind, level, amount_fen, state,
                                entry_key, reverses_id, policy_version, created_at, reversed_at)
     SELECT shop_id, order_id, buyer_id, beneficiary_id, kind, level, -amount_fen, 'reversed',
            entry_key || $4, id, policy_version, $3, $3
     FROM reward_ledger
     WHERE shop_id = $1 AND order_id = $2 AND state = 'settled' AND amount_fen > 0
     ON CONFLICT (shop_id, entry_key) DO NOTHING`,
    [shopId, orderId, at, reversalKey('')],
  );
  return pending.rowCount + settled.rowCount;
}

export interface LedgerEntry {
  id: number;
  orderId: number;
  buyerId: number;
  beneficiaryId: number;
  kind: RewardKind;
  level: RewardLevel;
  amountFen: number;
  state: LedgerState;
  entryKey: string;
  policyVersion: number;
  createdAt: Date;
  settleAfter: Date | null;
  settledAt: Date | null;
}

/** The ledger of a shop (optionally of one order), in entry order. */
export async function ledgerEntries(db: Queryable, shopId: string, orderId?: number): Promise<LedgerEntry[]> {
  const { rows } = await db.query<{
    id: number;
    order_id: number;
    buyer_id: number;
    beneficiary_id: number;
    kind: RewardKind;
    level: RewardLevel;
    amount_fen: number;
    state: LedgerState;
    entry_key: string;
    policy_version: number;
    created_at: Date;
    settle_after: Date | null;
    settled_at: Date | null;
  }>(
    `SELECT id, order_id, buyer_id, beneficiary_id, kind, level, amount_fen, state, entry_key, policy_version,
            created_at, settle_after, settled_at
     FROM reward_ledger WHERE shop_id = $1 AND ($2::bigint IS NULL OR order_id = $2) ORDER BY id`,
    [shopId, orderId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    buyerId: r.buyer_id,
    beneficiaryId: r.beneficiary_id,
    kind: r.kind,
    level: r.level,
    amountFen: r.amount_fen,
    state: r.state,
    entryKey: r.entry_key,
    policyVersion: r.policy_version,
    createdAt: r.created_at,
    settleAfter: r.settle_after,
    settledAt: r.settled_at,
  }));
}

export interface RewardTotals {
  /** Credited, still within the return window. */
  pendingFen: number;
  /** Settled credits net of the claw-backs of settled credits: what the shop owes and may pay out. */
  settledFen: number;
  /** Everything clawed back: reversed pending credits plus the reversal entries of settled ones. */
  reversedFen: number;
}

/** Sums of ledger rows per bucket, as SQL select-list expressions over reward_ledger. */
const TOTALS_SQL = `
  coalesce(sum(amount_fen) FILTER (WHERE state = 'pending'), 0) AS pending_fen,
  coalesce(sum(amount_fen) FILTER (WHERE state = 'settled' OR amount_fen < 0), 0) AS settled_fen,
  coalesce(sum(abs(amount_fen)) FILTER (WHERE state = 'reversed'), 0) AS reversed_fen`;

interface TotalsRow {
  pending_fen: number;
  settled_fen: number;
  reversed_fen: number;
}
const totals = (r: TotalsRow | undefined): RewardTotals => ({
  pendingFen: r?.pending_fen ?? 0,
  settledFen: r?.settled_fen ?? 0,
  reversedFen: r?.reversed_fen ?? 0,
});

export async function rewardTotals(db: Queryable, shopId: string, beneficiaryId: number): Promise<RewardTotals> {
  const { rows } = await db.query<TotalsRow>(
    `SELECT ${TOTALS_SQL} FROM reward_ledger WHERE shop_id = $1 AND beneficiary_id = $2`,
    [shopId, beneficiaryId],
  );
  return totals(rows[0]);
}

export interface LedgerBalances {
  /** The shop's payable side: live credits minus the reversal entries. */
  shop: { creditsFen: number; reversalsFen: number; payableFen: number };
  /** Each beneficiary's balance (pending + settled is what they are owed). */
  beneficiaries: Array<{ shopperId: number } & RewardTotals>;
  /** Payable equals the sum of balances, no balance is negative, every reversal mirrors its credit. */
  balanced: boolean;
}

/**
 * The ledger's balance check (double-entry in effect): the shop's payable, computed over entries, must
 * equal the sum of the beneficiaries' balances; no settled balance may go negative; and every reversal
 * entry must be the exact negative of the settled credit it reverses, for the same beneficiary.
 */
export async function ledgerBalances(db: Queryable, shopId: string): Promise<LedgerBalances> {
  const shop = await db.query<{ credits_fen: number; reversals_fen: number; mismatched: number }>(
    `SELECT
       coalesce(sum(l.amount_fen) FILTER (WHERE l.amount_fen > 0 AND l.state <> 'reversed'), 0) AS credits_fen,
       coalesce(-sum(l.amount_fen) FILTER (WHERE l.amount_fen < 0), 0) AS reversals_fen,
       count(*) FILTER (WHERE l.amount_fen < 0 AND (c.id IS NULL OR c.state <> 'settled'
         OR c.amount_fen + l.amount_fen <> 0 OR c.beneficiary_id <> l.beneficiary_id)) AS mismatched
     FROM reward_ledger l LEFT JOIN reward_ledger c ON c.id = l.reverses_id
     WHERE l.shop_id = $1`,
    [shopId],
  );
  const per = await db.query<TotalsRow & { beneficiary_id: number }>(
    `SELECT beneficiary_id, ${TOTALS_SQL} FROM reward_ledger WHERE shop_id = $1 GROUP BY beneficiary_id ORDER BY beneficiary_id`,
    [shopId],
  );
  const s = shop.rows[0]!;
  const beneficiaries = per.rows.map((r) => ({ shopperId: r.beneficiary_id, ...totals(r) }));
  const payableFen = s.credits_fen - s.reversals_fen;
  const owed = beneficiaries.reduce((sum, b) => sum + b.pendingFen + b.settledFen, 0);
  return {
    shop: { creditsFen: s.credits_fen, reversalsFen: s.reversals_fen, payableFen },
    beneficiaries,
    balanced: payableFen === owed && s.mismatched === 0 && beneficiaries.every((b) => b.settledFen >= 0 && b.pendingFen >= 0),
  };
}
