// Recommendation and product questions over several turns (docs/domain.md §2 Card): ask what is needed when
// there is nothing to go on, search with every filter the shopper gave, refine the last search
// ("便宜点的", "换个颜色", "有没有适合油皮的") keeping its other filters, and answer about a product
// the shopper points at ("第二个", "它", a name) — always an item a tool really returned.
import { TOOLS } from '../../../tools/index.ts';
import { allOf, callOr, cannot, errorOf, reply, valueOf, type Decision, type Flow } from './flow.ts';
import { LEXICON } from './lexicon.ts';
import { containsTerm } from '../../text/normalize.ts';
import { pick } from './recall.ts';
import { askNeedReply, askWhichProduct, buyReply, droppedPhrase, noSuchPosition, productDetailReply, productsReply, type SearchChange } from './replyShopping.ts';
import { priceYuan, type Product } from './results.ts';
import type { Slots, VocabMatch } from './slots.ts';

const { searchProducts, getProduct } = TOOLS;

const SEARCH_LIMIT = 5;
const LOOKUP_LIMIT = 3;
// A search this many turns back is still "what we were just looking at".
const REFINE_REACH = 3;
// Filters a fruitless search gives up first, one at a time: the least essential first.
const RELAX_ORDER = ['color', 'effect', 'skinType', 'price'] as const;
const QUERY_MAX = 200;
// Fewer characters than this left over name nothing (a stray 个 or 点 is not a product).
const MIN_CORE_CHARS = 2;

const shopValue = (m: VocabMatch | undefined) => (m?.inShop ? m.value : undefined);

/** What is left of a message once the given words (by default those that say nothing about a product) are taken out. */
function coreWords(norm: string, words: readonly string[] = LEXICON.recommendFiller): string {
  let rest = norm.replace(/[\s\p{P}\p{S}\d]+/gu, ' ');
  for (const w of [...words].sort((a, b) => b.length - a.length)) {
    rest = /^[a-z ]+$/.test(w) ? rest.replace(new RegExp(`\\b${w}\\b`, 'g'), ' ') : rest.split(w).join(' ');
  }
  return rest.replace(/\s+/g, '');
}

/** What is left once the product's facets and pointers are taken out too ("这个是正品吗" names nothing). */
function productWords(norm: string): string {
  return coreWords(norm, [...LEXICON.recommendFiller, ...Object.values(LEXICON.productFacets).flat(), ...LEXICON.pronouns]);
}

function hasNeed(s: Slots): boolean {
  return Boolean(s.category || s.skinType || s.budget || s.effect || s.color);
}

interface SearchPlan {
  input: Record<string, unknown>;
  change: SearchChange;
}

function withBudget(input: Record<string, unknown>, s: Slots): void {
  if (!s.budget) return;
  delete input.minPrice;
  delete input.maxPrice;
  if (s.budget.minYuan !== undefined) input.minPrice = s.budget.minYuan;
  if (s.budget.maxYuan !== undefined) input.maxPrice = s.budget.maxYuan;
}

/** The last search with this message's changes applied, keeping every filter it does not change. */
function refine(f: Flow, base: Record<string, unknown>, shown: readonly Product[], shownIds: readonly number[]): SearchPlan {
  const s = f.u.slots;
  const input: Record<string, unknown> = { ...base };
  delete input.excludeProductIds;
  let change: SearchChange = { kind: 'refined' };
  withBudget(input, s);
  const prices = shown.map((p) => priceYuan(p.price)).filter((p): p is number => p !== null);
  if (s.priceShift === 'cheaper') {
    // Cheaper than everything shown (and than the old ceiling), so the new list really is cheaper.
    const ceiling = Math.min(...prices, typeof base.maxPrice === 'number' ? base.maxPrice : Infinity);
    if (Number.isFinite(ceiling)) input.maxPrice = Math.max(0, Math.round((ceiling - 0.01) * 100) / 100);
    if (typeof input.minPrice === 'number' && typeof input.maxPrice === 'number' && input.minPrice >= input.maxPrice) delete input.minPrice;
    input.sort = 'price_desc';
    change = { kind: 'cheaper' };
  } else if (s.priceShift === 'pricier' && prices.length) {
    input.minPrice = Math.round((Math.max(...prices) + 0.01) * 100) / 100;
    delete input.maxPrice;
    input.sort = 'price_asc';
    change = { kind: 'pricier' };
  }
  if (s.colorChange) {
    const from = typeof base.color === 'string' ? base.color : f.u.recall.focus?.product.colors?.[0];
    delete input.color;
    input.excludeProductIds = shown.map((p) => p.id);
    change = { kind: 'color', ...(from ? { from } : {}) };
  }
  const color = shopValue(s.color);
  if (color) input.color = color;
  const skin = shopValue(s.skinType);
  if (skin) input.skinType = skin;
  if (s.effect) input.effect = s.effect.value;
  if (s.more) {
    input.excludeProductIds = [...shownIds];
    change = { kind: 'more' };
  }
  return { input, change };
}

function searchPlan(f: Flow): SearchPlan | null {
  const { slots: s, recall, raw, norm } = f.u;
  const last = recall.lastSearch;
  const category = shopValue(s.category);
  const sameTopic = !s.category || category === last?.input.category;
  if (last && last.turnsAgo <= REFINE_REACH && sameTopic) return refine(f, last.input, last.products, last.shownIds);
  // A different category starts over, keeping only what belongs to the shopper (her skin).
  const carriedSkin = last && last.turnsAgo <= REFINE_REACH && typeof last.input.skinType === 'string' ? last.input.skinType : undefined;
  // Nothing in the message to go on: ask (the profile's skin type alone does not say what to show).
  if (!hasNeed(s) && !carriedSkin && coreWords(norm).length < MIN_CORE_CHARS) return null;
  const skin = shopValue(s.skinType) ?? carriedSkin ?? (f.ctx.skinType || undefined);
  const input: Record<string, unknown> = {
    query: raw.slice(0, QUERY_MAX),
    category,
    skinType: skin,
    color: shopValue(s.color),
    effect: s.effect?.value,
    limit: SEARCH_LIMIT,
  };
  withBudget(input, s);
  if (s.priceShift === 'cheaper') input.sort = 'price_asc';
  return { input, change: { kind: 'new' } };
}

