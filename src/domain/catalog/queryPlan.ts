// Turns a ProductQuery into checked values with defaults. Pure, so the rules are easy to read.
import { Invalid } from '../../errors.ts';
import type { ProductQuery, ProductSort } from './types.ts';

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 20;

export interface Filters {
  /** Any of these; from the query's category, or the categories its text names. */
  categories?: string[];
  minPriceFen?: number;
  maxPriceFen?: number;
  skinType?: string;
  color?: string;
  effect?: string;
}

export interface QueryPlan {
  /** Trimmed; '' when the query has no text (filters only). */
  text: string;
  filters: Filters;
  inStockOnly: boolean;
  excludeIds: number[];
  limit: number;
  sort: ProductSort;
}

function fen(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < 0) throw new Invalid(`${name} must be a whole, non-negative number of fen`);
  return v;
}

function word(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

export function planQuery(q: ProductQuery): QueryPlan {
  const minPriceFen = fen('minPriceFen', q.minPriceFen);
  const maxPriceFen = fen('maxPriceFen', q.maxPriceFen);
  if (minPriceFen !== undefined && maxPriceFen !== undefined && minPriceFen > maxPriceFen) {
    throw new Invalid('minPriceFen is above maxPriceFen');
  }
  const category = word(q.category);
  const filters: Filters = {
    ...(category ? { categories: [category] } : {}),
    ...(minPriceFen !== undefined ? { minPriceFen } : {}),
    ...(maxPriceFen !== undefined ? { maxPriceFen } : {}),
    ...(word(q.skinType) ? { skinType: word(q.skinType) } : {}),
    ...(word(q.color) ? { color: word(q.color) } : {}),
    ...(word(q.effect) ? { effect: word(q.effect) } : {}),
  };
  return {
    text: q.text?.trim() ?? '',
    filters,
    inStockOnly: q.inStockOnly ?? true,
    excludeIds: (q.excludeProductIds ?? []).filter((id) => Number.isSafeInteger(id) && id > 0),
    limit: Number.isFinite(q.limit ?? DEFAULT_LIMIT)
      ? Math.min(MAX_LIMIT, Math.max(1, Math.floor(q.limit ?? DEFAULT_LIMIT)))
      : DEFAULT_LIMIT,
    sort: q.sort ?? 'relevance',
  };
}

/**
 * The shop's categories that the text names verbatim ("适合干皮的粉底液" names 粉底液). A shopper who
 * names what she wants to buy is not helped by a face cream that happens to suit dry skin, so a
 * named category narrows the search like an explicit one (which, when given, wins).
 */
export function namedCategories(text: string, shopCategories: readonly string[]): string[] {
  const t = text.toLowerCase();
  return shopCategories.filter((c) => c.trim() && t.includes(c.toLowerCase()));
}

export function hasStructuredFilters(f: Filters): boolean {
  return Object.keys(f).length > 0;
}

/**
 * Whether the filters say what kind of product she wants (a category, a colour, an effect): then
 * every product passing them is an answer. A budget or a skin type does not: many products of any
 * kind fit one, and a lipstick under 100 yuan is no answer to "保湿".
 */
export function hasTopicalFilters(f: Filters): boolean {
  return Boolean(f.categories?.length || f.color || f.effect);
}
