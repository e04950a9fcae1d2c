// Replies about products, written only from searchProducts / getProduct results: names, prices,
// skin types, colours and traceability exactly as the catalog returned them.
import { looksLikeInstruction } from './guard.ts';
import { LEXICON } from './lexicon.ts';
import { lines, quote, type Say } from './replies.ts';
import type { Product, ProductDetail } from './results.ts';
import type { Slots } from './slots.ts';

/** How this search differs from the last one, for the first line of the answer. */
export type SearchChange =
  | { kind: 'new' }
  | { kind: 'cheaper' }
  | { kind: 'pricier' }
  | { kind: 'color'; from?: string }
  | { kind: 'more' }
  | { kind: 'refined' };

const yuan = (v: unknown) => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : '');

function filterPhrases(say: Say, input: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof input.skinType === 'string') out.push(say.t('recommend.filter_skin', { skinType: input.skinType }));
  if (typeof input.effect === 'string') out.push(say.t('recommend.filter_effect', { effect: input.effect }));
  if (typeof input.color === 'string') out.push(say.t('recommend.filter_color', { color: input.color }));
  const [min, max] = [yuan(input.minPrice), yuan(input.maxPrice)];
  if (min && max) out.push(say.t('recommend.filter_range', { min, max }));
  else if (max) out.push(say.t('recommend.filter_max', { max }));
  else if (min) out.push(say.t('recommend.filter_min', { min }));
  return out;
}

function what(say: Say, input: Record<string, unknown>): string {
  return typeof input.category === 'string' ? input.category : say.t('recommend.any_category');
}

export function productLine(say: Say, p: Product, n: number, hideColor?: string): string {
  const details: string[] = [];
  const effects = p.effects ?? [];
  if (effects.length) details.push(say.t('recommend.item_effects', { effects: say.list(effects.slice(0, 2)) }));
  const colors = (p.colors ?? []).filter((c) => c !== hideColor);
  if (colors.length) details.push(say.t('recommend.item_colors', { colors: say.list(colors.slice(0, 4)) }));
  if (!p.inStock) details.push(say.t('recommend.item_out_of_stock'));
  return say.t('recommend.item', { n, name: p.name, price: p.price, details: details.length ? say.t('recommend.item_details', { details: say.list(details) }) : '' });
}

/** The advisor persona's routine tip for a skin type (docs/domain.md §9 Advisor). */
export function advisorTip(say: Say, skinType: string | undefined): string | undefined {
  if (say.ctx.persona !== 'advisor' || !skinType) return undefined;
  const at = LEXICON.skinTypes.findIndex((g) => g.some((t) => t === skinType.toLowerCase() || skinType.includes(t)));
  const key = at >= 0 ? `advisor.tip_${LEXICON.skinTypeKeys[at]}` : undefined;
  return key && say.has(key) ? say.t(key, { skinType }) : undefined;
}

export function productsReply(
  say: Say,
  products: readonly Product[],
  input: Record<string, unknown>,
  change: SearchChange,
  relaxed: string | undefined,
  skinType: string | undefined,
): string {
  const filters = filterPhrases(say, input);
  const vars = { filters: say.list(filters), what: what(say, input) };
  if (!products.length) {
    if (change.kind === 'cheaper') return say.t('recommend.none_cheaper');
    if (change.kind === 'pricier') return say.t('recommend.none_pricier');
    if (change.kind === 'more') return say.t('recommend.none_more');
    if (change.kind === 'color' && change.from) return say.t('recommend.none_other_color', { ...vars, from: change.from });
    return filters.length ? say.t('recommend.none_filtered', vars) : say.t('recommend.none', vars);
  }
  const hideColor = change.kind === 'color' ? change.from : undefined;
  const intro =
    change.kind === 'more'
      ? say.t('recommend.intro_more', vars)
      : change.kind === 'color' && change.from
        ? say.t('recommend.intro_other_color', { ...vars, from: change.from })
        : filters.length
          ? say.t('recommend.intro_filtered', vars)
          : say.t('recommend.intro', vars);
  return lines(
    relaxed && say.t('recommend.relaxed', { dropped: relaxed }),
    intro,
    ...products.map((p, i) => productLine(say, p, i + 1, hideColor)),
    advisorTip(say, skinType),
    say.t('recommend.footer'),
  );
}

/** The filter a relaxed search dropped, in words ("豆沙色", "适合干皮"). */
export function droppedPhrase(say: Say, key: string, input: Record<string, unknown>): string {
  return filterPhrases(say, key === 'price' ? { minPrice: input.minPrice, maxPrice: input.maxPrice } : { [key]: input[key] })[0] ?? '';
}

