// The catalog's public shapes: what a search asks for and what it answers. Money is integer fen;
// `price` is the same amount formatted for people ('¥129.00').

export type ProductSort = 'relevance' | 'price_asc' | 'price_desc';

export interface ProductQuery {
  /** The shopper's words; matched by meaning (vectors) and by words (search_terms, name, brand). */
  text?: string;
  category?: string;
  minPriceFen?: number;
  maxPriceFen?: number;
  /** e.g. 干皮; matches products whose attributes.skin_types contain it. */
  skinType?: string;
  color?: string;
  effect?: string;
  /** Default true: a shopper is rarely helped by what cannot be bought. */
  inStockOnly?: boolean;
  /** Products already shown in this conversation ("换一个"). */
  excludeProductIds?: number[];
  /** Default 5, at most 20. */
  limit?: number;
  sort?: ProductSort;
}

export interface ProductHit {
  id: number;
  name: string;
  brand: string;
  category: string;
  priceFen: number;
  price: string;
  stock: number;
  inStock: boolean;
  skinTypes: string[];
  colors: string[];
  effects: string[];
  spec?: string;
  /** Fused relevance (higher is better); 0 when the query had no text. */
  score: number;
}

export interface ProductDetail extends Omit<ProductHit, 'score'> {
  sku: string;
  description: string;
  onSale: boolean;
  /** Days one unit lasts (replenishment reminders); null when not a consumable. */
  usageCycleDays: number | null;
  /** A designated activation product of the 链动2+1 scheme (docs/domain.md §4 Referral). */
  isActivation: boolean;
  /** S2B2C trust (docs/domain.md §1 S2B2C shop): where it comes from and who ships it. */
  traceability: {
    origin: string;
    qcReportRef: string;
    batchNo: string;
    supplier: string;
    warehouse: string;
  };
  shippingPromiseHours: number;
  /** e.g. '48小时内发货' */
  shippingPromise: string;
}

export interface IndexResult {
  embedded: number;
  skipped: number;
}
