// Account results (coupons, points, referral, knowledge, community, handoff) as the replies use them.
import { type Obj, list, numberOr, obj, text } from './facts.ts';

export interface CouponFacts {
  code: string;
  name: string;
  rule: string;
  validUntil: string;
  validDays: number | null;
  claimUntil: string;
  remaining: number | null;
}

function readCoupon(c: Obj): CouponFacts {
  return {
    code: text(c.couponCode),
    name: text(c.name),
    rule: text(c.rule),
    validUntil: text(c.validUntil),
    validDays: numberOr(c.validDays, null),
    claimUntil: text(c.claimUntil),
    remaining: numberOr(c.remaining, null),
  };
}

export function readCoupons(v: unknown): { usable: CouponFacts[]; claimable: CouponFacts[] } {
  const r = obj(v);
  return { usable: list(r.usable).map(readCoupon), claimable: list(r.claimable).map(readCoupon).filter((c) => c.code !== '') };
}

export interface ClaimOutcome {
  claimed: boolean;
  name: string;
  rule: string;
  validUntil: string;
  reason: string;
  message: string;
}

export function readClaim(v: unknown): ClaimOutcome {
  const r = obj(v);
  return {
    claimed: r.claimed === true,
    name: text(r.name),
    rule: text(r.rule),
    validUntil: text(r.validUntil),
    reason: text(r.reason),
    message: text(r.message),
  };
}

export interface PointsFacts {
  balance: number;
  recent: { delta: number; reason: string; at: string }[];
  redeemable: { name: string; rule: string; pointsCost: number | null; affordable: boolean; code: string }[];
}

export function readPoints(v: unknown): PointsFacts | null {
  const r = obj(v);
  const balance = numberOr(r.balance, null);
  if (balance === null) return null;
  return {
    balance,
    recent: list(r.recent).map((e) => ({ delta: numberOr(e.delta, 0)!, reason: text(e.reason), at: text(e.at) })),
    redeemable: list(r.redeemable).map((t) => ({
      name: text(t.name),
      rule: text(t.rule),
      pointsCost: numberOr(t.pointsCost, null),
      affordable: t.affordable === true,
      code: text(t.couponCode) || text(t.code),
    })),
  };
}

export interface RedeemOption {
  code: string;
  name: string;
  rule: string;
  pointsCost: number | null;
  affordable: boolean;
}

export interface TaskFacts {
  balance: number | null;
  tasks: { name: string; progress: number; target: number; points: number; done: boolean; repeats: string }[];
  redeem: RedeemOption[];
  message: string;
}

export function readTasks(v: unknown): TaskFacts {
  const r = obj(v);
  return {
    balance: numberOr(r.balance, null),
    tasks: list(r.tasks).map((t) => ({
      name: text(t.name),
      progress: numberOr(t.progress, 0)!,
      target: numberOr(t.target, 0)!,
      points: numberOr(t.points, 0)!,
      done: t.done === true,
      repeats: text(t.repeats),
    })),
    redeem: list(r.redeem).map((t) => ({
      code: text(t.templateCode),
      name: text(t.name),
      rule: text(t.rule),
      pointsCost: numberOr(t.pointsCost, null),
      affordable: t.affordable === true,
    })),
    message: text(r.message),
  };
}

export interface RedeemOutcome {
  redeemed: boolean;
  name: string;
  rule: string;
  pointsSpent: number | null;
  balance: number | null;
  validUntil: string;
  reason: string;
  message: string;
}

export function readRedeem(v: unknown): RedeemOutcome {
  const r = obj(v);
  return {
    redeemed: r.redeemed === true,
    name: text(r.name),
    rule: text(r.rule),
    pointsSpent: numberOr(r.pointsSpent, null),
    balance: numberOr(r.balance, null),
    validUntil: text(r.validUntil),
    reason: text(r.reason),
    message: text(r.message),
  };
}

export interface ReferralFacts {
  identity: string;
  directReferrals: number | null;
  agentsNeededForBoss: number | null;
  needsActivationPurchase: boolean;
  teamSize: number | null;
  pending: string;
  settled: string;
  reversed: string;
  monthRank: number | null;
  referredBuyersThisMonth: number | null;
  isReferralStar: boolean;
  trialActive: boolean;
  trialEndsAt: string;
}

