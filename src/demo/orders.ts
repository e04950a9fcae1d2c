// The order history: a number of orders per tier over the last 180 days, items that fit each
// shopper's skin and favourite categories, and a latest order pinned by a scenario for the samples
// and a few dozen others. Money follows one rule: pay = items − discount + shipping.
import type { Tier } from '../context.ts';
import { CATEGORIES } from './catalogData.ts';
import { drawDurations, observe, planTimeline, scenarioPlan, type OrderPlan, type Scenario } from './lifecycle.ts';
import type { Rng } from './rng.ts';
import { SAMPLE_BY_OPENID, SAMPLE_SHOPPERS } from './samples.ts';
import { compactDate, DAY, HOUR, MINUTE, shanghaiDayStart } from './time.ts';
import type { OrderFate, OrderItemSeed, OrderSeed, ProductSeed, ShopperSeed } from './types.ts';

const HISTORY_DAYS = 180;
const ORDER_COUNTS: Record<Exclude<Tier, 'new'>, readonly [number, number]> = {
  converted: [1, 1],
  potential: [5, 9],
  core: [10, 16],
  laotie: [20, 30],
};
const RANDOM_SCENARIOS: ReadonlyArray<readonly [Scenario, number]> = [
  ['inTransit', 18],
  ['awaitingShipment', 5],
  ['shipmentOverdue', 2],
  ['awaitingPayment', 5],
  ['deliveredRecent', 8],
  ['deliveredOld', 4],
];
const LATER_FATES: ReadonlyArray<readonly [OrderFate, number]> = [
  ['normal', 88.5],
  ['cancelledByShopper', 4],
  ['unpaidClosed', 3],
  ['refundBeforeShip', 1.5],
  ['refundAfterDelivery', 3],
];
// 满99包邮, and the 链动 activation kits ship free whatever their price.
const FREE_SHIPPING_FROM_FEN = 9_900;
const SHIPPING_FEN = 1_000;

interface Shelf {
  bySku: ReadonlyMap<string, ProductSeed>;
  byCategory: ReadonlyMap<string, ProductSeed[]>;
  activation: ProductSeed[];
}

export function generateOrders(rng: Rng, now: number, shoppers: readonly ShopperSeed[], products: readonly ProductSeed[]): OrderSeed[] {
  const shelf: Shelf = {
    bySku: new Map(products.map((p) => [p.sku, p])),
    byCategory: new Map(CATEGORIES.map((c) => [c.name, products.filter((p) => p.category === c.name && !p.isActivation)])),
    activation: products.filter((p) => p.isActivation),
  };
  const scenarios = assignScenarios(rng, shoppers, now);
  const orderNos = new Set<string>();
  return shoppers.flatMap((s) => shopperOrders(rng, now, s, scenarios.get(s.openid) ?? null, shelf, orderNos));
}

function assignScenarios(rng: Rng, shoppers: readonly ShopperSeed[], now: number): Map<string, Scenario> {
  const scenarios = new Map<string, Scenario>();
  for (const s of SAMPLE_SHOPPERS) if (s.latestOrder) scenarios.set(s.openid, s.latestOrder);
  // An anchored order goes up to ~13 days back: only for shoppers registered well before that.
  let pool = rng.shuffle(
    shoppers.filter((s) => s.tier !== 'new' && !SAMPLE_BY_OPENID.has(s.openid) && s.registeredAt < now - 20 * DAY),
  );
  for (const [scenario, n] of RANDOM_SCENARIOS) {
    // A converted shopper's only order must be paid: no unpaid latest order for them.
    const eligible = pool.filter((s) => scenario !== 'awaitingPayment' || s.tier !== 'converted');
    for (const s of eligible.slice(0, n)) scenarios.set(s.openid, scenario);
    pool = pool.filter((s) => !scenarios.has(s.openid));
  }
  return scenarios;
}

