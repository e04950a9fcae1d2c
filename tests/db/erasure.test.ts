// PIPL erasure that keeps the money trail (docs/domain.md §12 Privacy, src/domain/shoppers/erasure.ts): the
// person is gone from every table, their orders and the rewards others earned from them stay, de-identified.
import { expect, it } from 'vitest';
import { fixedClock } from '../../src/context.ts';
import type { Db, Queryable } from '../../src/db/db.ts';
import { applyRegistration } from '../../src/domain/events/shoppers.ts';
import { findShopper } from '../../src/domain/events/resolve.ts';
import { tierReport } from '../../src/domain/lifecycle/reports.ts';
import { ledgerBalances, ledgerEntries, rewardTotals, settleDue } from '../../src/domain/referral/index.ts';
import { ERASED_NICKNAME, eraseShopper, remainingRows } from '../../src/domain/shoppers/erasure.ts';
import { runReminders } from '../../src/domain/reminders/run.ts';
import { resolveShopperCaller } from '../../src/domain/shoppers/repo.ts';
import { silentLogger } from '../../src/log.ts';
import { describeDb } from '../helpers/db.ts';
import { createOrder, createShop, createShopper } from '../helpers/fixtures.ts';
import { ev, ingest } from './lifecycleFixtures.ts';
import { createReferralOrder, createReferralShop, createReferralShopper, daysAfter, deliverOrder, payOrder } from './referralFixtures.ts';
import { reminderWriters } from '../../src/agent/reminderWriter.ts';

const TEMPLATES = reminderWriters(undefined, silentLogger);

const ERASED_AT = new Date('2026-09-18T00:00:00Z');

/** Rows of every table of the schema whose text (all columns, JSON included) contains `needle`. */
async function rowsContaining(db: Queryable, needle: string): Promise<Record<string, number>> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const found: Record<string, number> = {};
  for (const { table_name: t } of tables) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t}" x WHERE x::text LIKE $1`, ['%' + needle + '%']);
    if (rows[0]!.n) found[t] = rows[0]!.n;
  }
  return found;
}

/** A shopper with a trace in every kind of personal data the service stores. */
async function tracedShopper(db: Db, shopId: string, c: { nickname: string; phone: string; openid: string; street: string }) {
  const { id } = await createShopper(db, { shopId, tier: 'core', nickname: c.nickname, phone: c.phone, openid: c.openid });
  await db.query(
    `UPDATE shoppers SET birthday = '1990-09-17', gender = 'f', skin_type = '干皮', registered_at = '2024-01-01',
            tags = $2::jsonb, profile_summary = $3 WHERE id = $1`,
    [id, JSON.stringify({ interests: [c.nickname] }), `${c.nickname} 喜欢保湿, 电话 ${c.phone}`],
  );
  const order = await createOrder(db, {
    shopId,
    shopperId: id,
    status: 'completed',
    createdAt: '2026-08-01T02:00:00Z',
    address: { name: c.nickname, phone: c.phone, region: '浙江省杭州市', detail: c.street },
    shipment: { events: [{ at: '2026-08-03T02:00:00Z', status: 'delivered', location: c.street, description: `已签收, 签收人 ${c.nickname}` }] },
  });
  await db.query(
    `INSERT INTO after_sales (shop_id, request_no, order_id, shopper_id, kind, reason, status, amount_fen)
     VALUES ($1, $2, $3, $4, 'refund', $5, 'rejected', 100)`,
    [shopId, `AS-${order.id}`, order.id, id, `${c.nickname}: 漏发了, 打 ${c.phone}`],
  );
  await db.query(`INSERT INTO behaviour_events (shop_id, shopper_id, kind, payload, occurred_at) VALUES ($1, $2, 'consult', $3, now())`, [
    shopId,
    id,
    JSON.stringify({ topic: c.street }),
  ]);
  await db.query(
    `INSERT INTO shopper_profile_embeddings (shopper_id, shop_id, embedder, dim, embedding, content_hash, updated_at)
     VALUES ($1, $2, 'x', 3, '[1,0,0]', 'h', now())`,
    [id, shopId],
  );
  const { rows: conv } = await db.query<{ id: string }>(`INSERT INTO conversations (shop_id, shopper_id, summary) VALUES ($1, $2, $3) RETURNING id`, [
    shopId,
    id,
    `${c.nickname} 问物流`,
  ]);
  const conversationId = conv[0]!.id;
  await db.query(
    `INSERT INTO messages (shop_id, conversation_id, role, content) VALUES ($1, $2, 'user', $3), ($1, $2, 'staff', $4)`,
    [shopId, conversationId, `我是${c.nickname}, 电话 ${c.phone}, 寄到 ${c.street}`, `${c.nickname} 您好`],
  );
  const { rows: ticket } = await db.query<{ id: number }>(
    `INSERT INTO handoff_tickets (shop_id, conversation_id, shopper_id, reason, reasons, source, priority, tier, sla_minutes, due_at,
                                 summary, summary_text, note, created_at)
     VALUES ($1, $2, $3, 'asked_for_human', '{asked_for_human}', 'rules', 5, 'core', 3, now(), $4, $5, $6, now()) RETURNING id`,
    [shopId, conversationId, id, JSON.stringify({ who: { nickname: c.nickname } }), `${c.nickname} 要人工`, `回拨 ${c.phone}`],
  );
  await db.query(`INSERT INTO ticket_actions (shop_id, ticket_id, action, actor, payload) VALUES ($1, $2, 'reply', 'staff:1', $3)`, [
    shopId,
    ticket[0]!.id,
    JSON.stringify({ text: `${c.nickname} 您好` }),
  ]);
  // One event names the shopper, one only the conversation (staff audience), one only the ticket.
  await db.query(
    `INSERT INTO live_events (shop_id, shopper_id, conversation_id, ticket_id, kind, audience, payload) VALUES
       ($1, $2, $3, NULL, 'message', 'all', $5), ($1, NULL, $3, NULL, 'message', 'staff', $5), ($1, NULL, NULL, $4, 'ticket', 'staff', $5)`,
    [shopId, id, conversationId, ticket[0]!.id, JSON.stringify({ text: c.nickname })],
  );
  await db.query(
    `INSERT INTO feedback (shop_id, shopper_id, text, status, reward_fen, credit, adopted_by, adopted_at, created_at)
     VALUES ($1, $2, $3, 'adopted', 2000, $4, 'staff:1', now(), now()), ($1, $2, $3, 'submitted', NULL, NULL, NULL, NULL, now())`,
    [shopId, id, `${c.nickname} 建议出小样`, `感谢 ${c.nickname}`],
  );
  await db.query(`INSERT INTO shopper_badges (shop_id, shopper_id, badge, reason, awarded_at) VALUES ($1, $2, 'creative', $3, now())`, [
    shopId,
    id,
    `${c.nickname} 的好点子`,
  ]);
  await db.query(`INSERT INTO referral_links (shop_id, shopper_id, code) VALUES ($1, $2, $3)`, [shopId, id, `link-${c.openid}`]);
  return { id, order };
}

