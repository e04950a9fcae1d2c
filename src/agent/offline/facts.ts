// Typed, defensive readers of tool results. A result is JSON from another module (or a replayed
// conversation): every field is checked, and a missing one reads as empty — never as invented data.
// Field names follow tools/*.ts; this is the one place that knows them.

type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
export function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(obj) : [];
}
export function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
export function texts(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}
export function numberOr(v: unknown, fallback: number | null): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** '¥129.00' → 129 (searchProducts gives prices as text only). */
export function priceYuan(price: string): number | null {
  const m = /(-?\d+(?:\.\d+)?)/.exec(price.replace(/,/g, ''));
  return m ? Number(m[1]) : null;
}

export interface ProductFacts {
  id: number;
  name: string;
  brand: string;
  category: string;
  price: string;
  inStock: boolean;
  spec: string;
  skinTypes: string[];
  colors: string[];
  effects: string[];
  description: string;
  stock: number | null;
  onSale: boolean;
  usageCycleDays: number | null;
  origin: string;
  qcReportRef: string;
  batchNo: string;
  supplier: string;
  warehouse: string;
  shippingPromise: string;
}

export function readProduct(v: unknown): ProductFacts | null {
  const p = obj(v);
  const id = numberOr(p.id, null);
  if (id === null || !text(p.name)) return null;
  const trace = obj(p.traceability);
  return {
    id,
    name: text(p.name),
    brand: text(p.brand),
    category: text(p.category),
    price: text(p.price),
    inStock: p.inStock !== false,
    spec: text(p.spec),
    skinTypes: texts(p.skinTypes),
    colors: texts(p.colors),
    effects: texts(p.effects),
    description: text(p.description),
    stock: numberOr(p.stock, null),
    onSale: p.onSale !== false,
    usageCycleDays: numberOr(p.usageCycleDays, null),
    origin: text(trace.origin),
    qcReportRef: text(trace.qcReportRef),
    batchNo: text(trace.batchNo),
    supplier: text(trace.supplier),
    warehouse: text(trace.warehouse),
    shippingPromise: text(p.shippingPromise),
  };
}

export function readProducts(v: unknown): ProductFacts[] {
  return list(obj(v).products)
    .map(readProduct)
    .filter((p): p is ProductFacts => p !== null);
}

export interface OrderLine {
  orderNo: string;
  status: string;
  statusLabel: string;
  createdAt: string;
  pay: string;
  /** listOrders: '修护精华 ×1、补水面膜 ×2'. */
  items: string;
  shipmentStatus: string;
}

export function readOrderLines(v: unknown): { orders: OrderLine[]; hasMore: boolean } {
  const r = obj(v);
  const orders = list(r.orders)
    .map((o) => ({
      orderNo: text(o.orderNo),
      status: text(o.status),
      statusLabel: text(o.statusLabel),
      createdAt: text(o.createdAt),
      pay: text(o.pay),
      items: text(o.items),
      shipmentStatus: text(obj(o.shipment).status),
    }))
    .filter((o) => o.orderNo !== '');
  return { orders, hasMore: r.hasMore === true };
}

export interface OrderDetail {
  orderNo: string;
  status: string;
  statusLabel: string;
  createdAt: string;
  items: { name: string; quantity: number; unitPrice: string }[];
  pay: string;
  timeline: { status: string; label: string; at: string }[];
  shipment: { carrier: string; trackingNo: string; status: string; statusLabel: string; eta: string } | null;
  afterSales: { requestNo: string; kind: string; kindLabel: string; status: string; statusLabel: string; amount: string } | null;
  afterSalesEligible: boolean;
  afterSalesKinds: string[];
  afterSalesMessage: string;
  afterSalesCode: string;
  windowClosesAt: string;
}

export function readOrderDetail(v: unknown): OrderDetail | null {
  const o = obj(v);
  if (!text(o.orderNo)) return null;
  const s = o.shipment ? obj(o.shipment) : null;
  const a = o.afterSales ? obj(o.afterSales) : null;
  const reason = obj(o.afterSalesReason);
  return {
    orderNo: text(o.orderNo),
    status: text(o.status),
    statusLabel: text(o.statusLabel),
    createdAt: text(o.createdAt),
    items: list(o.items).map((i) => ({ name: text(i.name), quantity: numberOr(i.quantity, 1)!, unitPrice: text(i.unitPrice) })),
    pay: text(obj(o.amounts).pay),
    timeline: list(o.timeline).map((t) => ({ status: text(t.status), label: text(t.label), at: text(t.at) })),
    shipment: s && { carrier: text(s.carrier), trackingNo: text(s.trackingNo), status: text(s.status), statusLabel: text(s.statusLabel), eta: text(s.eta) },
    afterSales: a && {
      requestNo: text(a.requestNo),
      kind: text(a.kind),
      kindLabel: text(a.kindLabel),
      status: text(a.status),
      statusLabel: text(a.statusLabel),
      amount: text(a.amount),
    },
    afterSalesEligible: o.afterSalesEligible === true,
    afterSalesKinds: texts(reason.kinds),
    afterSalesMessage: text(reason.message),
    afterSalesCode: text(reason.code),
    windowClosesAt: text(reason.windowClosesAt) || text(reason.windowClosedAt),
  };
}

export interface TrackingEvent {
  at: string;
  status: string;
  location: string;
  description: string;
}

export interface Tracking {
  orderNo: string;
  orderStatus: string;
  shipment: {
    carrier: string;
    trackingNo: string;
    status: string;
    statusLabel: string;
    eta: string;
    deliveredAt: string;
    latest: TrackingEvent | null;
  } | null;
  dispatch: { shipBy: string; state: string; promiseHours: number | null; hoursLeft: number | null } | null;
  note: string;
}

function readEvent(v: unknown): TrackingEvent | null {
  const e = obj(v);
  if (!text(e.at) && !text(e.description)) return null;
  return { at: text(e.at), status: text(e.status), location: text(e.location), description: text(e.description) };
}

export function readTracking(v: unknown): Tracking | null {
  const t = obj(v);
  if (!text(t.orderNo)) return null;
  const s = t.shipment ? obj(t.shipment) : null;
  const d = t.dispatch ? obj(t.dispatch) : null;
  return {
    orderNo: text(t.orderNo),
    orderStatus: text(t.orderStatus),
    shipment: s && {
      carrier: text(s.carrier),
      trackingNo: text(s.trackingNo),
      status: text(s.status),
      statusLabel: text(s.statusLabel),
      eta: text(s.eta),
      deliveredAt: text(s.deliveredAt),
      latest: readEvent(s.latestEvent) ?? readEvent(list(s.trail).at(-1)),
    },
    dispatch: d && { shipBy: text(d.shipBy), state: text(d.state), promiseHours: numberOr(d.promiseHours, null), hoursLeft: numberOr(d.hoursLeft, null) },
    note: text(t.note),
  };
}

export interface AfterSalesOutcome {
  accepted: boolean;
  requestNo: string;
  kind: string;
  amount: string;
  needsStaffReview: boolean;
  next: string;
  reason: string;
  message: string;
  windowClosedAt: string;
}

export function readAfterSales(v: unknown): AfterSalesOutcome {
  const r = obj(v);
  return {
    accepted: r.accepted === true,
    requestNo: text(r.requestNo),
    kind: text(r.kind),
    amount: text(r.amount),
    needsStaffReview: r.needsStaffReview === true,
    next: text(r.next),
    reason: text(r.reason),
    message: text(r.message),
    windowClosedAt: text(r.windowClosedAt),
  };
}

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
