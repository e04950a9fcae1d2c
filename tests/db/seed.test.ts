import { beforeAll, expect, it } from 'vitest';
import { DEMO_SHOP_ID, findShopperIdByOpenid, seedDemoShop, type SeedSummary } from '../../src/demo/index.ts';
import { ledgerEntries, rewardTotals } from '../../src/domain/referral/index.ts';
import { describeDb } from '../helpers/db.ts';

// 10:00 in Shanghai; every seeded date is relative to it.
const NOW = new Date('2026-09-17T02:00:00Z');
const DAY = 86_400_000;
const TIERS = ['new', 'converted', 'potential', 'core', 'laotie'];
const STATUSES = ['created', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded'];

// One line per row from key columns (never generated ids): equal fingerprints mean equal content.
const CONTENT: Record<string, string> = {
  shops: `SELECT concat_ws('|', name, intro, advisor_name, advisor_title, persona, advisor_persona, tone, contact, settings::text, created_at)
            FROM shops WHERE id = $1`,
  products: `SELECT concat_ws('|', sku, supplier_id, name, brand, category, description, attributes::text, price_fen, stock,
                    usage_cycle_days, origin, qc_report_ref, batch_no, is_activation, status, launched_at)
               FROM products WHERE shop_id = $1`,
  shoppers: `SELECT concat_ws('|', s.openid, s.nickname, s.phone, s.birthday, s.gender, s.skin_type, s.tier, s.potential_score,
                    s.referral_identity, r.openid, s.referral_bound_at, s.consent::text, s.profile_summary, s.registered_at)
               FROM shoppers s LEFT JOIN shoppers r ON r.id = s.referrer_id WHERE s.shop_id = $1`,
  orders: `SELECT concat_ws('|', o.order_no, s.openid, o.status, o.items_fen, o.discount_fen, o.shipping_fen, o.pay_fen, c.issue_key,
                  o.address::text, o.created_at, o.paid_at, o.shipped_at, o.delivered_at, o.completed_at, o.cancelled_at, o.refunded_at)
             FROM orders o JOIN shoppers s ON s.id = o.shopper_id LEFT JOIN coupons c ON c.id = o.coupon_id WHERE o.shop_id = $1`,
  orderItems: `SELECT concat_ws('|', o.order_no, p.sku, i.product_name, i.unit_price_fen, i.quantity)
                 FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id WHERE i.shop_id = $1`,
  shipments: `SELECT concat_ws('|', o.order_no, sh.carrier, sh.tracking_no, sh.status, sh.ship_by, sh.shipped_at, sh.delivered_at, sh.eta)
                FROM shipments sh JOIN orders o ON o.id = sh.order_id WHERE sh.shop_id = $1`,
  trackingEvents: `SELECT concat_ws('|', sh.tracking_no, e.occurred_at, e.status, e.location, e.description)
                     FROM tracking_events e JOIN shipments sh ON sh.id = e.shipment_id WHERE e.shop_id = $1`,
  afterSales: `SELECT concat_ws('|', a.request_no, o.order_no, a.kind, a.reason, a.status, a.amount_fen, a.created_at, a.updated_at)
                 FROM after_sales a JOIN orders o ON o.id = a.order_id WHERE a.shop_id = $1`,
  couponTemplates: `SELECT concat_ws('|', code, name, kind, threshold_fen, amount_fen, percent_off, trigger, audience_tiers::text,
                           per_shopper_limit, total_quantity, issued_count, points_cost, valid_days)
                      FROM coupon_templates WHERE shop_id = $1`,
  coupons: `SELECT concat_ws('|', c.issue_key, t.code, s.openid, c.status, c.issued_at, c.valid_from, c.valid_until, o.order_no, c.used_at)
              FROM coupons c JOIN coupon_templates t ON t.id = c.template_id JOIN shoppers s ON s.id = c.shopper_id
              LEFT JOIN orders o ON o.id = c.used_order_id WHERE c.shop_id = $1`,
  points: `SELECT concat_ws('|', l.ref_key, s.openid, l.delta, l.reason, l.created_at)
             FROM points_ledger l JOIN shoppers s ON s.id = l.shopper_id WHERE l.shop_id = $1`,
  referralLinks: `SELECT concat_ws('|', l.code, s.openid, p.sku, l.created_at)
                    FROM referral_links l JOIN shoppers s ON s.id = l.shopper_id LEFT JOIN products p ON p.id = l.product_id
                   WHERE l.shop_id = $1`,
  rewards: `SELECT concat_ws('|', o.order_no, b.openid, l.kind, l.level, l.amount_fen, l.state, l.created_at, l.settle_after, l.settled_at, l.reversed_at)
              FROM reward_ledger l JOIN orders o ON o.id = l.order_id JOIN shoppers b ON b.id = l.beneficiary_id WHERE l.shop_id = $1`,
  behaviourEvents: `SELECT concat_ws('|', s.openid, b.kind, p.sku, b.payload::text, b.occurred_at)
                      FROM behaviour_events b JOIN shoppers s ON s.id = b.shopper_id LEFT JOIN products p ON p.id = b.product_id
                     WHERE b.shop_id = $1`,
};

describeDb('demo shop seed', (db) => {
  let summary: SeedSummary;

  async function rows<T>(sql: string, params: unknown[] = [DEMO_SHOP_ID]): Promise<T[]> {
    return (await db().query<T>(sql, params)).rows;
  }
  async function count(sql: string, params: unknown[] = [DEMO_SHOP_ID]): Promise<number> {
    return (await rows<{ n: number }>(sql, params))[0]!.n;
  }
  async function fingerprint(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [table, sql] of Object.entries(CONTENT)) {
      const [r] = await rows<{ n: number; h: string }>(`SELECT count(*) AS n, md5(string_agg(x, E'\\n' ORDER BY x)) AS h FROM (${sql}) AS t(x)`);
      out[table] = `${r!.n}:${r!.h}`;
    }
    return out;
  }

  beforeAll(async () => {
    summary = await seedDemoShop(db(), { now: NOW });
  });

  it('stocks ≥ 300 products in ≥ 12 categories, with Chinese names and well-formed attributes', async () => {
    const [c] = await rows<{ n: number; categories: number; bad: number }>(
      `SELECT count(*) AS n, count(DISTINCT category) AS categories,
              count(*) FILTER (WHERE NOT (attributes ? 'skin_types' AND attributes ? 'effects' AND attributes ? 'spec')
                                 OR name !~ '[一-龥]' OR price_fen <= 0 OR sku !~ '^DEMO-[A-Z]{3}-[0-9]{4}$'
                                 OR search_terms <> '{}' OR qc_report_ref !~ '^QC-[0-9]{4}-[0-9]{4}$') AS bad
         FROM products WHERE shop_id = $1`,
    );
    expect(c!.n).toBeGreaterThanOrEqual(300);
    expect(c!.categories).toBeGreaterThanOrEqual(12);
    expect(c!.bad).toBe(0);
    const colourless = await count(
      `SELECT count(*) AS n FROM products WHERE shop_id = $1 AND category IN ('粉底液', '口红', '眼影') AND NOT attributes ? 'colors'`,
    );
    expect(colourless).toBe(0);
  });

  it('has several dry-skin foundations on sale both within and above 200 yuan', async () => {
    const [f] = await rows<{ within: number; above: number }>(
      `SELECT count(*) FILTER (WHERE price_fen <= 20000) AS within, count(*) FILTER (WHERE price_fen > 20000) AS above
         FROM products
        WHERE shop_id = $1 AND category = '粉底液' AND status = 'on_sale' AND stock > 0
          AND attributes @> '{"skin_types": ["干皮"]}'`,
    );
    expect(f!.within).toBeGreaterThanOrEqual(3);
    expect(f!.above).toBeGreaterThanOrEqual(2);
    const prices = await rows<{ lo: number; hi: number }>(
      `SELECT min(price_fen) AS lo, max(price_fen) AS hi FROM products WHERE shop_id = $1 AND category = '粉底液'`,
    );
    expect(prices[0]!.lo).toBeGreaterThanOrEqual(9_900);
    expect(prices[0]!.hi).toBeLessThanOrEqual(39_900);
  });

  it('has a few cheap activation products, household consumables with a usage cycle, new launches, sold-out and delisted items', async () => {
    const [p] = await rows<{ activation: number; dear_activation: number; household: number; cycleless: number; fresh: number; sold_out: number; delisted: number }>(
      `SELECT count(*) FILTER (WHERE is_activation) AS activation,
              count(*) FILTER (WHERE is_activation AND price_fen > 1990) AS dear_activation,
              count(*) FILTER (WHERE category = '家居日用') AS household,
              count(*) FILTER (WHERE category = '家居日用' AND usage_cycle_days IS NULL) AS cycleless,
              count(*) FILTER (WHERE launched_at > $2::timestamptz - interval '14 days') AS fresh,
              count(*) FILTER (WHERE stock = 0) AS sold_out,
              count(*) FILTER (WHERE status = 'off_shelf') AS delisted
         FROM products WHERE shop_id = $1`,
      [DEMO_SHOP_ID, NOW],
    );
    expect(p!.activation).toBeGreaterThanOrEqual(1);
    expect(p!.activation).toBeLessThanOrEqual(5);
    expect(p!.dear_activation).toBe(0);
    expect(p!.household).toBeGreaterThanOrEqual(10);
    expect(p!.cycleless).toBe(0);
    expect(p!.fresh).toBeGreaterThanOrEqual(5);
    expect(p!.sold_out).toBeGreaterThan(0);
    expect(p!.delisted).toBeGreaterThan(0);
  });

  it('registers ≥ 200 shoppers across every tier and referral identity, with valid phones and upcoming birthdays', async () => {
    const tiers = await rows<{ tier: string; n: number }>('SELECT tier, count(*) AS n FROM shoppers WHERE shop_id = $1 GROUP BY tier');
    const identities = await rows<{ referral_identity: string }>('SELECT DISTINCT referral_identity FROM shoppers WHERE shop_id = $1');
    const total = tiers.reduce((sum, t) => sum + t.n, 0);
    expect(total).toBeGreaterThanOrEqual(200);
    expect(tiers.map((t) => t.tier).sort()).toEqual([...TIERS].sort());
    const share = (tier: string) => tiers.find((t) => t.tier === tier)!.n / total;
    expect(share('laotie')).toBeGreaterThan(0.05);
    expect(share('laotie')).toBeLessThan(0.09);
    expect(share('potential') + share('core')).toBeGreaterThan(0.2);
    expect(share('potential') + share('core')).toBeLessThan(0.3);
    expect(identities.map((i) => i.referral_identity).sort()).toEqual(['agent', 'boss', 'member']);
    expect(await count(`SELECT count(*) AS n FROM shoppers WHERE shop_id = $1 AND phone !~ '^1[3-9][0-9]{9}$'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM shoppers WHERE shop_id = $1 AND tier = 'converted' AND potential_score IS NULL`)).toBe(0);
    const soon = await count(
      `SELECT count(*) AS n FROM shoppers
        WHERE shop_id = $1
          AND ((make_date(extract(year FROM $2::date)::int, extract(month FROM birthday)::int, extract(day FROM birthday)::int) - $2::date)
               + 365) % 365 BETWEEN 0 AND 14`,
      [DEMO_SHOP_ID, '2026-09-17'],
    );
    expect(soon).toBeGreaterThanOrEqual(3);
  });

  it('grows an acyclic referral forest in which every referrer registered first', async () => {
    const links = await rows<{ id: number; referrer_id: number | null }>('SELECT id, referrer_id FROM shoppers WHERE shop_id = $1');
    const referrerOf = new Map(links.map((l) => [l.id, l.referrer_id]));
    for (const { id } of links) {
      const seen = new Set<number>();
      for (let at: number | null | undefined = id; at != null; at = referrerOf.get(at)) {
        expect(seen.has(at)).toBe(false);
        seen.add(at);
      }
    }
    expect(links.filter((l) => l.referrer_id !== null).length).toBeGreaterThan(links.length / 4);
    const late = await count(
      `SELECT count(*) AS n FROM shoppers s JOIN shoppers r ON r.id = s.referrer_id
        WHERE s.shop_id = $1 AND (r.shop_id <> s.shop_id OR r.registered_at >= s.registered_at OR s.referral_bound_at IS NULL)`,
    );
    expect(late).toBe(0);
  });

  it('gives every boss enough directly referred agents, and every agent and boss an activation purchase', async () => {
    const bosses = await rows<{ openid: string; tier: string; agents: number }>(
      `SELECT b.openid, b.tier, count(a.id) AS agents
         FROM shoppers b LEFT JOIN shoppers a ON a.referrer_id = b.id AND a.referral_identity = 'agent'
        WHERE b.shop_id = $1 AND b.referral_identity = 'boss'
        GROUP BY b.openid, b.tier`,
    );
    expect(bosses.length).toBeGreaterThan(0);
    for (const b of bosses) expect(b.agents).toBeGreaterThanOrEqual(b.tier === 'core' || b.tier === 'laotie' ? 1 : 2);
    const unactivated = await count(
      `SELECT count(*) AS n FROM shoppers s
        WHERE s.shop_id = $1 AND s.referral_identity <> 'member'
          AND NOT EXISTS (SELECT 1 FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
                           WHERE o.shopper_id = s.id AND p.is_activation AND o.paid_at IS NOT NULL)`,
    );
    expect(unactivated).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM referral_links WHERE shop_id = $1`)).toBeGreaterThanOrEqual(bosses.length);
  });

  it('has ≥ 1000 orders in every status; new shoppers have none, every other shopper at least one', async () => {
    const statuses = await rows<{ status: string; n: number }>('SELECT status, count(*) AS n FROM orders WHERE shop_id = $1 GROUP BY status');
    expect(statuses.reduce((sum, s) => sum + s.n, 0)).toBeGreaterThanOrEqual(1000);
    expect(statuses.map((s) => s.status).sort()).toEqual([...STATUSES].sort());
    const wrong = await count(
      `SELECT count(*) AS n FROM shoppers s
        WHERE s.shop_id = $1
          AND (s.tier = 'new') = EXISTS (SELECT 1 FROM orders o WHERE o.shopper_id = s.id)`,
    );
    expect(wrong).toBe(0);
    const loyalFew = await count(
      `SELECT count(*) AS n FROM shoppers s
        WHERE s.shop_id = $1 AND s.tier IN ('core', 'laotie') AND (SELECT count(*) FROM orders o WHERE o.shopper_id = s.id) < 5`,
    );
    expect(loyalFew).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM orders WHERE shop_id = $1 AND order_no !~ '^LT[0-9]{14}$'`)).toBe(0);
  });

  it('keeps the money consistent: items = Σ lines, pay = items − discount + shipping', async () => {
    const broken = await count(
      `SELECT count(*) AS n FROM orders o
        WHERE o.shop_id = $1
          AND (o.pay_fen <> o.items_fen - o.discount_fen + o.shipping_fen
               OR o.items_fen <> (SELECT sum(i.unit_price_fen * i.quantity) FROM order_items i WHERE i.order_id = o.id)
               OR (SELECT count(*) FROM order_items i WHERE i.order_id = o.id) NOT BETWEEN 1 AND 6
               OR o.shipping_fen NOT IN (0, 1000)
               OR o.discount_fen > o.items_fen
               OR (o.discount_fen > 0) <> (o.coupon_id IS NOT NULL))`,
    );
    expect(broken).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM orders WHERE shop_id = $1 AND discount_fen > 0`)).toBeGreaterThan(50);
    expect(await count(`SELECT count(*) AS n FROM orders WHERE shop_id = $1 AND shipping_fen > 0`)).toBeGreaterThan(0);
  });

  it('keeps every order’s moments in order, in the past, and matching its status', async () => {
    // A later moment without the earlier one compares to NULL, which coalesce counts as broken.
    const broken = await rows<{ order_no: string; status: string }>(
      `SELECT o.order_no, o.status FROM orders o JOIN shoppers s ON s.id = o.shopper_id
        WHERE o.shop_id = $1 AND NOT coalesce(
          o.created_at >= s.registered_at
          AND o.created_at > $2::timestamptz - interval '181 days'
          AND (o.paid_at IS NULL OR o.paid_at >= o.created_at)
          AND (o.shipped_at IS NULL OR o.shipped_at >= o.paid_at)
          AND (o.delivered_at IS NULL OR o.delivered_at >= o.shipped_at + interval '1 day')
          AND (o.completed_at IS NULL OR o.completed_at >= o.delivered_at)
          AND (o.refunded_at IS NULL OR o.refunded_at >= o.paid_at)
          AND (o.cancelled_at IS NULL OR (o.cancelled_at > o.created_at AND o.paid_at IS NULL))
          AND greatest(o.created_at, o.paid_at, o.shipped_at, o.delivered_at, o.completed_at, o.cancelled_at, o.refunded_at) <= $2
          AND CASE o.status
                WHEN 'created' THEN o.paid_at IS NULL AND o.cancelled_at IS NULL
                WHEN 'paid' THEN o.paid_at IS NOT NULL AND o.shipped_at IS NULL AND o.refunded_at IS NULL
                WHEN 'shipped' THEN o.shipped_at IS NOT NULL AND o.delivered_at IS NULL
                WHEN 'delivered' THEN o.delivered_at IS NOT NULL AND o.completed_at IS NULL AND o.refunded_at IS NULL
                WHEN 'completed' THEN o.completed_at IS NOT NULL AND o.refunded_at IS NULL
                WHEN 'cancelled' THEN o.cancelled_at IS NOT NULL
                WHEN 'refunded' THEN o.refunded_at IS NOT NULL
              END, false)`,
      [DEMO_SHOP_ID, NOW],
    );
    expect(broken).toEqual([]);
    const lateShipments = await count(
      `SELECT count(*) AS n FROM orders WHERE shop_id = $1 AND shipped_at > paid_at + interval '48 hours'`,
    );
    expect(lateShipments).toBeGreaterThan(0);
  });

  it('ships every shipped, delivered and completed order, with a trail of 3–7 steps in time order', async () => {
    const unshipped = await count(
      `SELECT count(*) AS n FROM orders o
        WHERE o.shop_id = $1 AND (o.status IN ('shipped', 'delivered', 'completed') OR o.shipped_at IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM shipments sh WHERE sh.order_id = o.id)`,
    );
    expect(unshipped).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM shipments sh JOIN orders o ON o.id = sh.order_id WHERE sh.shop_id = $1 AND o.shipped_at IS NULL`)).toBe(0);
    const broken = await rows<{ tracking_no: string }>(
      `SELECT sh.tracking_no FROM shipments sh JOIN orders o ON o.id = sh.order_id
        WHERE sh.shop_id = $1 AND NOT (
          (SELECT count(*) FROM tracking_events e WHERE e.shipment_id = sh.id) BETWEEN 3 AND 7
          AND sh.shipped_at = o.shipped_at AND sh.ship_by = o.paid_at + interval '48 hours'
          AND (SELECT min(e.occurred_at) FROM tracking_events e WHERE e.shipment_id = sh.id) = sh.shipped_at
          AND (SELECT max(e.occurred_at) FROM tracking_events e WHERE e.shipment_id = sh.id) <= $2
          AND CASE WHEN o.delivered_at IS NULL
                THEN sh.status IN ('in_transit', 'out_for_delivery') AND sh.delivered_at IS NULL AND sh.eta > $2
                     AND NOT EXISTS (SELECT 1 FROM tracking_events e WHERE e.shipment_id = sh.id AND e.status = 'delivered')
                ELSE sh.status = 'delivered' AND sh.delivered_at = o.delivered_at
                     AND (SELECT e.occurred_at FROM tracking_events e WHERE e.shipment_id = sh.id AND e.status = 'delivered') = o.delivered_at
              END)`,
      [DEMO_SHOP_ID, NOW],
    );
    expect(broken).toEqual([]);
    const outOfOrder = await count(
      `SELECT count(*) AS n FROM (
         SELECT occurred_at < lag(occurred_at) OVER (PARTITION BY shipment_id ORDER BY id) AS back
           FROM tracking_events WHERE shop_id = $1) t
        WHERE back`,
    );
    expect(outOfOrder).toBe(0);
  });

  it('sets up each sample shopper’s situation', async () => {
    const orders = async (openid: string) =>
      rows<{ status: string; delivered_at: Date | null; shipment_status: string | null }>(
        `SELECT o.status, o.delivered_at, sh.status AS shipment_status
           FROM orders o JOIN shoppers s ON s.id = o.shopper_id LEFT JOIN shipments sh ON sh.order_id = o.id
          WHERE o.shop_id = $1 AND s.openid = $2 ORDER BY o.created_at DESC`,
        [DEMO_SHOP_ID, openid],
      );
    const laotie = await orders('demo-openid-0001');
    expect(laotie[0]).toMatchObject({ status: 'shipped', shipment_status: 'in_transit' });
    expect(new Set(laotie.map((o) => o.status)).size).toBeGreaterThanOrEqual(3);
    for (const openid of ['demo-openid-0006', 'demo-openid-0007']) expect((await orders(openid))[0]!.status).toBe('shipped');
    const [laundry] = await rows<{ days: number; cycle: number }>(
      `SELECT extract(epoch FROM $2::timestamptz - max(o.created_at)) / 86400 AS days, max(p.usage_cycle_days) AS cycle
         FROM orders o JOIN shoppers s ON s.id = o.shopper_id JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
        WHERE o.shop_id = $1 AND s.openid = 'demo-openid-0001' AND p.name LIKE '%洗衣液%' AND o.paid_at IS NOT NULL`,
      [DEMO_SHOP_ID, NOW],
    );
    // Bought once, a little less than one usage cycle ago: the replenishment reminder is due soon.
    expect(laundry!.cycle - laundry!.days).toBeGreaterThan(0);
    expect(laundry!.cycle - laundry!.days).toBeLessThanOrEqual(14);

    const recent = (await orders('demo-openid-0002'))[0]!;
    expect(recent.status).toBe('delivered');
    expect(NOW.getTime() - new Date(recent.delivered_at!).getTime()).toBeLessThan(3 * DAY);
    const old = (await orders('demo-openid-0003'))[0]!;
    expect(old.status).toBe('delivered');
    expect(NOW.getTime() - new Date(old.delivered_at!).getTime()).toBeGreaterThan(7 * DAY);
    expect((await orders('demo-openid-0004')).map((o) => o.status)).toEqual(['paid']);
    expect(await orders('demo-openid-0005')).toEqual([]);

    const inTransit = await count(
      `SELECT count(DISTINCT o.shopper_id) AS n FROM orders o JOIN shipments sh ON sh.order_id = o.id
        WHERE o.shop_id = $1 AND sh.status = 'in_transit'
          AND o.created_at = (SELECT max(x.created_at) FROM orders x WHERE x.shopper_id = o.shopper_id)`,
    );
    expect(inTransit).toBeGreaterThanOrEqual(5);

    const held = await rows<{ openid: string; code: string }>(
      `SELECT s.openid, t.code FROM coupons c JOIN shoppers s ON s.id = c.shopper_id JOIN coupon_templates t ON t.id = c.template_id
        WHERE c.shop_id = $1 AND c.status = 'unused' AND s.openid IN ('demo-openid-0004', 'demo-openid-0005') ORDER BY s.openid`,
    );
    expect(held).toEqual([
      { openid: 'demo-openid-0004', code: 'second-purchase' },
      { openid: 'demo-openid-0005', code: 'welcome' },
    ]);

    expect(summary.sampleShoppers.map((s) => s.tier).sort()).toEqual(expect.arrayContaining(TIERS));
    expect(summary.sampleShoppers.map((s) => s.referralIdentity)).toEqual(expect.arrayContaining(['member', 'agent', 'boss']));
    for (const s of summary.sampleShoppers) {
      expect(await findShopperIdByOpenid(db(), DEMO_SHOP_ID, s.openid)).toBe(s.id);
      expect(s.note).not.toBe('');
    }
    expect(await findShopperIdByOpenid(db(), DEMO_SHOP_ID, 'no-such-openid')).toBeNull();
  });

  it('issues coupons that match their templates and the orders they were used on', async () => {
    const triggers = await rows<{ trigger: string }>('SELECT DISTINCT trigger FROM coupon_templates WHERE shop_id = $1');
    expect(triggers.map((t) => t.trigger).sort()).toEqual(
      ['birthday', 'claimable', 'discount_day', 'points_redeem', 'replenishment', 'second_purchase'].sort(),
    );
    const miscounted = await count(
      `SELECT count(*) AS n FROM coupon_templates t
        WHERE t.shop_id = $1 AND t.issued_count <> (SELECT count(*) FROM coupons c WHERE c.template_id = t.id)`,
    );
    expect(miscounted).toBe(0);
    const broken = await count(
      `SELECT count(*) AS n FROM coupons c JOIN coupon_templates t ON t.id = c.template_id LEFT JOIN orders o ON o.id = c.used_order_id
        WHERE c.shop_id = $1 AND NOT (
          c.valid_until = c.issued_at + make_interval(days => t.valid_days)
          AND c.issued_at <= $2
          AND CASE c.status
                WHEN 'used' THEN o.coupon_id = c.id AND o.shopper_id = c.shopper_id AND c.used_at = o.paid_at
                                 AND c.issued_at <= o.created_at AND c.used_at <= c.valid_until
                                 AND o.items_fen >= t.threshold_fen
                                 AND o.discount_fen = CASE t.kind WHEN 'discount' THEN o.items_fen * t.percent_off / 100 ELSE t.amount_fen END
                WHEN 'unused' THEN c.used_order_id IS NULL AND c.valid_until > $2
                WHEN 'expired' THEN c.used_order_id IS NULL AND c.valid_until <= $2
              END)`,
      [DEMO_SHOP_ID, NOW],
    );
    expect(broken).toBe(0);
    const statuses = await rows<{ status: string }>('SELECT DISTINCT status FROM coupons WHERE shop_id = $1');
    expect(statuses.map((s) => s.status).sort()).toEqual(['expired', 'unused', 'used']);
  });

  it('keeps every points balance at or above zero at every moment', async () => {
    const negative = await count(
      `SELECT count(*) AS n FROM (
         SELECT sum(delta) OVER (PARTITION BY shopper_id ORDER BY created_at, delta DESC
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance
           FROM points_ledger WHERE shop_id = $1) t
        WHERE balance < 0`,
    );
    expect(negative).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM points_ledger WHERE shop_id = $1 AND delta < 0`)).toBeGreaterThan(0);
    const earned = await count(
      `SELECT count(*) AS n FROM orders o
        WHERE o.shop_id = $1 AND o.status = 'completed' AND o.pay_fen >= 100
          AND NOT EXISTS (SELECT 1 FROM points_ledger l WHERE l.shop_id = o.shop_id AND l.ref_key = 'seed:order:' || o.order_no
                            AND l.delta = o.pay_fen / 100)`,
    );
    expect(earned).toBe(0);
  });

  it('records after-sales requests for every refund, at most one open or completed per order', async () => {
    const unexplained = await count(
      `SELECT count(*) AS n FROM orders o
        WHERE o.shop_id = $1 AND o.status = 'refunded'
          AND NOT EXISTS (SELECT 1 FROM after_sales a WHERE a.order_id = o.id AND a.status = 'completed' AND a.amount_fen = o.pay_fen)`,
    );
    expect(unexplained).toBe(0);
    const kinds = await rows<{ kind: string }>('SELECT DISTINCT kind FROM after_sales WHERE shop_id = $1');
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    expect(await count(`SELECT count(*) AS n FROM after_sales WHERE shop_id = $1 AND created_at > updated_at`)).toBe(0);
  });

  it('credits the demo bosses and agents with 链动 rewards by the engine\'s rules: settled past the return window, pending within it', async () => {
    for (const openid of ['demo-openid-0001', 'demo-openid-0002', 'demo-openid-0006', 'demo-openid-0007']) {
      const totals = await rewardTotals(db(), DEMO_SHOP_ID, (await findShopperIdByOpenid(db(), DEMO_SHOP_ID, openid))!);
      expect(totals.pendingFen, openid).toBeGreaterThan(0);
      expect(totals.settledFen, openid).toBeGreaterThan(0);
    }
    const entries = await ledgerEntries(db(), DEMO_SHOP_ID);
    const windowEnded = (e: (typeof entries)[number]) => e.settleAfter !== null && e.settleAfter <= NOW;
    expect(entries.filter((e) => e.state === 'settled').every(windowEnded)).toBe(true);
    // Pending: not delivered yet, inside the window, or held by an open after-sales request.
    const held = await rows<{ order_id: number }>(`SELECT order_id FROM after_sales WHERE shop_id = $1 AND status IN ('requested', 'approved')`);
    const heldOrders = new Set(held.map((h) => h.order_id));
    expect(entries.filter((e) => e.state === 'pending' && windowEnded(e) && !heldOrders.has(e.orderId))).toEqual([]);
    // Every reward belongs to a still-paid order, or was clawed back with its refund.
    const misfiled = await count(
      `SELECT count(*) AS n FROM reward_ledger l JOIN orders o ON o.id = l.order_id
        WHERE l.shop_id = $1 AND (l.state = 'reversed') <> (o.status = 'refunded')`,
    );
    expect(misfiled).toBe(0);
    expect(new Set(entries.map((e) => e.state))).toEqual(new Set(['pending', 'settled', 'reversed']));
  });

  it('reports in the summary what the database holds', async () => {
    const [c] = await rows<{ products: number; shoppers: number; orders: number }>(
      `SELECT (SELECT count(*) FROM products WHERE shop_id = $1) AS products,
              (SELECT count(*) FROM shoppers WHERE shop_id = $1) AS shoppers,
              (SELECT count(*) FROM orders WHERE shop_id = $1) AS orders`,
    );
    expect(summary).toMatchObject({ shopId: DEMO_SHOP_ID, products: c!.products, shoppers: c!.shoppers, orders: c!.orders, couponTemplates: 7 });
    expect(Object.keys(summary.ordersByStatus).sort()).toEqual([...STATUSES].sort());
    expect(summary.categories).toBeGreaterThanOrEqual(12);
  });

  it('gives identical data for the same now, replaces instead of duplicating, and leaves other shops alone', async () => {
    await db().query(`INSERT INTO shops (id, name, advisor_name) VALUES ('seed-other', '别的店', '小A')`);
    await db().query(`INSERT INTO shoppers (shop_id, openid, nickname) VALUES ('seed-other', 'demo-openid-0001', '别人')`);
    const before = await fingerprint();
    const again = await seedDemoShop(db(), { now: NOW });
    expect(await fingerprint()).toEqual(before);
    expect({ ...again, sampleShoppers: [] }).toEqual({ ...summary, sampleShoppers: [] });
    expect(await count(`SELECT count(*) AS n FROM shoppers WHERE shop_id = 'seed-other'`, [])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM suppliers WHERE id LIKE 'sup-%'`, [])).toBe(4);
  });
});
