// Builders for database tests: each inserts one row (or an order with its items, shipment and
// tracking) with sensible defaults, takes overrides for what a test cares about, and returns ids.
import type { Tier } from '../../src/context.ts';
import type { Queryable } from '../../src/db/db.ts';

// Unique suffixes within a test file (each file gets its own database, so no clash across files).
let seq = 0;
const next = () => ++seq;

const MINUTE = 60_000;
const DAY = 86_400_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

export async function createShop(
  db: Queryable,
  o: { id?: string; name?: string; timezone?: string; settings?: Record<string, unknown> } = {},
): Promise<{ id: string }> {
  const id = o.id ?? `shop-${next()}`;
  await db.query('INSERT INTO shops (id, name, timezone, advisor_name, settings) VALUES ($1, $2, $3, $4, $5)', [
    id,
    o.name ?? `测试美妆店 ${id}`,
    o.timezone ?? 'Asia/Shanghai',
    '小美',
    JSON.stringify(o.settings ?? {}),
  ]);
  return { id };
}

export async function createSupplier(
  db: Queryable,
  o: { id?: string; name?: string; shippingPromiseHours?: number; shopIds?: readonly string[] } = {},
): Promise<{ id: string }> {
  const id = o.id ?? `supplier-${next()}`;
  await db.query('INSERT INTO suppliers (id, name, warehouse, shipping_promise_hours) VALUES ($1, $2, $3, $4)', [
    id,
    o.name ?? `供应商 ${id}`,
    '杭州仓',
    o.shippingPromiseHours ?? 48,
  ]);
  for (const shopId of o.shopIds ?? []) {
    await db.query('INSERT INTO shop_suppliers (shop_id, supplier_id) VALUES ($1, $2)', [shopId, id]);
  }
  return { id };
}