function shopperOrders(
  rng: Rng,
  now: number,
  shopper: ShopperSeed,
  scenario: Scenario | null,
  shelf: Shelf,
  orderNos: Set<string>,
): OrderSeed[] {
  if (shopper.tier === 'new') return [];
  const sample = SAMPLE_BY_OPENID.get(shopper.openid);
  const [fewest, most] = ORDER_COUNTS[shopper.tier];
  // Some converted shoppers started a second order that never went through.
  const count = rng.int(fewest, most) + (shopper.tier === 'converted' && !scenario && rng.chance(0.3) ? 1 : 0);
  const latest = scenario ? scenarioPlan(rng, scenario, now) : null;
  const start = Math.max(shopper.registeredAt + HOUR, now - HISTORY_DAYS * DAY);
  const end = latest ? latest.createdAt - DAY : now - HOUR;
  const consumableAt = sample?.consumable ? now - sample.consumable.daysAgo * DAY : null;
  const times = historyTimes(rng, start, end, latest ? count - 1 : count, shopper.tier !== 'converted');
  if (consumableAt !== null) times.push(consumableAt);
  times.sort((a, b) => a - b);

  const plans: OrderPlan[] = times.map((createdAt, i) => ({
    createdAt,
    fate: i === 0 || createdAt === consumableAt ? 'normal' : laterFate(rng, shopper, i),
    durations: drawDurations(rng),
  }));
  if (latest) plans.push(latest);

  return plans.map((plan, i) => {
    const items = pickItems(rng, now, shopper, shelf, plan.createdAt, {
      // Agents and bosses became so by buying an activation product, in their first order.
      activation: i === 0 && shopper.identity !== 'member',
      minItemsFen: i === 0 ? (sample?.minFirstOrderFen ?? 0) : 0,
      productType: plan.createdAt === consumableAt ? sample?.consumable?.productType : undefined,
      // Not bought again since: it is about to run out.
      avoidType: consumableAt !== null && plan.createdAt > consumableAt ? sample?.consumable?.productType : undefined,
    });
    return buildOrder(rng, now, shopper, plan, items, shelf, orderNos);
  });
}

function laterFate(rng: Rng, shopper: ShopperSeed, index: number): OrderFate {
  const pinned = SAMPLE_BY_OPENID.get(shopper.openid)?.historyFates?.[index - 1];
  if (pinned) return pinned;
  if (shopper.tier === 'converted') return rng.chance(0.5) ? 'cancelledByShopper' : 'unpaidClosed';
  return rng.weighted(LATER_FATES);
}

/** n order times in [start, end], in shopping hours (08:00–24:00 Shanghai), oldest first. */
function historyTimes(rng: Rng, start: number, end: number, n: number, quickSecondPurchase: boolean): number[] {
  if (n <= 0 || end <= start) return [];
  const times = Array.from({ length: n }, () => {
    const t = start + Math.round(rng.next() * (end - start));
    const inShoppingHours = shanghaiDayStart(t) + 8 * HOUR + rng.int(0, 16 * 60 - 1) * MINUTE;
    return Math.min(end, Math.max(start, inShoppingHours));
  }).sort((a, b) => a - b);
  // Converted → potential: many second purchases come within the 7-day coupon (case: 45 %).
  if (quickSecondPurchase && n >= 2 && rng.chance(0.5)) {
    const second = times[0]! + Math.round(rng.between(1, 6) * DAY);
    if (second < (times[2] ?? end)) times[1] = second;
  }
  return times;
}

interface ItemWishes {
  activation: boolean;
  minItemsFen: number;
  productType: string | undefined;
  avoidType: string | undefined;
}