export function readReferral(v: unknown): ReferralFacts | null {
  const r = obj(v);
  if (!text(r.identity)) return null;
  const rewards = obj(r.rewards);
  const trial = obj(r.trial);
  return {
    identity: text(r.identity),
    directReferrals: numberOr(r.directReferrals, null),
    agentsNeededForBoss: numberOr(r.agentsNeededForBoss, null),
    needsActivationPurchase: r.needsActivationPurchase === true,
    teamSize: numberOr(r.teamSize, null),
    pending: text(obj(rewards.pending).display),
    settled: text(obj(rewards.settled).display),
    reversed: text(obj(rewards.reversed).display),
    monthRank: numberOr(r.monthRank, null),
    referredBuyersThisMonth: numberOr(r.referredBuyersThisMonth, null),
    isReferralStar: r.isReferralStar === true,
    trialActive: trial.active === true,
    trialEndsAt: text(trial.endsAt),
  };
}

export interface KnowledgePassage {
  title: string;
  heading: string;
  excerpt: string;
}

export function readKnowledge(v: unknown): KnowledgePassage[] {
  return list(obj(v).results)
    .map((r) => ({ title: text(r.title), heading: text(r.heading), excerpt: text(r.excerpt) }))
    .filter((p) => p.excerpt !== '');
}

export interface BadgeFacts {
  earned: { name: string; description: string; reason: string; awardedAt: string }[];
  toEarn: { name: string; howToEarn: string }[];
}

export function readBadges(v: unknown): BadgeFacts {
  const r = obj(v);
  return {
    earned: list(r.earned).map((b) => ({ name: text(b.name), description: text(b.description), reason: text(b.reason), awardedAt: text(b.awardedAt) })),
    toEarn: list(r.toEarn).map((b) => ({ name: text(b.name), howToEarn: text(b.howToEarn) })),
  };
}

export interface VoteCandidate {
  productId: number;
  name: string;
  category: string;
  votes: number | null;
}

export interface VoteCampaign {
  campaignId: number;
  title: string;
  closesAt: string;
  candidates: VoteCandidate[];
  top: VoteCandidate[];
  myVotes: number[];
  votesLeft: number | null;
}

function readCandidate(c: Obj): VoteCandidate | null {
  const productId = numberOr(c.productId, null);
  return productId === null ? null : { productId, name: text(c.name), category: text(c.category), votes: numberOr(c.votes, null) };
}

function readCampaign(c: Obj): VoteCampaign | null {
  const campaignId = numberOr(c.campaignId, null);
  if (campaignId === null) return null;
  const candidates = (v: unknown) => list(v).map(readCandidate).filter((x): x is VoteCandidate => x !== null);
  return {
    campaignId,
    title: text(c.title),
    closesAt: text(c.closesAt),
    candidates: candidates(c.candidates),
    top: candidates(c.top),
    myVotes: Array.isArray(c.myVotes) ? c.myVotes.filter((x): x is number => typeof x === 'number') : [],
    votesLeft: numberOr(c.votesLeft, null),
  };
}

export interface VoteOutcome {
  /** undefined when the call only listed the campaigns. */
  voted?: boolean;
  reason: string;
  message: string;
  campaigns: VoteCampaign[];
}

/** voteProduct answers with the open campaigns, a cast vote (and its campaign), or a refusal. */
export function readVote(v: unknown): VoteOutcome {
  const r = obj(v);
  const own = readCampaign(r);
  const campaigns = own ? [own] : list(r.campaigns).map(readCampaign).filter((c): c is VoteCampaign => c !== null);
  return {
    ...(typeof r.voted === 'boolean' ? { voted: r.voted } : {}),
    reason: text(r.reason),
    message: text(r.message),
    campaigns,
  };
}

export interface FeedbackOutcome {
  submitted: boolean;
  message: string;
}

export function readFeedback(v: unknown): FeedbackOutcome {
  const r = obj(v);
  return { submitted: r.submitted === true, message: text(r.message) };
}

export interface HandoffOutcome {
  /** false: staff are off duty, the request waits for them (their hours are told by the agent loop). */
  onDuty: boolean;
}

export function readHandoff(v: unknown): HandoffOutcome {
  return { onDuty: obj(v).onDuty !== false };
}
