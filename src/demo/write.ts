// Writes a seed plan into the database. Rows carry business keys (openid, sku, order_no …); each
// INSERT resolves them to ids with a join, so the plan never needs to know a generated id.
import type { Queryable } from '../db/db.ts';
import { insertRows } from './bulk.ts';
import { iso } from './time.ts';
import type { SeedPlan } from './types.ts';

export async function writePlan(tx: Queryable, plan: SeedPlan): Promise<void> {
  const shopId = plan.shop.id;
  const s = plan.shop;
  await tx.query(
    `INSERT INTO shops (id, name, intro, timezone, advisor_name, advisor_photo_url, advisor_title, persona, advisor_persona,
                        tone, contact, settings, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '{}', $12)`,
    [shopId, s.name, s.intro, s.timezone, s.advisorName, s.advisorPhotoUrl, s.advisorTitle, s.persona, s.advisorPersona, s.tone, s.contact, iso(s.createdAt)],
  );
  // Suppliers are shared by every shop: created once, never overwritten by a seed.
  await insertRows(
    tx,
    shopId,
    plan.suppliers.map((x) => ({ id: x.id, name: x.name, warehouse: x.warehouse, hours: x.shippingPromiseHours, contact: x.afterSalesContact })),
    (from) => `WITH added AS (
                 INSERT INTO suppliers (id, name, warehouse, shipping_promise_hours, after_sales_contact)
                 SELECT u.id, u.name, u.warehouse, u.hours::int4, u.contact FROM ${from}
                 ON CONFLICT (id) DO NOTHING)
               INSERT INTO shop_suppliers (shop_id, supplier_id) SELECT $1, u.id FROM ${from}`,
  );

  await insertRows(
    tx,
    shopId,
    plan.products.map((p) => ({
      supplier_id: p.supplierId,
      sku: p.sku,
      name: p.name,
      brand: p.brand,
      category: p.category,
      description: p.description,
      attributes: JSON.stringify(p.attributes),
      price_fen: p.priceFen,
      stock: p.stock,
      usage_cycle_days: p.usageCycleDays,
      origin: p.origin,
      qc_report_ref: p.qcReportRef,
      batch_no: p.batchNo,
      is_activation: p.isActivation,
      status: p.status,
      launched_at: iso(p.launchedAt),
    })),
    (from) => `INSERT INTO products (shop_id, supplier_id, sku, name, brand, category, description, attributes, price_fen, stock,
                                     usage_cycle_days, origin, qc_report_ref, batch_no, is_activation, status, launched_at, created_at)
               SELECT $1, u.supplier_id, u.sku, u.name, u.brand, u.category, u.description, u.attributes::jsonb, u.price_fen::int8,
                      u.stock::int4, u.usage_cycle_days::int4, u.origin, u.qc_report_ref, u.batch_no, u.is_activation::bool, u.status,
                      u.launched_at::timestamptz, u.launched_at::timestamptz
                 FROM ${from}`,
  );

  await insertRows(
    tx,
    shopId,
    plan.shoppers.map((x) => ({
      openid: x.openid,
      nickname: x.nickname,
      phone: x.phone,
      birthday: x.birthday,
      gender: x.gender,
      skin_type: x.skinType,
      tier: x.tier,
      potential_score: x.potentialScore,
      referral_identity: x.identity,
      referral_bound_at: iso(x.referralBoundAt),
      consent: JSON.stringify({ marketing: x.marketingConsent, reminders: {} }),
      profile_summary: x.profileSummary,
      registered_at: iso(x.registeredAt),
    })),
    (from) => `INSERT INTO shoppers (shop_id, openid, nickname, phone, birthday, gender, skin_type, tier, potential_score,
                                     referral_identity, referral_bound_at, consent, profile_summary, registered_at)
               SELECT $1, u.openid, u.nickname, u.phone, u.birthday::date, u.gender, u.skin_type, u.tier, u.potential_score,
                      u.referral_identity, u.referral_bound_at::timestamptz, u.consent::jsonb, u.profile_summary, u.registered_at::timestamptz
                 FROM ${from}`,
  );
  // Referrers are set once every shopper has an id.
  await insertRows(
    tx,
    shopId,
    plan.shoppers.filter((x) => x.referrerOpenid !== null).map((x) => ({ openid: x.openid, referrer: x.referrerOpenid })),
    (from) => `UPDATE shoppers s SET referrer_id = r.id
                 FROM ${from}
                 JOIN shoppers r ON r.shop_id = $1 AND r.openid = u.referrer
                WHERE s.shop_id = $1 AND s.openid = u.openid`,
  );

  await insertRows(
    tx,
    shopId,
    plan.couponTemplates.map((t) => ({
      code: t.code,
      name: t.name,
      kind: t.kind,
      threshold_fen: t.thresholdFen,
      amount_fen: t.amountFen,
      percent_off: t.percentOff,
      trigger: t.trigger,
      audience_tiers: t.audienceTiers.join(','),
      per_shopper_limit: t.perShopperLimit,
      total_quantity: t.totalQuantity,
      points_cost: t.pointsCost,
      valid_days: t.validDays,
    })),
    (from) => `INSERT INTO coupon_templates (shop_id, code, name, kind, threshold_fen, amount_fen, percent_off, trigger, audience_tiers,
                                             per_shopper_limit, total_quantity, points_cost, valid_days)
               SELECT $1, u.code, u.name, u.kind, u.threshold_fen::int8, u.amount_fen::int8, u.percent_off::int4, u.trigger,
                      string_to_array(u.audience_tiers, ','), u.per_shopper_limit::int4, u.total_quantity::int4, u.points_cost::int4,
                      u.valid_days::int4
                 FROM ${from}`,
  );

  await writeOrders(tx, plan);
  await writeCouponsAndPoints(tx, plan);
  await writeEngagement(tx, plan);
  await writeCommunity(tx, plan);
}

