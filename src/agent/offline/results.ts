// Tool results as the offline model reads them: through each tool's own output schema (tools/*.ts),
// so a field is read under the name and type the tool declares — never re-parsed by hand. A result
// that does not match (a conversation replayed from before a tool changed) reads as absent, never as
// invented data.
import type { AnyToolDef, ToolOutput } from '../../../tools/defineTool.ts';
import type { TOOLS } from '../../../tools/index.ts';
import type { ToolExchange } from './conversation.ts';

const parsed = new WeakMap<object, { value: unknown }>();

/** The value of a successful exchange with this tool, typed by the tool's output schema. */
export function resultOf<T extends AnyToolDef>(tool: T, ex: ToolExchange | undefined): ToolOutput<T> | undefined {
  if (!ex || ex.name !== tool.name || !ex.outcome?.ok) return undefined;
  const outcome = ex.outcome;
  let memo = parsed.get(outcome);
  if (!memo) {
    const r = tool.output.safeParse(outcome.value);
    memo = { value: r.success ? r.data : undefined };
    parsed.set(outcome, memo);
  }
  return memo.value as ToolOutput<T> | undefined;
}

type Out<K extends keyof typeof TOOLS> = ToolOutput<(typeof TOOLS)[K]>;

export type OrderLine = Out<'listOrders'>['orders'][number];
export type OrderDetail = Out<'getOrder'>;
export type Tracking = Out<'trackShipment'>;
export type TrackingEvent = NonNullable<NonNullable<Tracking['shipment']>['latestEvent']>;
export type AfterSalesOutcome = Out<'createAfterSales'>;
export type ProductHit = Out<'searchProducts'>['products'][number];
export type ProductDetail = Out<'getProduct'>;
/** A product as a search listed it or as its detail showed it. */
export type Product = ProductHit | ProductDetail;
export type Coupons = Out<'listCoupons'>;
export type ClaimableCoupon = Coupons['claimable'][number];
export type UsableCoupon = Coupons['usable'][number];
export type ClaimOutcome = Out<'claimCoupon'>;
export type Points = Out<'getPoints'>;
export type Tasks = Out<'listTasks'>;
export type RedeemOption = Tasks['redeem'][number];

/** The coupons points can buy, as getPoints lists them (those with a points price). */
export function redeemOptions(p: Points): RedeemOption[] {
  return p.redeemable.flatMap((o) => (o.pointsCost === null ? [] : [{ ...o, pointsCost: o.pointsCost }]));
}
export type RedeemOutcome = Out<'redeemPoints'>;
export type Referral = Out<'getReferralStatus'>;
export type KnowledgePassage = Out<'searchKnowledge'>['results'][number];
export type Badges = Out<'listBadges'>;
export type VoteCampaigns = Out<'listVoteCampaigns'>;
export type VoteCampaign = Extract<VoteCampaigns, { campaigns: unknown }>['campaigns'][number];
export type VoteCandidate = VoteCampaign['candidates'][number];
export type VoteOutcome = Out<'voteProduct'>;
export type FeedbackOutcome = Out<'submitFeedback'>;
export type HandoffOutcome = Out<'requestHandoff'>;
export type Membership = Out<'getMembership'>;
export type Reminders = Out<'listReminders'>;
export type ReminderPreference = Out<'setReminderPreference'>;

/** '¥129.00' → 129 (searchProducts gives prices as text only). */
export function priceYuan(price: string): number | null {
  const m = /(-?\d+(?:\.\d+)?)/.exec(price.replace(/,/g, ''));
  return m ? Number(m[1]) : null;
}

/** Whether the order may get an after-sales request now, and why not, in one shape. */
export function afterSalesWindow(d: OrderDetail): { kinds: string[]; message: string; code: string; windowClosesAt: string } {
  const r = d.afterSalesReason;
  return 'kinds' in r
    ? { kinds: r.kinds, message: r.message, code: '', windowClosesAt: r.windowClosesAt ?? '' }
    : { kinds: [], message: r.message, code: r.code, windowClosesAt: r.windowClosedAt ?? '' };
}

/** The newest tracking event of a parcel. */
export function latestEvent(t: Tracking): TrackingEvent | null {
  return t.shipment ? (t.shipment.latestEvent ?? t.shipment.trail.at(-1) ?? null) : null;
}

/** The traceability of a product, when its detail was read (a search hit does not carry it). */
export function traceOf(p: Product): ProductDetail['traceability'] | null {
  return 'traceability' in p ? p.traceability : null;
}
