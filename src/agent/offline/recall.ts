// What earlier turns have shown, read from their tool results: the last product search
// and its filters (for "便宜点的"), the last list on screen (for "第二个"), the product in focus (for
// "它", "这款"). Only tool results count — never the model's own words — so a reference can only
// point at something a tool really returned for this shopper.
import { ORDER_TOOLS, TOOLS } from '../../../tools/index.ts';
import type { ToolExchange, Turn } from './conversation.ts';
import { redeemOptions, resultOf, type ClaimableCoupon, type OrderLine, type Product, type RedeemOption, type VoteCandidate } from './results.ts';

export type ShownList =
  | { kind: 'products'; items: Product[] }
  | { kind: 'orders'; items: OrderLine[] }
  | { kind: 'coupons'; items: ClaimableCoupon[] }
  | { kind: 'redeem'; items: RedeemOption[] }
  | { kind: 'candidates'; items: VoteCandidate[]; campaignId: number };

export interface Recall {
  lastSearch?: {
    input: Record<string, unknown>;
    products: Product[];
    /** 1 = the previous turn, 2 = the one before … */
    turnsAgo: number;
    /** Every product shown by the searches of this topic, for "换一批" (excludeProductIds). */
    shownIds: number[];
  };
  /** The product the shopper is looking at: a detail, or the only product of a search. */
  focus?: { product: Product; turnsAgo: number; seq: number };
  /** The last list shown, which ordinals ("第二个") point into. */
  list?: ShownList & { turnsAgo: number; seq: number };
  /** The order talked about last (a detail, a tracking, a request): what "这单" means. */
  order?: { orderNo: string; turnsAgo: number };
}


/**
 * Earlier turns only: the current turn's own tool results are read by the flows directly, so what
 * the message is understood to mean stays the same at every step of the turn.
 */
export function recall(history: readonly Turn[]): Recall {
  const out: Recall = {};
  // Position of an exchange in the whole conversation: which of a list and a focus came last.
  let seq = 0;
  history.forEach((turn, index) => {
    const turnsAgo = history.length - index;
    for (const ex of turn.exchanges) {
      seq++;
      if (!ex.outcome?.ok) continue;
      const orderNo = orderOf(ex);
      if (orderNo) out.order = { orderNo, turnsAgo };
      remember(out, ex, turnsAgo, seq);
    }
  });
  return out;
}

/** The order an exchange was about: the one its result names, else the one its input named. */
function orderOf(ex: ToolExchange): string | undefined {
  if (!ORDER_TOOLS.has(ex.name) || ex.name === TOOLS.listOrders.name) return undefined;
  const value = ex.outcome?.ok ? (ex.outcome.value as { orderNo?: unknown }) : undefined;
  const orderNo = value?.orderNo ?? ex.input.orderNo;
  return typeof orderNo === 'string' ? orderNo : undefined;
}

function remember(out: Recall, ex: ToolExchange, turnsAgo: number, seq: number): void {
  const search = resultOf(TOOLS.searchProducts, ex);
  if (search) {
    const { products } = search;
    // "换一批" leaves out what this topic has shown; a new category starts a new topic.
    const sameTopic = out.lastSearch && out.lastSearch.input.category === ex.input.category;
    const earlier = sameTopic ? out.lastSearch!.shownIds : [];
    out.lastSearch = { input: ex.input, products, turnsAgo, shownIds: [...new Set([...earlier, ...products.map((p) => p.id)])] };
    if (products.length) out.list = { kind: 'products', items: products, turnsAgo, seq };
    if (products.length === 1) out.focus = { product: products[0]!, turnsAgo, seq };
    return;
  }
  const product = resultOf(TOOLS.getProduct, ex);
  if (product) {
    out.focus = { product, turnsAgo, seq };
    return;
  }
  const orders = resultOf(TOOLS.listOrders, ex)?.orders;
  if (orders?.length) out.list = { kind: 'orders', items: orders, turnsAgo, seq };
  const claimable = resultOf(TOOLS.listCoupons, ex)?.claimable;
  if (claimable?.length) out.list = { kind: 'coupons', items: claimable, turnsAgo, seq };
  const redeem = resultOf(TOOLS.listTasks, ex)?.redeem;
  if (redeem?.length) out.list = { kind: 'redeem', items: redeem, turnsAgo, seq };
  const points = resultOf(TOOLS.getPoints, ex);
  const redeemable = points ? redeemOptions(points) : [];
  if (redeemable.length) out.list = { kind: 'redeem', items: redeemable, turnsAgo, seq };
  const ballot = resultOf(TOOLS.listVoteCampaigns, ex);
  const campaign = ballot && 'campaigns' in ballot ? ballot.campaigns[0] : undefined;
  if (campaign?.candidates.length) out.list = { kind: 'candidates', items: campaign.candidates, campaignId: campaign.campaignId, turnsAgo, seq };
}

/** The item at a 1-based position of a list (-1 = the last), if the list is that long. */
export function pick<T>(items: readonly T[], ordinal: number): T | undefined {
  return ordinal === -1 ? items.at(-1) : items[ordinal - 1];
}