async function writeOrders(tx: Queryable, plan: SeedPlan): Promise<void> {
  const shopId = plan.shop.id;
  await insertRows(
    tx,
    shopId,
    plan.orders.map((o) => ({
      order_no: o.orderNo,
      openid: o.shopperOpenid,
      status: o.status,
      items_fen: o.itemsFen,
      discount_fen: o.discountFen,
      shipping_fen: o.shippingFen,
      pay_fen: o.payFen,
      address: JSON.stringify({ name: o.address.name, phone: o.address.phone, region: o.address.region, detail: o.address.detail }),
      created_at: iso(o.createdAt),
      paid_at: iso(o.paidAt),
      shipped_at: iso(o.shippedAt),
      delivered_at: iso(o.deliveredAt),
      completed_at: iso(o.completedAt),
      cancelled_at: iso(o.cancelledAt),
      refunded_at: iso(o.refundedAt),
    })),
    (from) => `INSERT INTO orders (shop_id, order_no, shopper_id, status, items_fen, discount_fen, shipping_fen, pay_fen, address,
                                   created_at, paid_at, shipped_at, delivered_at, completed_at, cancelled_at, refunded_at)
               SELECT $1, u.order_no, s.id, u.status, u.items_fen::int8, u.discount_fen::int8, u.shipping_fen::int8, u.pay_fen::int8,
                      u.address::jsonb, u.created_at::timestamptz, u.paid_at::timestamptz, u.shipped_at::timestamptz,
                      u.delivered_at::timestamptz, u.completed_at::timestamptz, u.cancelled_at::timestamptz, u.refunded_at::timestamptz
                 FROM ${from}
                 JOIN shoppers s ON s.shop_id = $1 AND s.openid = u.openid`,
  );
  await insertRows(
    tx,
    shopId,
    plan.orders.flatMap((o) =>
      o.items.map((i) => ({ order_no: o.orderNo, sku: i.sku, product_name: i.productName, unit_price_fen: i.unitPriceFen, quantity: i.quantity })),
    ),
    (from) => `INSERT INTO order_items (shop_id, order_id, product_id, product_name, unit_price_fen, quantity)
               SELECT $1, o.id, p.id, u.product_name, u.unit_price_fen::int8, u.quantity::int4
                 FROM ${from}
                 JOIN orders o ON o.shop_id = $1 AND o.order_no = u.order_no
                 JOIN products p ON p.shop_id = $1 AND p.sku = u.sku`,
  );
  await insertRows(
    tx,
    shopId,
    plan.shipments.map((x) => ({
      order_no: x.orderNo,
      carrier: x.carrier,
      tracking_no: x.trackingNo,
      status: x.status,
      ship_by: iso(x.shipByAt),
      shipped_at: iso(x.shippedAt),
      delivered_at: iso(x.deliveredAt),
      eta: iso(x.etaAt),
    })),
    (from) => `INSERT INTO shipments (shop_id, order_id, carrier, tracking_no, status, ship_by, shipped_at, delivered_at, eta)
               SELECT $1, o.id, u.carrier, u.tracking_no, u.status, u.ship_by::timestamptz, u.shipped_at::timestamptz,
                      u.delivered_at::timestamptz, u.eta::timestamptz
                 FROM ${from}
                 JOIN orders o ON o.shop_id = $1 AND o.order_no = u.order_no`,
  );
  await insertRows(
    tx,
    shopId,
    plan.shipments.flatMap((x) =>
      x.events.map((e) => ({ tracking_no: x.trackingNo, occurred_at: iso(e.occurredAt), status: e.status, location: e.location, description: e.description })),
    ),
    (from) => `INSERT INTO tracking_events (shop_id, shipment_id, occurred_at, status, location, description)
               SELECT $1, sh.id, u.occurred_at::timestamptz, u.status, u.location, u.description
                 FROM ${from}
                 JOIN shipments sh ON sh.shop_id = $1 AND sh.tracking_no = u.tracking_no`,
  );
  await insertRows(
    tx,
    shopId,
    plan.afterSales.map((a) => ({
      request_no: a.requestNo,
      order_no: a.orderNo,
      kind: a.kind,
      reason: a.reason,
      status: a.status,
      amount_fen: a.amountFen,
      created_at: iso(a.createdAt),
      updated_at: iso(a.updatedAt),
    })),
    (from) => `INSERT INTO after_sales (shop_id, request_no, order_id, shopper_id, kind, reason, status, amount_fen, created_at, updated_at)
               SELECT $1, u.request_no, o.id, o.shopper_id, u.kind, u.reason, u.status, u.amount_fen::int8, u.created_at::timestamptz,
                      u.updated_at::timestamptz
                 FROM ${from}
                 JOIN orders o ON o.shop_id = $1 AND o.order_no = u.order_no`,
  );
}

