// The 链动2+1 referral engine (docs/domain.md §4 Referral): policy, identities, rewards, ledger, settlement,
// the activity rule, the monthly ranking and a shopper's status. Order events come in through onOrderPaid /
// onOrderDelivered / onOrderRefunded inside the caller's transaction.
export { applyActivityRule, type ActivityOutcome } from './activity.ts';
export { applyPaidOrdersBatch, type BatchOutcome } from './batch.ts';
export { findHelp, recordHelp, type HelpRecord } from './help.ts';
export { bossThreshold, identityHistory, lockReferralChain, type IdentityChange, type IdentityChangeReason } from './identity.ts';
export { ledgerBalances, ledgerEntries, rewardTotals, type LedgerBalances, type LedgerEntry, type LedgerState, type RewardTotals } from './ledger.ts';
export { onOrderPaid, onOrderRefunded, type PaidOrderOutcome, type RefundOutcome } from './orderEvents.ts';
export {
  DEFAULT_REFERRAL_POLICY,
  getReferralPolicy,
  putReferralPolicy,
  referralPolicySchema,
  type ReferralPolicy,
  type VersionedPolicy,
} from './policy.ts';
export { monthlyRanking, rankReferrers, type RankingEntry } from './ranking.ts';
export { computeOrderRewards, REWARD_KINDS, shareOf, type PaidOrderFacts, type RewardKind, type RewardLine } from './rewards.ts';
export { heldRewards, onOrderDelivered, settleDue, settleDueEntries, type SettledEntry } from './settle.ts';
export { settleRewards, type SettlementDeps, type SettlementOptions, type SettlementReport } from './settlement.ts';
export { referralStatus, type ReferralStatus } from './status.ts';
export { findAgentTrial, startAgentTrial } from './trial.ts';
