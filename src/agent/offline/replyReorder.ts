// Replies about buying again: the product as it is now, how to order it, and whether her coupons
// reach the amount — all from the tools' results; the card never says an order was placed.
import { lines, type Say } from './replies.ts';
import { productLine } from './replyShopping.ts';
import type { ClaimableCoupon, OrderLine, Product, ProductDetail, UsableCoupon } from './results.ts';

/** A product of an earlier order: the ids getProduct takes, and when it was ordered. */
export type Purchase = OrderLine['products'][number] & { orderedAt: string };

export interface ReorderFacts {
  bought: (Purchase & { product: ProductDetail }) | undefined;
  /** Catalog hits when nothing bought matched (or the question was only about a coupon). */
  searched: readonly Product[];
  keyword: string | undefined;
  /** Whether her orders were looked through (so "not among your orders" can be said). */
  searchedOrders: boolean;
  coupons: { usable: readonly UsableCoupon[]; all: readonly UsableCoupon[]; claimable: readonly ClaimableCoupon[] } | undefined;
  /** What the purchase comes to, in fen, when a price is known (hers, or the product's × quantity). */
  subtotalFen: number | undefined;
  quantity: number;
}

const yuan = (fen: number) => (fen / 100).toFixed(fen % 100 === 0 ? 0 : fen % 10 === 0 ? 1 : 2);

function boughtLines(say: Say, b: NonNullable<ReorderFacts['bought']>): string[] {
  const p = b.product;
  const stock = !p.onSale ? 'reorder.off_sale' : p.inStock ? 'reorder.in_stock' : 'reorder.out_of_stock';
  return [
    say.t('reorder.bought', { date: say.date(b.orderedAt), name: p.name, price: p.price, stock: say.t(stock) }),
    p.onSale && say.t('reorder.how', { name: p.name }),
  ].filter((x): x is string => Boolean(x));
}

function searchedLines(say: Say, f: ReorderFacts): string[] {
  if (!f.searched.length) return f.keyword ? [say.t('reorder.none', { what: f.keyword })] : [];
  return [
    f.searchedOrders && f.keyword ? say.t('reorder.not_bought', { what: f.keyword }) : say.t('reorder.found_intro'),
    ...f.searched.map((p, i) => productLine(say, p, i + 1)),
    say.t('reorder.how_search'),
  ];
}

function couponLine(say: Say, c: UsableCoupon, subtotalFen: number | undefined): string {
  const vars = { name: c.name, rule: c.rule };
  if (c.minSpendFen === 0) return say.t('reorder.coupon_no_threshold', vars);
  if (subtotalFen === undefined) return say.t('reorder.coupon_threshold', { ...vars, min: yuan(c.minSpendFen) });
  if (subtotalFen >= c.minSpendFen) return say.t('reorder.coupon_reached', { ...vars, total: yuan(subtotalFen) });
  return say.t('reorder.coupon_short', { ...vars, total: yuan(subtotalFen), min: yuan(c.minSpendFen), gap: yuan(c.minSpendFen - subtotalFen) });
}

function couponLines(say: Say, f: ReorderFacts): string[] {
  const c = f.coupons;
  if (!c) return [];
  if (!c.all.length) {
    return [say.t('reorder.no_coupons'), ...(c.claimable.length ? [say.t('reorder.claimable', { names: say.list(c.claimable.map((x) => say.t('reorder.coupon_named', { name: x.name, rule: x.rule }))) })] : [])];
  }
  return [...c.usable.map((x) => couponLine(say, x, f.subtotalFen)), c.usable.length > 1 ? say.t('reorder.one_per_order') : ''];
}

export function reorderReply(say: Say, f: ReorderFacts): string {
  // Nothing bought, nothing named to look for: ask which, never an empty reply.
  return lines(...(f.bought ? boughtLines(say, f.bought) : searchedLines(say, f)), ...couponLines(say, f)) || say.t('reorder.which');
}