async function writeCouponsAndPoints(tx: Queryable, plan: SeedPlan): Promise<void> {
  const shopId = plan.shop.id;
  await insertRows(
    tx,
    shopId,
    plan.coupons.map((c) => ({
      code: c.templateCode,
      openid: c.shopperOpenid,
      status: c.status,
      issue_key: c.issueKey,
      issued_at: iso(c.issuedAt),
      valid_until: iso(c.validUntil),
      order_no: c.usedOrderNo,
      used_at: iso(c.usedAt),
    })),
    (from) => `INSERT INTO coupons (shop_id, template_id, shopper_id, status, issue_key, issued_at, valid_from, valid_until,
                                    used_order_id, used_at)
               SELECT $1, t.id, s.id, u.status, u.issue_key, u.issued_at::timestamptz, u.issued_at::timestamptz,
                      u.valid_until::timestamptz, o.id, u.used_at::timestamptz
                 FROM ${from}
                 JOIN coupon_templates t ON t.shop_id = $1 AND t.code = u.code
                 JOIN shoppers s ON s.shop_id = $1 AND s.openid = u.openid
                 LEFT JOIN orders o ON o.shop_id = $1 AND o.order_no = u.order_no`,
  );
  await tx.query(
    `UPDATE orders o SET coupon_id = c.id FROM coupons c
      WHERE o.shop_id = $1 AND c.shop_id = $1 AND c.used_order_id = o.id`,
    [shopId],
  );
  await tx.query(
    `UPDATE coupon_templates t SET issued_count = (SELECT count(*) FROM coupons c WHERE c.shop_id = t.shop_id AND c.template_id = t.id)
      WHERE t.shop_id = $1`,
    [shopId],
  );
  await insertRows(
    tx,
    shopId,
    plan.points.map((p) => ({ openid: p.shopperOpenid, delta: p.delta, reason: p.reason, ref_key: p.refKey, created_at: iso(p.createdAt) })),
    (from) => `INSERT INTO points_ledger (shop_id, shopper_id, delta, reason, ref_key, created_at)
               SELECT $1, s.id, u.delta::int4, u.reason, u.ref_key, u.created_at::timestamptz
                 FROM ${from}
                 JOIN shoppers s ON s.shop_id = $1 AND s.openid = u.openid`,
  );
}

