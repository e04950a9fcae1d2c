// One product with everything a shopper may ask about it: description, traceability and the
// supplier's shipping promise (S2B2C trust, docs/domain.md §1 S2B2C shop).
import type { Queryable } from '../../db/db.ts';
import { readAttributes } from './attributes.ts';
import { formatPrice } from './price.ts';
import type { ProductDetail } from './types.ts';

interface DetailRow {
  id: number;
  sku: string;
  name: string;
  brand: string;
  category: string;
  description: string;
  attributes: unknown;
  price_fen: number;
  stock: number;
  status: string;
  usage_cycle_days: number | null;
  is_activation: boolean;
  origin: string;
  qc_report_ref: string;
  batch_no: string;
  supplier_name: string;
  warehouse: string;
  shipping_promise_hours: number;
}

/**
 * The product of that shop, off-shelf ones included (a shopper may ask about an earlier purchase);
 * null when the shop has no such product, so another shop's product looks exactly like a missing one.
 */
export async function getProduct(db: Queryable, shopId: string, productId: number): Promise<ProductDetail | null> {
  if (!Number.isSafeInteger(productId) || productId <= 0) return null;
  const { rows } = await db.query<DetailRow>(
    `SELECT p.id, p.sku, p.name, p.brand, p.category, p.description, p.attributes, p.price_fen, p.stock,
            p.status, p.usage_cycle_days, p.is_activation, p.origin, p.qc_report_ref, p.batch_no,
            s.name AS supplier_name, s.warehouse, s.shipping_promise_hours
       FROM products p
       JOIN suppliers s ON s.id = p.supplier_id
      WHERE p.shop_id = $1 AND p.id = $2`,
    [shopId, productId],
  );
  const r = rows[0];
  if (!r) return null;
  const a = readAttributes(r.attributes);
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    brand: r.brand,
    category: r.category,
    description: r.description,
    priceFen: r.price_fen,
    price: formatPrice(r.price_fen),
    stock: r.stock,
    inStock: r.stock > 0,
    onSale: r.status === 'on_sale',
    skinTypes: a.skinTypes,
    colors: a.colors,
    effects: a.effects,
    ...(a.spec ? { spec: a.spec } : {}),
    usageCycleDays: r.usage_cycle_days,
    isActivation: r.is_activation,
    traceability: {
      origin: r.origin,
      qcReportRef: r.qc_report_ref,
      batchNo: r.batch_no,
      supplier: r.supplier_name,
      warehouse: r.warehouse,
    },
    shippingPromiseHours: r.shipping_promise_hours,
    shippingPromise: `${r.shipping_promise_hours}小时内发货`,
  };
}