export async function createProduct(
  db: Queryable,
  o: { shopId: string; supplierId?: string; name?: string; priceFen?: number; category?: string; sku?: string },
): Promise<{ id: number; name: string; priceFen: number }> {
  const supplierId = o.supplierId ?? (await createSupplier(db, { shopIds: [o.shopId] })).id;
  const name = o.name ?? `修护精华 ${next()}`;
  const priceFen = o.priceFen ?? 12_900;
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO products (shop_id, supplier_id, sku, name, category, price_fen, stock)
     VALUES ($1, $2, $3, $4, $5, $6, 100) RETURNING id`,
    [o.shopId, supplierId, o.sku ?? `SKU-${next()}`, name, o.category ?? '精华', priceFen],
  );
  return { id: rows[0]!.id, name, priceFen };
}

export async function createShopper(
  db: Queryable,
  o: { shopId: string; tier?: Tier; nickname?: string; phone?: string | null; openid?: string },
): Promise<{ id: number }> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO shoppers (shop_id, openid, nickname, phone, tier) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [o.shopId, o.openid ?? `openid-${next()}`, o.nickname ?? '小红', o.phone === undefined ? '13812345678' : o.phone, o.tier ?? 'converted'],
  );
  return { id: rows[0]!.id };
}

type OrderStatus = 'created' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled' | 'refunded';

export interface ItemSpec {
  productId?: number;
  name?: string;
  unitPriceFen?: number;
  quantity?: number;
}

export interface ShipmentSpec {
  carrier?: string;
  trackingNo?: string;
  status?: 'pending' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception';
  shipBy?: Date | null;
  shippedAt?: Date | null;
  deliveredAt?: Date | null;
  eta?: Date | null;
  events?: readonly { at: Date | string; status?: string; location?: string; description: string }[];
}

export interface OrderSpec {
  shopId: string;
  shopperId: number;
  orderNo?: string;
  status?: OrderStatus;
  items?: readonly ItemSpec[];
  discountFen?: number;
  shippingFen?: number;
  address?: Record<string, string>;
  createdAt?: Date | string;
  paidAt?: Date | string | null;
  shippedAt?: Date | string | null;
  deliveredAt?: Date | string | null;
  completedAt?: Date | string | null;
  cancelledAt?: Date | string | null;
  refundedAt?: Date | string | null;
  shipment?: ShipmentSpec;
}

// The steps an order of each status has been through, so default timestamps are consistent.
const REACHED: Record<OrderStatus, readonly string[]> = {
  created: [],
  paid: ['paid'],
  shipped: ['paid', 'shipped'],
  delivered: ['paid', 'shipped', 'delivered'],
  completed: ['paid', 'shipped', 'delivered', 'completed'],
  cancelled: ['cancelled'],
  refunded: ['paid', 'refunded'],
};
const STEP_OFFSET: Record<string, number> = { paid: 5 * MINUTE, shipped: DAY, delivered: 3 * DAY, completed: 10 * DAY, cancelled: 30 * MINUTE, refunded: DAY };

const toDate = (v: Date | string | null | undefined) => (v == null ? null : new Date(v));

/**
 * An order with its items (a product is created per item without productId), and optionally a
 * shipment with tracking events. Timestamps default from createdAt by the steps the status implies.
 */
export async function createOrder(db: Queryable, o: OrderSpec): Promise<{ id: number; orderNo: string; payFen: number; shipmentId: number | null }> {
  const status = o.status ?? 'delivered';
  const createdAt = new Date(o.createdAt ?? '2026-03-01T02:00:00Z');
  const step = (name: string, given: Date | string | null | undefined) =>
    given !== undefined ? toDate(given) : REACHED[status].includes(name) ? at(createdAt, STEP_OFFSET[name]!) : null;

  const items = [];
  for (const spec of o.items ?? [{}]) {
    const product = spec.productId
      ? { id: spec.productId, name: spec.name ?? '商品', priceFen: spec.unitPriceFen ?? 12_900 }
      : await createProduct(db, { shopId: o.shopId, name: spec.name, priceFen: spec.unitPriceFen });
    items.push({ productId: product.id, name: spec.name ?? product.name, unitPriceFen: spec.unitPriceFen ?? product.priceFen, quantity: spec.quantity ?? 1 });
  }
  const itemsFen = items.reduce((sum, i) => sum + i.unitPriceFen * i.quantity, 0);
  const discountFen = o.discountFen ?? 0;
  const shippingFen = o.shippingFen ?? 0;
  const payFen = itemsFen - discountFen + shippingFen;
  const orderNo = o.orderNo ?? `LT${String(next()).padStart(8, '0')}`;
  const address = o.address ?? { name: '王小红', phone: '13812345678', region: '浙江省杭州市西湖区', detail: '文三路 1 号' };

  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO orders (shop_id, order_no, shopper_id, status, items_fen, discount_fen, shipping_fen, pay_fen, address,
                         created_at, paid_at, shipped_at, delivered_at, completed_at, cancelled_at, refunded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
    [
      o.shopId, orderNo, o.shopperId, status, itemsFen, discountFen, shippingFen, payFen, JSON.stringify(address), createdAt,
      step('paid', o.paidAt), step('shipped', o.shippedAt), step('delivered', o.deliveredAt), step('completed', o.completedAt),
      step('cancelled', o.cancelledAt), step('refunded', o.refundedAt),
    ],
  );
  const orderId = rows[0]!.id;
  for (const i of items) {
    await db.query(
      'INSERT INTO order_items (shop_id, order_id, product_id, product_name, unit_price_fen, quantity) VALUES ($1, $2, $3, $4, $5, $6)',
      [o.shopId, orderId, i.productId, i.name, i.unitPriceFen, i.quantity],
    );
  }
  const shipmentId = o.shipment ? await createShipment(db, o.shopId, orderId, o.shipment, step('shipped', undefined), step('delivered', undefined)) : null;
  return { id: orderId, orderNo, payFen, shipmentId };
}

async function createShipment(db: Queryable, shopId: string, orderId: number, s: ShipmentSpec, shippedAt: Date | null, deliveredAt: Date | null): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO shipments (shop_id, order_id, carrier, tracking_no, status, ship_by, shipped_at, delivered_at, eta)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      shopId, orderId, s.carrier ?? '顺丰速运', s.trackingNo ?? `SF${String(next()).padStart(10, '0')}`,
      s.status ?? (deliveredAt ? 'delivered' : shippedAt ? 'in_transit' : 'pending'),
      s.shipBy ?? null, s.shippedAt !== undefined ? s.shippedAt : shippedAt, s.deliveredAt !== undefined ? s.deliveredAt : deliveredAt, s.eta ?? null,
    ],
  );
  const shipmentId = rows[0]!.id;
  for (const e of s.events ?? []) {
    await db.query(
      'INSERT INTO tracking_events (shop_id, shipment_id, occurred_at, status, location, description) VALUES ($1, $2, $3, $4, $5, $6)',
      [shopId, shipmentId, new Date(e.at), e.status ?? 'in_transit', e.location ?? '', e.description],
    );
  }
  return shipmentId;
}

export interface CouponTemplateSpec {
  shopId: string;
  code?: string;
  name?: string;
  kind?: 'threshold' | 'no_threshold' | 'discount';
  thresholdFen?: number;
  amountFen?: number;
  percentOff?: number;
  trigger?: 'claimable' | 'second_purchase' | 'birthday' | 'discount_day' | 'points_redeem' | 'replenishment' | 'referral';
  audienceTiers?: readonly Tier[];
  perShopperLimit?: number;
  totalQuantity?: number | null;
  pointsCost?: number | null;
  validDays?: number;
  startsAt?: Date | string | null;
  endsAt?: Date | string | null;
  active?: boolean;
}

/** Defaults to a claimable 满120减30 (or a plain 8折 / 无门槛减30) for every tier, one per shopper, unlimited in total. */
export async function createCouponTemplate(db: Queryable, o: CouponTemplateSpec): Promise<{ id: number; code: string }> {
  const code = o.code ?? `C${next()}`;
  const kind = o.kind ?? 'threshold';
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO coupon_templates (shop_id, code, name, kind, threshold_fen, amount_fen, percent_off, trigger, audience_tiers,
                                   per_shopper_limit, total_quantity, points_cost, valid_days, starts_at, ends_at, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
    [
      o.shopId, code, o.name ?? '新客满减券', kind, o.thresholdFen ?? (kind === 'threshold' ? 12_000 : 0),
      o.amountFen ?? (kind === 'discount' ? 0 : 3_000),
      o.percentOff ?? (kind === 'discount' ? 20 : 0), o.trigger ?? 'claimable', o.audienceTiers ?? ['new', 'converted', 'potential', 'core', 'laotie'],
      o.perShopperLimit ?? 1, o.totalQuantity ?? null, o.pointsCost ?? null, o.validDays ?? 30,
      toDate(o.startsAt), toDate(o.endsAt), o.active ?? true,
    ],
  );
  return { id: rows[0]!.id, code };
}

/** A coupon already in a shopper's hands (issued by a policy, used, or expired). */
export async function createCoupon(
  db: Queryable,
  o: { shopId: string; shopperId: number; templateId: number; status?: 'unused' | 'used' | 'expired' | 'revoked'; validFrom: Date | string; validUntil: Date | string },
): Promise<{ id: number }> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO coupons (shop_id, template_id, shopper_id, status, issue_key, issued_at, valid_from, valid_until)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`,
    [o.shopId, o.templateId, o.shopperId, o.status ?? 'unused', `test:${next()}`, new Date(o.validFrom), new Date(o.validUntil)],
  );
  return { id: rows[0]!.id };
}

export async function createPointsEntry(
  db: Queryable,
  o: { shopId: string; shopperId: number; delta: number; reason?: string; at: Date | string },
): Promise<void> {
  await db.query('INSERT INTO points_ledger (shop_id, shopper_id, delta, reason, ref_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    o.shopId, o.shopperId, o.delta, o.reason ?? (o.delta > 0 ? '浏览新品任务' : '兑换优惠券'), `test:${next()}`, new Date(o.at),
  ]);
}