async function writeEngagement(tx: Queryable, plan: SeedPlan): Promise<void> {
  const shopId = plan.shop.id;
  await insertRows(
    tx,
    shopId,
    plan.referralLinks.map((l) => ({ openid: l.shopperOpenid, code: l.code, sku: l.productSku, created_at: iso(l.createdAt) })),
    (from) => `INSERT INTO referral_links (shop_id, shopper_id, code, product_id, created_at)
               SELECT $1, s.id, u.code, p.id, u.created_at::timestamptz
                 FROM ${from}
                 JOIN shoppers s ON s.shop_id = $1 AND s.openid = u.openid
                 LEFT JOIN products p ON p.shop_id = $1 AND p.sku = u.sku`,
  );
  await insertRows(
    tx,
    shopId,
    plan.behaviourEvents.map((e) => ({
      openid: e.shopperOpenid,
      kind: e.kind,
      sku: e.productSku,
      payload: JSON.stringify(e.payload),
      occurred_at: iso(e.occurredAt),
    })),
    (from) => `INSERT INTO behaviour_events (shop_id, shopper_id, kind, product_id, payload, occurred_at)
               SELECT $1, s.id, u.kind, p.id, u.payload::jsonb, u.occurred_at::timestamptz
                 FROM ${from}
                 JOIN shoppers s ON s.shop_id = $1 AND s.openid = u.openid
                 LEFT JOIN products p ON p.shop_id = $1 AND p.sku = u.sku`,
  );
}

async function writeCommunity(tx: Queryable, plan: SeedPlan): Promise<void> {
  const shopId = plan.shop.id;
  const c = plan.community.campaign;
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO vote_campaigns (shop_id, title, votes_per_shopper, top_n, opens_at, closes_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $5) RETURNING id`,
    [shopId, c.title, c.votesPerShopper, c.topN, iso(c.opensAt), iso(c.closesAt)],
  );
  const campaignId = rows[0]!.id;
  await tx.query(
    `INSERT INTO vote_candidates (shop_id, campaign_id, product_id)
     SELECT $1, $2, p.id FROM products p WHERE p.shop_id = $1 AND p.sku = ANY($3::text[])`,
    [shopId, campaignId, c.candidateSkus],
  );
  await insertRows(
    tx,
    shopId,
    plan.community.votes.map((v) => ({ openid: v.shopperOpenid, sku: v.productSku, voted_at: iso(v.votedAt), campaign: String(campaignId) })),
    (from) => `INSERT INTO votes (shop_id, campaign_id, product_id, shopper_id, voted_at)
               SELECT $1, u.campaign::int8, p.id, s.id, u.voted_at::timestamptz
                 FROM ${from}
                 JOIN shoppers s ON s.shop_id = $1 AND s.openid = u.openid
                 JOIN products p ON p.shop_id = $1 AND p.sku = u.sku`,
  );
  await insertRows(
    tx,
    shopId,
    plan.community.feedback.map((f) => ({
      openid: f.shopperOpenid,
      text: f.text,
      created_at: iso(f.createdAt),
      status: f.adopted ? 'adopted' : 'submitted',
      reward: f.adopted ? String(f.adopted.rewardFen) : null,
      credit: f.adopted?.credit ?? null,
      adopted_at: f.adopted ? iso(f.adopted.adoptedAt) : null,
    })),
    (from) => `INSERT INTO feedback (shop_id, shopper_id, text, status, reward_fen, credit, adopted_by, adopted_at, created_at)
               SELECT $1, s.id, u.text, u.status, u.reward::int8, u.credit, CASE WHEN u.status = 'adopted' THEN 'staff:demo' END,
                      u.adopted_at::timestamptz, u.created_at::timestamptz
                 FROM ${from}
                 JOIN shoppers s ON s.shop_id = $1 AND s.openid = u.openid`,
  );
}
