// Product results (searchProducts, getProduct) as the replies use them.
import { list, numberOr, obj, text, texts } from './facts.ts';

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