function pickItems(rng: Rng, now: number, shopper: ShopperSeed, shelf: Shelf, at: number, wish: ItemWishes): OrderItemSeed[] {
  // On sale when ordered: launched by then, and not delisted (the two delisted ones sold until 2 months ago).
  const orderable = (p: ProductSeed) => p.launchedAt <= at && (p.status === 'on_sale' || at < now - 60 * DAY);
  // Pinned items come once: one activation kit, one unit of the consumable that is running out.
  const pinned: ProductSeed[] = [];
  if (wish.activation) pinned.push(rng.pick(shelf.activation));
  if (wish.productType) {
    const type = wish.productType;
    pinned.push(rng.pick([...shelf.bySku.values()].filter((p) => p.productType === type && !p.isActivation && orderable(p))));
  }
  const chosen = [...pinned];
  const wanted = Math.max(chosen.length, rng.weighted([[1, 50], [2, 35], [3, 15]] as const));
  const total = () => chosen.reduce((sum, p) => sum + p.priceFen, 0);
  for (let attempt = 0; attempt < 60 && (chosen.length < wanted || total() < wish.minItemsFen) && chosen.length < 6; attempt++) {
    const category = rng.chance(0.7) ? rng.pick(shopper.favouriteCategories) : rng.pick(CATEGORIES).name;
    // Mostly products made for the shopper's skin; now and then something else.
    const strict = rng.chance(0.85);
    const fits = (p: ProductSeed) =>
      orderable(p) &&
      !chosen.includes(p) &&
      p.productType !== wish.avoidType &&
      (!strict || p.attributes.skin_types.length === 0 || p.attributes.skin_types.includes(shopper.skinType));
    const candidates = (shelf.byCategory.get(category) ?? []).filter(fits);
    if (candidates.length > 0) chosen.push(rng.pick(candidates));
  }
  return chosen.map((p) => ({
    sku: p.sku,
    productName: p.name,
    category: p.category,
    unitPriceFen: p.priceFen,
    // Household consumables are often bought two at a time.
    quantity: !pinned.includes(p) && rng.chance(p.attributes.skin_types.length === 0 ? 0.3 : 0.08) ? 2 : 1,
  }));
}

function buildOrder(
  rng: Rng,
  now: number,
  shopper: ShopperSeed,
  plan: OrderPlan,
  items: OrderItemSeed[],
  shelf: Shelf,
  orderNos: Set<string>,
): OrderSeed {
  const planned = planTimeline(plan);
  const { status, seen } = observe(planned, now);
  const itemsFen = items.reduce((sum, i) => sum + i.unitPriceFen * i.quantity, 0);
  const products = items.map((i) => shelf.bySku.get(i.sku)!);
  const freeShipping = itemsFen >= FREE_SHIPPING_FROM_FEN || products.some((p) => p.isActivation);
  const shippingFen = freeShipping ? 0 : SHIPPING_FEN;
  return {
    ...seen,
    orderNo: uniqueOrderNo(rng, plan.createdAt, orderNos),
    shopperOpenid: shopper.openid,
    status,
    fate: plan.fate,
    planned,
    items,
    itemsFen,
    discountFen: 0,
    shippingFen,
    payFen: itemsFen + shippingFen,
    couponIssueKey: null,
    address: shopper.address,
    supplierId: products[0]!.supplierId,
  };
}

/** 'LT' + the Shanghai date + 6 digits, unique in the shop. */
function uniqueOrderNo(rng: Rng, createdAt: number, taken: Set<string>): string {
  for (;;) {
    const orderNo = `LT${compactDate(createdAt)}${rng.digits(6)}`;
    if (!taken.has(orderNo)) {
      taken.add(orderNo);
      return orderNo;
    }
  }
}

/** Applies a coupon to an order: pay_fen = items_fen − discount_fen + shipping_fen, always. */
export function applyDiscount(order: OrderSeed, discountFen: number, issueKey: string): void {
  if (discountFen > order.itemsFen) throw new Error(`seed: discount above the items of ${order.orderNo}`);
  order.discountFen = discountFen;
  order.couponIssueKey = issueKey;
  order.payFen = order.itemsFen - discountFen + order.shippingFen;
}