export function askNeedReply(say: Say): string {
  const persona = say.ctx.persona === 'advisor' ? 'advisor' : 'card';
  const skinType = say.ctx.skinType;
  return skinType ? say.t(`recommend.ask_need_${persona}_known_skin`, { skinType }) : say.t(`recommend.ask_need_${persona}`);
}

export function askWhichProduct(say: Say, items: readonly Product[]): string {
  return lines(say.t('product.ask_which'), ...items.map((p, i) => say.t('product.choice', { n: i + 1, name: p.name, price: p.price })));
}

export function noSuchPosition(say: Say, count: number): string {
  return say.t('product.no_such_position', { count });
}

const TRACE_FACETS = ['origin', 'qc', 'batch', 'authentic'] as const;

function traceLines(say: Say, p: ProductDetail, facets: readonly string[]): string[] {
  const t = p.traceability;
  const fields = {
    origin: t.origin,
    qc: t.qcReportRef,
    batch: t.batchNo,
  };
  if (facets.includes('authentic')) {
    return [
      say.t('product.authentic', { supplier: t.supplier || say.t('product.unknown') }),
      say.t('product.origin', { origin: t.origin || say.t('product.unknown') }),
      say.t('product.qc', { qc: t.qcReportRef || say.t('product.unknown') }),
      say.t('product.batch', { batch: t.batchNo || say.t('product.unknown') }),
    ];
  }
  return TRACE_FACETS.filter((f) => f !== 'authentic' && facets.includes(f)).map((f) =>
    say.t(`product.${f}`, { [f]: fields[f as keyof typeof fields] || say.t('product.unknown') }),
  );
}

function suits(p: ProductDetail, skinType: string): boolean {
  return p.skinTypes.some((s) => s === skinType || s.includes(skinType) || skinType.includes(s));
}

/** The answer about one product, focused on what was asked (产地, 质检, 适合干皮吗 …) or a summary. */
/** Where a product is bought: the card cannot order it, its page in the mall can (docs/domain.md §2 Buying). */
export function buyReply(say: Say, p: ProductDetail): string {
  const vars = { name: p.name, price: p.price };
  if (!p.onSale) return say.t('product.buy_off_sale', vars);
  return say.t(p.inStock ? 'product.buy' : 'product.buy_out_of_stock', vars);
}

export function productDetailReply(say: Say, p: ProductDetail, slots: Slots): string {
  const facets = slots.facets;
  const skin = slots.skinType?.value;
  const out: string[] = [];
  if (skin && facets.includes('skin')) {
    out.push(suits(p, skin) ? say.t('product.skin_yes', { skinType: skin }) : say.t('product.skin_no', { skinType: skin, skinTypes: say.list(p.skinTypes) || say.t('product.unknown') }));
  }
  out.push(...traceLines(say, p, facets));
  if (facets.includes('shipping')) out.push(say.t('product.shipping', { promise: p.shippingPromise || say.t('product.unknown'), warehouse: p.traceability.warehouse || say.t('product.unknown') }));
  if (facets.includes('price')) out.push(say.t('product.price', { price: p.price }));
  if (facets.includes('stock')) out.push(p.inStock ? say.t('product.in_stock') : say.t('product.out_of_stock'));
  if (facets.includes('spec') && p.spec) out.push(say.t('product.spec', { spec: p.spec }));
  if (facets.includes('colors')) out.push(p.colors.length ? say.t('product.colors', { colors: say.list(p.colors) }) : say.t('product.no_colors'));
  const described = quote(p.description, looksLikeInstruction);
  if (['ingredients', 'usage', 'effects'].some((f) => facets.includes(f))) {
    if (p.effects.length) out.push(say.t('product.effects', { effects: say.list(p.effects) }));
    if (described) out.push(say.t('product.description', { description: described }));
  }
  const header = say.t('product.header', { name: p.name, price: p.price });
  if (out.length) return lines(header, ...out);
  return lines(
    header,
    p.spec && say.t('product.spec', { spec: p.spec }),
    p.effects.length > 0 && say.t('product.effects', { effects: say.list(p.effects) }),
    p.skinTypes.length > 0 && say.t('product.skin_types', { skinTypes: say.list(p.skinTypes) }),
    p.colors.length > 0 && say.t('product.colors', { colors: say.list(p.colors) }),
    described && say.t('product.description', { description: described }),
    p.inStock ? undefined : say.t('product.out_of_stock'),
    p.traceability.origin && say.t('product.trace_summary', { origin: p.traceability.origin, supplier: p.traceability.supplier || say.t('product.unknown') }),
    advisorTip(say, skin ?? (say.ctx.skinType || undefined)),
    say.t('product.footer'),
  );
}