describeDb('PIPL erasure', (db) => {
  const run = (shopId: string, date: string) =>
    runReminders({ db: db(), clock: fixedClock(`${date}T02:00:00Z`), log: silentLogger, writers: TEMPLATES }, { shopId, date });

  it('leaves no trace of the person in any column of any table, and keeps their order de-identified', async () => {
    const shop = (await createShop(db())).id;
    const gone = await tracedShopper(db(), shop, { nickname: '注销甲一号', phone: '19900001111', openid: 'o-canary-gone', street: '幸福路 99 号甲' });
    const stays = await tracedShopper(db(), shop, { nickname: '留下乙二号', phone: '19900002222', openid: 'o-canary-stays', street: '幸福路 100 号乙' });
    // Birthday greetings: the reminder's message carries the nickname, its outbox payload the openid.
    await run(shop, '2026-09-17');
    const canaries = ['注销甲一号', '19900001111', 'o-canary-gone', '幸福路 99 号甲'];
    for (const c of canaries) expect(await rowsContaining(db(), c)).not.toEqual({});
    expect(Object.keys(await rowsContaining(db(), '注销甲一号'))).toEqual(
      expect.arrayContaining(['shoppers', 'orders', 'messages', 'handoff_tickets', 'live_events', 'feedback', 'reminders', 'reminder_outbox']),
    );

    const receipt = await eraseShopper(db(), shop, gone.id, 'admin:1', ERASED_AT);

    for (const c of canaries) expect(await rowsContaining(db(), c)).toEqual({});
    expect(await remainingRows(db(), shop, gone.id)).toEqual({});
    // The other shopper's data is untouched: the search above can find what is there.
    expect(await rowsContaining(db(), '留下乙二号')).toMatchObject({ shoppers: 1, orders: 1, messages: 2, feedback: 2 });
    expect(receipt.removed).toMatchObject({
      behaviour_events: 1, conversations: 1, messages: 2, handoff_tickets: 1, ticket_actions: 1, live_events: 3, feedback: 1,
      reminders: 1, reminder_outbox: 1, shopper_badges: 1, shopper_profile_embeddings: 1, referral_links: 1, tracking_events: 1,
    });
    expect(receipt.deidentified).toEqual({ shoppers: 1, orders: 1, after_sales: 1, feedback: 1 });
    expect(receipt.kept).toMatchObject({ order_items: 1, shipments: 1, coupons: 1 });
    const { rows: saved } = await db().query('SELECT removed, deidentified, kept FROM shopper_erasures WHERE shop_id = $1 AND shopper_id = $2', [
      shop,
      gone.id,
    ]);
    expect(saved).toEqual([{ removed: receipt.removed, deidentified: receipt.deidentified, kept: receipt.kept }]);

    // The transaction record stays: amounts, status, items, the shipment's state, the refund request.
    const { rows: orders } = await db().query(
      `SELECT o.status, o.pay_fen, o.address, s.nickname, s.erased_at, sh.status AS shipment, a.status AS after_sale, a.amount_fen
         FROM orders o JOIN shoppers s ON s.id = o.shopper_id JOIN shipments sh ON sh.order_id = o.id
         JOIN after_sales a ON a.order_id = o.id WHERE o.id = $1`,
      [gone.order.id],
    );
    expect(orders).toEqual([
      { status: 'completed', pay_fen: gone.order.payFen, address: {}, nickname: ERASED_NICKNAME, erased_at: ERASED_AT, shipment: 'delivered', after_sale: 'rejected', amount_fen: 100 },
    ]);
    // The adopted suggestion's cash reward stays on the books, without its words.
    const { rows: fb } = await db().query('SELECT text, credit, reward_fen FROM feedback WHERE shopper_id = $1', [gone.id]);
    expect(fb).toEqual([{ text: '已删除', credit: null, reward_fen: 2000 }]);
    const { rows: coupons } = await db().query('SELECT status FROM coupons WHERE shopper_id = $1', [gone.id]);
    expect(coupons).toEqual([{ status: 'revoked' }]);
  });

  it('keeps the rewards a referrer earned from the erased buyer, pending and settled, and the ones the buyer earned', async () => {
    const shop = await createReferralShop(db(), { returnWindowDays: 7 });
    const T0 = new Date('2026-03-02T02:00:00Z');
    const boss = await createReferralShopper(db(), shop.id, { identity: 'boss' });
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: boss });
    const buyer = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: agent });
    const referred = await createReferralShopper(db(), shop.id, { referrerId: buyer });
    const settled = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 30_000 });
    await payOrder(db(), shop.id, settled, T0);
    await deliverOrder(db(), shop.id, settled, T0);
    expect(await settleDue(db(), shop.id, daysAfter(T0, 7))).toBeGreaterThan(0);
    const pending = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 20_000 });
    await payOrder(db(), shop.id, pending, daysAfter(T0, 8));
    // The buyer is a beneficiary too: of the shopper they referred.
    const downline = await createReferralOrder(db(), shop, { buyerId: referred, payFen: 10_000 });
    await payOrder(db(), shop.id, downline, daysAfter(T0, 8));

    const ledgerBefore = await ledgerEntries(db(), shop.id);
    const agentBefore = await rewardTotals(db(), shop.id, agent);
    expect(agentBefore.settledFen).toBeGreaterThan(0);
    expect(agentBefore.pendingFen).toBeGreaterThan(0);
    expect((await rewardTotals(db(), shop.id, buyer)).pendingFen).toBeGreaterThan(0);

    const receipt = await eraseShopper(db(), shop.id, buyer, 'admin:1', ERASED_AT);

    expect(await ledgerEntries(db(), shop.id)).toEqual(ledgerBefore);
    expect(await rewardTotals(db(), shop.id, agent)).toEqual(agentBefore);
    expect((await ledgerBalances(db(), shop.id)).balanced).toBe(true);
    expect(receipt.kept.reward_ledger).toBe(ledgerBefore.filter((e) => e.buyerId === buyer || e.beneficiaryId === buyer).length);
    // The shopper they referred keeps the account; the link to a person who is gone is cleared.
    expect(receipt.deidentified.referred_shoppers).toBe(1);
    const { rows } = await db().query<{ referrer_id: number | null }>('SELECT referrer_id FROM shoppers WHERE id = $1', [referred]);
    expect(rows[0]!.referrer_id).toBeNull();
    expect(await remainingRows(db(), shop.id, buyer)).toEqual({});
  });

  it('still claws back rewards when the mall refunds an erased buyer’s order by their old openid', async () => {
    const shop = await createReferralShop(db(), { returnWindowDays: 7 });
    const T0 = new Date('2026-03-02T02:00:00Z');
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent' });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
    const order = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 20_000 });
    await payOrder(db(), shop.id, order, T0);
    const { rows } = await db().query<{ order_no: string; openid: string }>(
      'SELECT o.order_no, s.openid FROM orders o JOIN shoppers s ON s.id = o.shopper_id WHERE o.id = $1',
      [order],
    );
    const { order_no: orderNo, openid } = rows[0]!;
    expect((await rewardTotals(db(), shop.id, agent)).pendingFen).toBeGreaterThan(0);
    await eraseShopper(db(), shop.id, buyer, 'admin:1', ERASED_AT);

    const r = await ingest(db(), shop.id, [ev.order('refunded', orderNo, '2026-09-18T01:00:00Z', { openid })], '2026-09-18T01:00:00Z');
    expect(r.rejected).toEqual([]);
    expect(await rewardTotals(db(), shop.id, agent)).toMatchObject({ pendingFen: 0, settledFen: 0 });
    // The refund recomputed nothing personal for the tombstone.
    expect(await remainingRows(db(), shop.id, buyer)).toEqual({});
  });

  it('resolves the erased shopper for no one, refuses a second erasure, and treats their openid as a newcomer', async () => {
    const shop = (await createShop(db())).id;
    const { id } = await createShopper(db(), { shopId: shop, openid: 'o-come-back', nickname: '回头客' });
    expect(await resolveShopperCaller(db(), { shopId: shop, shopperId: id })).not.toBeNull();
    await eraseShopper(db(), shop, id, 'admin:1', ERASED_AT);

    expect(await resolveShopperCaller(db(), { shopId: shop, shopperId: id })).toBeNull();
    expect(await findShopper(db(), shop, { shopperId: id })).toBeNull();
    expect(await findShopper(db(), shop, { openid: 'o-come-back' })).toBeNull();
    await expect(eraseShopper(db(), shop, id, 'admin:1', ERASED_AT)).rejects.toMatchObject({ code: 'not_found' });

    const again = await db().transaction((tx) =>
      applyRegistration(tx, shop, { openid: 'o-come-back', nickname: '回头客' }, new Date('2026-09-19T00:00:00Z')),
    );
    expect(again.created).toBe(true);
    expect(again.shopperId).not.toBe(id);
    expect(await remainingRows(db(), shop, id)).toEqual({});
  });

  it('never reminds the erased shopper again, though their orders stay', async () => {
    const shop = (await createShop(db())).id;
    const twins = [];
    for (const nickname of ['要注销', '还在']) {
      const { id } = await createShopper(db(), { shopId: shop, tier: 'converted', nickname });
      await db().query(`UPDATE shoppers SET registered_at = '2024-01-01' WHERE id = $1`, [id]);
      await createOrder(db(), { shopId: shop, shopperId: id, status: 'completed', createdAt: '2026-09-10T01:00:00Z' });
      twins.push(id);
    }
    const [gone, stays] = twins as [number, number];
    await eraseShopper(db(), shop, gone, 'admin:1', ERASED_AT);
    // A second-purchase nudge within days of the first order, then the mid-autumn festival (25 Sept 2026).
    for (let d = 18; d <= 25; d++) await run(shop, `2026-09-${d}`);
    const { rows } = await db().query<{ shopper_id: number; occasion: string }>('SELECT shopper_id, occasion FROM reminders WHERE shop_id = $1', [shop]);
    expect(rows.some((r) => r.shopper_id === stays)).toBe(true);
    expect(rows.filter((r) => r.shopper_id === gone)).toEqual([]);
  });

  it('counts the erased shopper’s orders in the reports but not them as a person', async () => {
    const shop = (await createShop(db())).id;
    const ids = [];
    for (const nickname of ['甲', '乙']) {
      const { id } = await createShopper(db(), { shopId: shop, tier: 'converted', nickname });
      await db().query(`UPDATE shoppers SET registered_at = '2026-08-01' WHERE id = $1`, [id]);
      await createOrder(db(), { shopId: shop, shopperId: id, status: 'completed', createdAt: '2026-08-10T01:00:00Z' });
      ids.push(id);
    }
    const period = { from: new Date('2026-08-01T00:00:00Z'), to: new Date('2026-09-01T00:00:00Z') };
    const before = await tierReport(db(), shop, period);
    await eraseShopper(db(), shop, ids[0]!, 'admin:1', ERASED_AT);
    const after = await tierReport(db(), shop, period);
    expect(before.outcomes.orders).toBe(2);
    expect(after.outcomes.orders).toBe(2);
    expect(after.outcomes.gmvFen).toBe(before.outcomes.gmvFen);
    expect([before.totalShoppers, after.totalShoppers]).toEqual([2, 1]);
    expect([before.outcomes.newShoppers.total, after.outcomes.newShoppers.total]).toEqual([2, 1]);
  });
});
