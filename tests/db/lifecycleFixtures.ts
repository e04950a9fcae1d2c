// Builders for the lifecycle suites (events, tiers, policies, community): events as the mall sends
// them, and a one-call ingest with the local embedder and a silent log.
import { ORDER_MAX_FEN_DEFAULT } from '../../src/config.ts';
import type { Db, Queryable } from '../../src/db/db.ts';
import { ingestEvents, type IngestResult } from '../../src/domain/events/ingest.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { silentLogger } from '../../src/log.ts';
import { createShop, createSupplier } from '../helpers/fixtures.ts';

export const embedder = createLocalEmbedder();

let seq = 0;
const next = () => ++seq;

export async function lifecycleShop(db: Queryable, settings: Record<string, unknown> = {}): Promise<string> {
  const { id } = await createShop(db, { id: `lc-${next()}-${Math.random().toString(36).slice(2, 7)}`, settings });
  return id;
}

export async function addProduct(
  db: Queryable,
  shopId: string,
  o: { sku: string; category?: string; priceFen?: number; launchedAt?: string; name?: string },
): Promise<number> {
  const supplier = await createSupplier(db, { shopIds: [shopId] });
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO products (shop_id, supplier_id, sku, name, category, price_fen, stock, launched_at)
     VALUES ($1, $2, $3, $4, $5, $6, 100, $7) RETURNING id`,
    [shopId, supplier.id, o.sku, o.name ?? `商品 ${o.sku}`, o.category ?? '面膜', o.priceFen ?? 8_800, o.launchedAt ?? '2025-01-01T00:00:00Z'],
  );
  return rows[0]!.id;
}

export function ingest(db: Db, shopId: string, events: readonly unknown[], now: string | Date, orderMaxFen = ORDER_MAX_FEN_DEFAULT): Promise<IngestResult> {
  return ingestEvents({ db, embedder, log: silentLogger, now: new Date(now), limits: { orderMaxFen } }, shopId, events);
}

let eventSeq = 0;
const eid = (prefix: string) => `${prefix}-${++eventSeq}`;

/** Events as the mall sends them; ids are unique unless given. */
export const ev = {
  registered: (openid: string, at: string, data: Record<string, unknown> = {}, id = eid('reg')) => ({
    id,
    type: 'shopper.registered',
    occurredAt: at,
    data: { openid, nickname: `顾客${openid}`, ...data },
  }),
  order: (
    type: 'created' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled' | 'refunded',
    orderNo: string,
    at: string,
    data: Record<string, unknown> = {},
    id = eid(`order-${type}`),
  ) => ({ id, type: `order.${type}`, occurredAt: at, data: { orderNo, ...data } }),
  /** order.paid that creates the order: one line of `sku` at `priceFen`. */
  purchase: (openid: string, orderNo: string, sku: string, priceFen: number, at: string, id = eid('purchase')) => ({
    id,
    type: 'order.paid',
    occurredAt: at,
    data: { orderNo, openid, items: [{ sku, quantity: 1, unitPriceFen: priceFen }] },
  }),
  behaviour: (
    kind: 'viewed' | 'favourited' | 'followed' | 'shared' | 'consulted',
    openid: string,
    at: string,
    data: Record<string, unknown> = {},
    id = eid(kind),
  ) => ({ id, type: `shopper.${kind}`, occurredAt: at, data: { openid, ...data } }),
};

export async function shopperIdOf(db: Queryable, shopId: string, openid: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM shoppers WHERE shop_id = $1 AND openid = $2', [shopId, openid]);
  if (!rows[0]) throw new Error(`no shopper ${openid}`);
  return rows[0].id;
}

export async function tierOf(db: Queryable, shopId: string, openid: string): Promise<string> {
  const { rows } = await db.query<{ tier: string }>('SELECT tier FROM shoppers WHERE shop_id = $1 AND openid = $2', [shopId, openid]);
  return rows[0]!.tier;
}