function has(input: Record<string, unknown>, key: (typeof RELAX_ORDER)[number]): boolean {
  return key === 'price' ? input.minPrice !== undefined || input.maxPrice !== undefined : input[key] !== undefined;
}

function relax(input: Record<string, unknown>): Record<string, unknown> | null {
  for (const key of RELAX_ORDER) {
    if (!has(input, key)) continue;
    const next = { ...input };
    if (key === 'price') {
      delete next.minPrice;
      delete next.maxPrice;
    } else delete next[key];
    return next;
  }
  return null;
}

export function recommendFlow(f: Flow): Decision {
  const searches = allOf(f, searchProducts);
  const first = searches[0];
  if (!first) {
    const plan = searchPlan(f);
    if (!plan) return reply(askNeedReply(f.say));
    return callOr(f, searchProducts, plan.input, cannot(f, 'search'));
  }
  const last = searches.at(-1)!;
  const products = valueOf(f, searchProducts)?.products ?? [];
  const plan = searchPlan(f);
  const change = plan?.change ?? { kind: 'new' };
  // One retry with a filter given up, so "nothing matches" comes with something close instead.
  if (!products.length && searches.length === 1 && (change.kind === 'new' || change.kind === 'refined')) {
    const relaxed = relax(first.input);
    if (relaxed) return callOr(f, searchProducts, relaxed, cannot(f, 'search'));
  }
  const relaxedKey = searches.length > 1 ? RELAX_ORDER.find((k) => has(first.input, k) && !has(last.input, k)) : undefined;
  const relaxed = relaxedKey ? droppedPhrase(f.say, relaxedKey, first.input) : undefined;
  const skin = typeof last.input.skinType === 'string' ? last.input.skinType : f.ctx.skinType || undefined;
  return reply(productsReply(f.say, products, last.input, change, relaxed, skin));
}

/** Longest run of characters two texts share: how a shopper names a product she was shown. */
function sharedRun(a: string, b: string): number {
  let best = 0;
  const prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const keep = prev[j]!;
      prev[j] = a[i - 1] === b[j - 1] ? diag + 1 : 0;
      if (prev[j]! > best) best = prev[j]!;
      diag = keep;
    }
  }
  return best;
}

// Three shared characters (修护精 …) name a product; two are often just its category.
const NAME_MATCH_MIN = 3;

type Target = { product: Product } | { ambiguous: Product[] } | { outOfRange: number } | null;

function targetProduct(f: Flow): Target {
  const { slots: s, recall, norm } = f.u;
  const list = recall.list?.kind === 'products' ? recall.list : undefined;
  if (s.ordinal !== undefined && list) {
    const p = pick(list.items, s.ordinal);
    return p ? { product: p } : { outOfRange: list.items.length };
  }
  const candidates = [...(list?.items ?? []), ...(recall.focus ? [recall.focus.product] : [])];
  let named: Product | undefined;
  let bestRun = NAME_MATCH_MIN - 1;
  for (const p of candidates) {
    const run = Math.max(sharedRun(norm, p.name.toLowerCase()), p.brand && containsTerm(norm, p.brand.toLowerCase()) ? p.brand.length : 0);
    if (run > bestRun) [named, bestRun] = [p, run];
  }
  if (named) return { product: named };
  const focus = recall.focus;
  if (focus && (!list || focus.seq >= list.seq)) return { product: focus.product };
  if (list?.items.length === 1) return { product: list.items[0]! };
  if (list && (s.pronoun || s.facets.length || s.howToBuy)) return { ambiguous: list.items };
  return null;
}

/** Whether the message points at a product the conversation just showed ("第一个", "它", a name). */
export function pointsAtShown(f: Flow): boolean {
  return targetProduct(f) !== null;
}

export function productInfoFlow(f: Flow): Decision {
  const detail = valueOf(f, getProduct);
  if (detail) return reply(f.u.slots.howToBuy ? buyReply(f.say, detail) : productDetailReply(f.say, detail, f.u.slots));
  if (errorOf(f, getProduct)) return reply(f.say.t('product.not_found'));
  const found = valueOf(f, searchProducts)?.products ?? [];
  if (allOf(f, searchProducts).length) {
    const top = found[0];
    return top ? callOr(f, getProduct, { productId: top.id }, cannot(f, 'product')) : reply(f.say.t('product.not_found'));
  }
  const target = targetProduct(f);
  if (target && 'product' in target) return callOr(f, getProduct, { productId: target.product.id }, cannot(f, 'product'));
  if (target && 'outOfRange' in target) return reply(noSuchPosition(f.say, target.outOfRange));
  if (target && 'ambiguous' in target) return reply(askWhichProduct(f.say, target.ambiguous));
  // Named by words only ("修护精华是正品吗"): find it first.
  const s = f.u.slots;
  if (s.category || s.effect || productWords(f.u.norm).length >= MIN_CORE_CHARS) {
    return callOr(f, searchProducts, { query: f.u.raw.slice(0, QUERY_MAX), category: shopValue(s.category), limit: LOOKUP_LIMIT }, cannot(f, 'search'));
  }
  return reply(f.say.t('product.ask_which_none'));
}
