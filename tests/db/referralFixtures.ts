// Builders for the referral tests: a shop with a plain and an activation product, shoppers bound in a
// referral forest, orders of one item, and the order events as the lifecycle worker applies them
// (the order's status first, then the referral engine, in one transaction).
import type { ReferralIdentity, Tier } from '../../src/context.ts';
import type { Db, Queryable } from '../../src/db/db.ts';
import { onOrderDelivered, onOrderPaid, onOrderRefunded } from '../../src/domain/referral/index.ts';

let seq = 0;
const next = () => ++seq;

export interface ReferralShop {
  id: string;
  plainProductId: number;
  activationProductId: number;
}

export async function createReferralShop(db: Queryable, settings: Record<string, unknown> = {}): Promise<ReferralShop> {
  const id = `ref-${next()}-${Math.random().toString(36).slice(2, 8)}`;
  await db.query('INSERT INTO shops (id, name, advisor_name, settings) VALUES ($1, $2, $3, $4)', [id, `链动测试店 ${id}`, '小美', JSON.stringify(settings)]);
  await db.query("INSERT INTO suppliers (id, name) VALUES ('referral-supplier', '链动供应商') ON CONFLICT (id) DO NOTHING");
  const product = async (activation: boolean) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO products (shop_id, supplier_id, sku, name, category, price_fen, is_activation)
         VALUES ($1, 'referral-supplier', $2, $3, '精华', 9900, $4) RETURNING id`,
        [id, `SKU-${next()}`, activation ? '体验装 (激活产品)' : '修护精华', activation],
      )
    ).rows[0]!.id;
  return { id, plainProductId: await product(false), activationProductId: await product(true) };
}

export async function createReferralShopper(
  db: Queryable,
  shopId: string,
  o: { referrerId?: number | null; identity?: ReferralIdentity; tier?: Tier; nickname?: string } = {},
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO shoppers (shop_id, openid, nickname, tier, referral_identity, referrer_id, referral_bound_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::bigint IS NULL THEN NULL ELSE now() END) RETURNING id`,
    [shopId, `openid-${next()}`, o.nickname ?? `顾客${seq}`, o.tier ?? 'converted', o.identity ?? 'member', o.referrerId ?? null],
  );
  return rows[0]!.id;
}

