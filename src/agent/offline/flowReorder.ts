// Buying again ("洗衣液快用完了，再来一桶一样的"): the card finds what the shopper bought before,
// shows it as it is now (price, stock) and how to order it — it cannot place the order itself — and,
// when she asks about a coupon, whether the coupons she holds apply to that amount
// (docs/domain.md §5 Coupons: one coupon per order, reaching the threshold counts).
import { TOOLS } from '../../../tools/index.ts';
import { cannot, latest, reply, valueOf, type Decision, type Flow } from './flow.ts';
import { containsTerm } from '../../text/normalize.ts';
import { pointsAtShown, productInfoFlow } from './flowShopping.ts';
import { reorderReply, type Purchase } from './replyReorder.ts';
import { priceYuan, type OrderLine, type UsableCoupon } from './results.ts';
import { orderWord } from './slots.ts';
import type { ToolCallPlan } from './toolbox.ts';

const { listOrders, getProduct, searchProducts, listCoupons } = TOOLS;

const RECENT = 5;
const SHOWN = 3;

/**
 * The product bought before that the message means: the latest one whose name holds her word, else
 * the latest of the category it names (口红 is the lipstick, before a 唇膏 filed under 口红), else
 * the latest order's first.
 */
export function boughtProduct(orders: readonly OrderLine[], keyword: string | undefined): Purchase | undefined {
  const matches: ((p: OrderLine['products'][number]) => boolean)[] = keyword
    ? [(p) => p.name.includes(keyword), (p) => p.category === keyword]
    : [() => true];
  for (const match of matches) {
    for (const o of orders) {
      const item = o.products.find(match);
      if (item) return { ...item, orderedAt: o.createdAt };
    }
  }
  return undefined;
}

/** The coupons the message names ("新人券", "10元券", "满99减10"), or all of them when it names none. */
export function namedCoupons(norm: string, usable: readonly UsableCoupon[], hint: Flow['u']['slots']['coupon']): UsableCoupon[] {
  const named = usable.filter((c) => {
    const short = c.name.replace(/专享|专属|兑换/g, '');
    if (containsTerm(norm, c.name) || containsTerm(norm, short) || norm.includes(c.rule)) return true;
    if (hint?.amountYuan !== undefined && c.rule.endsWith(`减${hint.amountYuan}`)) return true;
    return Boolean(hint?.noThreshold && c.minSpendFen === 0);
  });
  return named.length ? named : [...usable];
}

export function reorderFlow(f: Flow): Decision {
  const s = f.u.slots;
  const keyword = s.productWord ?? orderWord(s.category);
  const aboutCoupon = s.couponMention || Boolean(s.coupon);
  const fromOrders = s.buyAgain || s.pastPurchase || Boolean(s.orderRef) || !aboutCoupon;
  // "帮我下单第一个", "链接发我" about what was just shown: that product and where it is bought.
  if (s.howToBuy && !s.pastPurchase && !aboutCoupon && pointsAtShown(f)) return productInfoFlow(f);
  const first: ToolCallPlan[] = [];
  if (aboutCoupon && !latest(f, listCoupons)) {
    const plan = f.tools.plan(listCoupons, {});
    if (plan) first.push(plan);
  }
  if (fromOrders && !latest(f, listOrders)) {
    const plan = f.tools.plan(listOrders, { productKeyword: keyword, limit: RECENT });
    if (plan) first.push(plan);
  }
  if (first.length) return { kind: 'calls', calls: first };
  if (!latest(f, listOrders) && !latest(f, listCoupons)) return reply(cannot(f, 'orders')());

  const orders = valueOf(f, listOrders)?.orders;
  const bought = orders ? boughtProduct(orders, keyword) : undefined;
  if (bought && !latest(f, getProduct)) {
    const plan = f.tools.plan(getProduct, { productId: bought.productId });
    if (plan) return { kind: 'calls', calls: [plan] };
  }
  const coupons = valueOf(f, listCoupons);
  if (!bought && !latest(f, searchProducts)) {
    const input = keyword
      ? { query: keyword, ...(s.category?.inShop && !s.productWord ? { category: s.category.value } : {}), limit: SHOWN }
      : s.couponUseUp && coupons
        ? cheapestOver(coupons.usable)
        : undefined;
    const plan = input && f.tools.plan(searchProducts, input);
    if (plan) return { kind: 'calls', calls: [plan] };
  }
  const product = valueOf(f, getProduct);
  const found = valueOf(f, searchProducts)?.products.slice(0, SHOWN) ?? [];
  const unitFen = s.statedPriceFen ?? (product ? fenOf(product.price) : undefined);
  return reply(
    reorderReply(f.say, {
      bought: bought && product ? { ...bought, product } : undefined,
      searched: found,
      // Her own word ("洗面奶"), not the shop's category it was looked up by.
      keyword: s.productWord ?? s.category?.term,
      searchedOrders: Boolean(latest(f, listOrders)),
      coupons: coupons && aboutCoupon ? { usable: namedCoupons(f.u.norm, coupons.usable, s.coupon), claimable: coupons.claimable, all: coupons.usable } : undefined,
      subtotalFen: unitFen === undefined ? undefined : unitFen * (s.quantity ?? 1),
      quantity: s.quantity ?? 1,
    }),
  );
}

/** "买什么最划算": the cheapest products that still reach the lowest threshold of her coupons. */
function cheapestOver(usable: readonly UsableCoupon[]): { minPrice?: number; sort: 'price_asc'; limit: number } | undefined {
  if (!usable.length) return undefined;
  const min = Math.min(...usable.map((c) => c.minSpendFen));
  return { ...(min > 0 ? { minPrice: min / 100 } : {}), sort: 'price_asc', limit: SHOWN };
}

function fenOf(price: string): number | undefined {
  const yuan = priceYuan(price);
  return yuan === null ? undefined : Math.round(yuan * 100);
}