/** An order of one item (the activation product or the plain one), unpaid unless paidAt is given. */
export async function createReferralOrder(
  db: Queryable,
  shop: ReferralShop,
  o: { buyerId: number; payFen: number; activation?: boolean; createdAt?: Date; paidAt?: Date; deliveredAt?: Date },
): Promise<number> {
  const createdAt = o.createdAt ?? o.paidAt ?? new Date('2026-03-01T02:00:00Z');
  const status = o.deliveredAt ? 'delivered' : o.paidAt ? 'paid' : 'created';
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO orders (shop_id, order_no, shopper_id, status, items_fen, pay_fen, created_at, paid_at, delivered_at)
     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) RETURNING id`,
    [shop.id, `RO${next()}`, o.buyerId, status, o.payFen, createdAt, o.paidAt ?? null, o.deliveredAt ?? null],
  );
  const orderId = rows[0]!.id;
  await db.query(
    `INSERT INTO order_items (shop_id, order_id, product_id, product_name, unit_price_fen, quantity) VALUES ($1, $2, $3, '商品', $4, 1)`,
    [shop.id, orderId, o.activation ? shop.activationProductId : shop.plainProductId, o.payFen],
  );
  return orderId;
}

/** The paid event: the order becomes paid (if it was not yet), then the engine prices it. */
export function payOrder(db: Db, shopId: string, orderId: number, at: Date) {
  return db.transaction(async (tx) => {
    await tx.query("UPDATE orders SET status = 'paid', paid_at = $3 WHERE shop_id = $1 AND id = $2 AND status = 'created'", [shopId, orderId, at]);
    return onOrderPaid(tx, shopId, orderId, at);
  });
}

export function deliverOrder(db: Db, shopId: string, orderId: number, at: Date) {
  return db.transaction(async (tx) => {
    const r = await tx.query(
      "UPDATE orders SET status = 'delivered', delivered_at = $3 WHERE shop_id = $1 AND id = $2 AND status IN ('paid', 'shipped')",
      [shopId, orderId, at],
    );
    // Like event ingestion, which rejects "delivered" before "paid": only a real delivery reaches the engine.
    if (r.rowCount === 0) return;
    return onOrderDelivered(tx, shopId, orderId, at);
  });
}

export function refundOrder(db: Db, shopId: string, orderId: number, at: Date) {
  return db.transaction(async (tx) => {
    await tx.query(
      "UPDATE orders SET status = 'refunded', refunded_at = $3 WHERE shop_id = $1 AND id = $2 AND status IN ('paid', 'shipped', 'delivered', 'completed')",
      [shopId, orderId, at],
    );
    return onOrderRefunded(tx, shopId, orderId, at);
  });
}

export async function identityOf(db: Queryable, shopId: string, shopperId: number): Promise<ReferralIdentity> {
  const { rows } = await db.query<{ identity: ReferralIdentity }>(
    'SELECT referral_identity AS identity FROM shoppers WHERE shop_id = $1 AND id = $2',
    [shopId, shopperId],
  );
  return rows[0]!.identity;
}

export const DAY_MS = 86_400_000;
export const daysAfter = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);

/** A shop's referral state with ids replaced by their index in the given lists, for comparing two shops. */
export interface NormalizedState {
  ledger: string[];
  identities: ReferralIdentity[];
  changes: string[];
  trials: string[];
}

export async function normalizedState(db: Queryable, shopId: string, shopperIds: readonly number[], orderIds: readonly number[]): Promise<NormalizedState> {
  const s = new Map(shopperIds.map((id, i) => [id, i]));
  const o = new Map(orderIds.map((id, i) => [id, i]));
  const ledger = await db.query<{ order_id: number; beneficiary_id: number; kind: string; level: number; amount_fen: number; state: string; entry_key: string; settle_after: Date | null }>(
    'SELECT order_id, beneficiary_id, kind, level, amount_fen, state, entry_key, settle_after FROM reward_ledger WHERE shop_id = $1',
    [shopId],
  );
  const identities = await db.query<{ id: number; identity: ReferralIdentity }>(
    'SELECT id, referral_identity AS identity FROM shoppers WHERE shop_id = $1 ORDER BY id',
    [shopId],
  );
  const changes = await db.query<{ shopper_id: number; from_identity: string; to_identity: string; reason: string; order_id: number | null }>(
    'SELECT shopper_id, from_identity, to_identity, reason, order_id FROM referral_identity_changes WHERE shop_id = $1',
    [shopId],
  );
  const trials = await db.query<{ shopper_id: number; rewarded_order_id: number | null }>(
    'SELECT shopper_id, rewarded_order_id FROM referral_trials WHERE shop_id = $1',
    [shopId],
  );
  const byId = new Map(identities.rows.map((r) => [r.id, r.identity]));
  return {
    ledger: ledger.rows
      .map((r) => {
        const reversal = r.entry_key.endsWith(':reversal') ? ':reversal' : '';
        return `${o.get(r.order_id)}:${s.get(r.beneficiary_id)}:${r.kind}${reversal} L${r.level} ${r.amount_fen} ${r.state} ${r.settle_after?.toISOString() ?? '-'}`;
      })
      .sort(),
    identities: shopperIds.map((id) => byId.get(id)!),
    changes: changes.rows.map((r) => `${s.get(r.shopper_id)} ${r.from_identity}>${r.to_identity} ${r.reason} @${r.order_id === null ? '-' : o.get(r.order_id)}`).sort(),
    trials: trials.rows.map((r) => `${s.get(r.shopper_id)}:${r.rewarded_order_id === null ? '-' : o.get(r.rewarded_order_id)}`).sort(),
  };
}

export interface ScenarioSpec {
  /** parent: index of the referrer among earlier shoppers, or null. */
  shoppers: ReadonlyArray<{ parent: number | null; identity: ReferralIdentity; tier: Tier }>;
  /** Unpaid orders (the events pay them), or already paid/delivered/refunded ones (seeded state). */
  orders: ReadonlyArray<{ buyer: number; payFen: number; activation: boolean; helped: boolean; paidAt?: Date; deliveredAt?: Date }>;
  trials: ReadonlyArray<{ holder: number; startedAt: Date; endsAt: Date }>;
  policy?: Record<string, unknown>;
}

export interface Scenario {
  shop: ReferralShop;
  shopperIds: number[];
  orderIds: number[];
}

/**
 * Builds a scenario in a fresh shop. Helps and trials are written directly (their own rules are
 * tested elsewhere); a helped order is helped by the buyer's referrer.
 */
export async function buildScenario(db: Queryable, spec: ScenarioSpec, settings: Record<string, unknown> = {}): Promise<Scenario> {
  const shop = await createReferralShop(db, settings);
  if (spec.policy) await db.query('INSERT INTO referral_policies (shop_id, version, policy) VALUES ($1, 1, $2)', [shop.id, JSON.stringify(spec.policy)]);
  const shopperIds: number[] = [];
  for (const s of spec.shoppers) {
    shopperIds.push(
      await createReferralShopper(db, shop.id, { referrerId: s.parent === null ? null : shopperIds[s.parent]!, identity: s.identity, tier: s.tier }),
    );
  }
  const orderIds: number[] = [];
  for (const o of spec.orders) {
    const id = await createReferralOrder(db, shop, {
      buyerId: shopperIds[o.buyer]!,
      payFen: o.payFen,
      activation: o.activation,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      paidAt: o.paidAt,
      deliveredAt: o.deliveredAt,
    });
    orderIds.push(id);
    const parent = spec.shoppers[o.buyer]!.parent;
    if (o.helped && parent !== null) {
      await db.query('INSERT INTO referral_help (shop_id, boss_id, agent_id, order_id, created_at) VALUES ($1, $2, $3, $4, now())', [
        shop.id,
        shopperIds[parent],
        shopperIds[o.buyer],
        id,
      ]);
    }
  }
  for (const t of spec.trials) {
    await db.query('INSERT INTO referral_trials (shop_id, shopper_id, started_at, ends_at, policy_version) VALUES ($1, $2, $3, $4, 0)', [
      shop.id,
      shopperIds[t.holder],
      t.startedAt,
      t.endsAt,
    ]);
  }
  return { shop, shopperIds, orderIds };
}
