// Every occasion fires on its day and only then (docs/domain.md §8 Reminders), in the shop's time zone; caps,
// quiet hours, consent and opt-outs hold; re-runs and concurrent runners plan nothing twice.
import { expect, it } from 'vitest';
import { fixedClock, type Tier } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { toVector } from '../../src/db/db.ts';
import { eraseShopper, remainingRows } from '../../src/domain/shoppers/erasure.ts';
import { saveReminderSettings } from '../../src/domain/reminders/repo.ts';
import { runReminders, type RunReport } from '../../src/domain/reminders/run.ts';
import type { ReminderSettingsInput } from '../../src/domain/reminders/settings.ts';
import { silentLogger } from '../../src/log.ts';
import { describeDb } from '../helpers/db.ts';
import { createOrder, createProduct, createShop, createShopper } from '../helpers/fixtures.ts';
import { reminderWriters } from '../../src/agent/reminderWriter.ts';

const TEMPLATES = reminderWriters(undefined, silentLogger);

/** Runs the day at 10:00 Shanghai time (02:00 UTC) unless `now` says otherwise. */
function run(db: Db, shopId: string, date: string | undefined, now = `${date}T02:00:00Z`, dryRun = false): Promise<RunReport> {
  return runReminders({ db, clock: fixedClock(now), log: silentLogger, writers: TEMPLATES }, { shopId, date, dryRun });
}

async function shopWith(db: Db, o: { timezone?: string; settings?: ReminderSettingsInput; shopSettings?: Record<string, unknown> } = {}) {
  const shop = await createShop(db, { timezone: o.timezone, settings: o.shopSettings });
  if (o.settings) await saveReminderSettings(db, shop.id, { settings: o.settings }, new Date('2026-01-01T00:00:00Z'));
  return shop.id;
}

async function shopper(db: Db, shopId: string, o: { tier?: Tier; birthday?: string; consent?: unknown; nickname?: string } = {}) {
  const { id } = await createShopper(db, { shopId, tier: o.tier ?? 'core', nickname: o.nickname });
  await db.query(`UPDATE shoppers SET birthday = $2, registered_at = '2024-01-01', consent = coalesce($3::jsonb, consent) WHERE id = $1`, [
    id,
    o.birthday ?? null,
    o.consent === undefined ? null : JSON.stringify(o.consent),
  ]);
  return id;
}

/** A completed order paid at `paidAt`. */
function paid(db: Db, shopId: string, shopperId: number, paidAt: string, items?: { productId: number; quantity?: number; name?: string }[]) {
  return createOrder(db, {
    shopId,
    shopperId,
    status: 'completed',
    createdAt: new Date(new Date(paidAt).getTime() - 60_000),
    paidAt,
    items: items?.map((i) => ({ productId: i.productId, quantity: i.quantity ?? 1, name: i.name ?? '商品', unitPriceFen: 9_900 })),
  });
}

async function planned(db: Db, shopId: string) {
  const { rows } = await db.query<{ shopper_id: number; occasion: string; occurrence_key: string; local_date: string; message: string | null }>(
    'SELECT shopper_id, occasion, occurrence_key, local_date, message FROM reminders WHERE shop_id = $1 ORDER BY local_date, id',
    [shopId],
  );
  return rows;
}
const keys = (rows: Awaited<ReturnType<typeof planned>>) => rows.map((r) => [r.shopper_id, r.occasion, r.occurrence_key]);

describeDb('reminder occasions', (db) => {
  it('greets a birthday on the day in the shop’s time zone, naming the birthday coupon it issued', async () => {
    const sh = await shopWith(db());
    const ny = await shopWith(db(), { timezone: 'America/New_York' });
    await db().query(
      `INSERT INTO coupon_templates (shop_id, code, name, kind, threshold_fen, amount_fen, trigger, valid_days)
       VALUES ($1, 'bday', '生日专享券', 'threshold', 15000, 5000, 'birthday', 7)`,
      [sh],
    );
    const a = await shopper(db(), sh, { birthday: '1995-09-17', nickname: '小雅' });
    const b = await shopper(db(), ny, { birthday: '1995-09-17' });
    await shopper(db(), sh, { birthday: '1995-09-18' });
    // 02:00 UTC on the 17th: 10:00 on the 17th in Shanghai, 22:00 on the 16th in New York.
    const now = '2026-09-17T02:00:00Z';
    expect((await run(db(), sh, undefined, now)).date).toBe('2026-09-17');
    expect((await run(db(), ny, undefined, now)).date).toBe('2026-09-16');
    const got = await planned(db(), sh);
    expect(keys(got)).toEqual([[a, 'birthday', '2026']]);
    expect(got[0]!.message).toContain('小雅');
    expect(got[0]!.message).toContain('满150减50');
    const { rows: coupons } = await db().query('SELECT issue_key, valid_from FROM coupons WHERE shop_id = $1', [sh]);
    // The policy's key and window: valid from the start of the local birthday.
    expect(coupons).toEqual([{ issue_key: `birthday:${a}:2026`, valid_from: new Date('2026-09-16T16:00:00Z') }]);
    expect(await planned(db(), ny)).toEqual([]);
    await run(db(), ny, undefined, '2026-09-17T14:00:00Z');
    expect(keys(await planned(db(), ny))).toEqual([[b, 'birthday', '2026']]);
  });

  it('greets a 29 February birthday on the 28th in a common year, and only on the 29th in a leap year', async () => {
    const shop = await shopWith(db());
    const s = await shopper(db(), shop, { birthday: '2000-02-29', tier: 'converted' });
    await run(db(), shop, '2027-02-28');
    await run(db(), shop, '2028-02-28');
    await run(db(), shop, '2028-02-29');
    expect(keys(await planned(db(), shop))).toEqual([[s, 'birthday', '2027'], [s, 'birthday', '2028']]);
    expect((await planned(db(), shop)).map((r) => r.local_date)).toEqual(['2027-02-28', '2028-02-29']);
  });

  it('reminds a replenishment on last purchase + usage cycle × quantity − 5 lead days, not after a re-buy', async () => {
    const shop = await shopWith(db());
    const cream = await createProduct(db(), { shopId: shop, name: '氨基酸洁面乳' });
    await db().query('UPDATE products SET usage_cycle_days = 30 WHERE id = $1', [cream.id]);
    const a = await shopper(db(), shop);
    const b = await shopper(db(), shop);
    const order = await paid(db(), shop, a, '2026-08-01T02:00:00Z', [{ productId: cream.id }]);
    await paid(db(), shop, b, '2026-07-01T02:00:00Z', [{ productId: cream.id, quantity: 2 }]);
    await paid(db(), shop, b, '2026-08-20T02:00:00Z', [{ productId: cream.id }]);
    await run(db(), shop, '2026-08-25');
    expect(await planned(db(), shop)).toEqual([]);
    // a: 08-01 + 30 − 5 = 08-26. b's older order would be due 07-01 + 60 − 5 = 08-25, but b bought again.
    await run(db(), shop, '2026-08-26');
    const got = await planned(db(), shop);
    expect(keys(got)).toEqual([[a, 'replenishment', `${cream.id}:${order.id}`]]);
    expect(got[0]!.message).toContain('氨基酸洁面乳');
    await run(db(), shop, '2026-08-27');
    expect(await planned(db(), shop)).toHaveLength(1);
    // b's re-buy: 08-20 + 30 − 5 = 09-14.
    await run(db(), shop, '2026-09-14');
    expect(keys(await planned(db(), shop))[1]).toEqual([b, 'replenishment', expect.stringMatching(new RegExp(`^${cream.id}:`))]);
  });

  it('marks the 100th day and the first year after the first purchase', async () => {
    const shop = await shopWith(db());
    const hundred = await shopper(db(), shop);
    const year = await shopper(db(), shop);
    await paid(db(), shop, hundred, '2026-06-09T03:00:00Z'); // 2026-06-09 + 100 days = 2026-09-17
    await paid(db(), shop, year, '2025-09-16T17:00:00Z'); // 01:00 on 2025-09-17 in Shanghai
    await paid(db(), shop, year, '2026-03-01T03:00:00Z');
    await run(db(), shop, '2026-09-16');
    expect(await planned(db(), shop)).toEqual([]);
    await run(db(), shop, '2026-09-17');
    const got = await planned(db(), shop);
    expect(keys(got)).toEqual([[hundred, 'anniversary', 'd100'], [year, 'anniversary', 'y1']]);
    expect(got[0]!.message).toContain('100天');
    expect(got[1]!.message).toContain('1周年');
  });

  it('tells potential shoppers of the monthly discount day 3 days ahead, with the discount-day coupon', async () => {
    const shop = await shopWith(db(), { shopSettings: { discountDay: 15 } });
    const potential = await shopper(db(), shop, { tier: 'potential' });
    await shopper(db(), shop, { tier: 'core' });
    await run(db(), shop, '2026-09-11');
    expect(await planned(db(), shop)).toEqual([]);
    await run(db(), shop, '2026-09-12');
    const got = await planned(db(), shop);
    expect(keys(got)).toEqual([[potential, 'discountDay', '2026-09']]);
    expect(got[0]!.message).toContain('9月15日');
    // The policy module's default template (8折, valid on the day) was used.
    expect(got[0]!.message).toContain('8折');
    const { rows } = await db().query<{ issue_key: string; valid_from: Date }>('SELECT issue_key, valid_from FROM coupons WHERE shop_id = $1', [shop]);
    expect(rows).toEqual([{ issue_key: `discount_day:${potential}:2026-09`, valid_from: new Date('2026-09-14T16:00:00Z') }]);
  });

  it('nudges a second purchase within 7 days of the first order, never after a second order', async () => {
    const shop = await shopWith(db());
    const once = await shopper(db(), shop, { tier: 'converted' });
    const twice = await shopper(db(), shop, { tier: 'converted' });
    const first = await paid(db(), shop, once, '2026-09-14T02:00:00Z');
    await paid(db(), shop, twice, '2026-09-14T02:00:00Z');
    await paid(db(), shop, twice, '2026-09-14T05:00:00Z');
    await run(db(), shop, '2026-09-14');
    expect(await planned(db(), shop)).toEqual([]);
    await run(db(), shop, '2026-09-15');
    const got = await planned(db(), shop);
    expect(keys(got)).toEqual([[once, 'secondPurchase', first.orderNo]]);
    expect(got[0]!.message).toContain('满100减20');
    const { rows } = await db().query<{ issue_key: string; valid_until: Date }>('SELECT issue_key, valid_until FROM coupons WHERE shop_id = $1', [shop]);
    // The policy's window: 7 days from the first payment.
    expect(rows).toEqual([{ issue_key: `second_purchase:${once}:${first.orderNo}`, valid_until: new Date('2026-09-21T02:00:00Z') }]);
  });

  it('asks whether the first order arrived only after exactly the first order, never a shopper with orders before it', async () => {
    const shop = await shopWith(db());
    const first = await shopper(db(), shop, { tier: 'converted' });
    const returning = await shopper(db(), shop, { tier: 'converted' });
    const order = await paid(db(), shop, first, '2026-09-14T02:00:00Z');
    // Three orders: two paid before and given back (refunded, cancelled after payment), then this one.
    for (const [status, paidAt] of [['refunded', '2026-07-01T02:00:00Z'], ['cancelled', '2026-08-01T02:00:00Z']] as const) {
      await createOrder(db(), { shopId: shop, shopperId: returning, status, createdAt: new Date(new Date(paidAt).getTime() - 60_000), paidAt });
    }
    await paid(db(), shop, returning, '2026-09-14T02:00:00Z');
    await run(db(), shop, '2026-09-15');
    const got = await planned(db(), shop);
    expect(keys(got)).toEqual([[first, 'secondPurchase', order.orderNo]]);
    expect(got[0]!.message).toContain('你的第一单收到了吗');
  });

  it('words a refill reminder by the product’s category: a detergent is not skincare', async () => {
    const shop = await shopWith(db());
    const detergent = await createProduct(db(), { shopId: shop, name: '柠檬洗洁精 1.1kg', category: '家居日用' });
    const toner = await createProduct(db(), { shopId: shop, name: '积雪草精粹水', category: '化妆水' });
    await db().query('UPDATE products SET usage_cycle_days = 30 WHERE id = ANY($1::bigint[])', [[detergent.id, toner.id]]);
    const a = await shopper(db(), shop);
    const b = await shopper(db(), shop);
    await paid(db(), shop, a, '2026-08-01T02:00:00Z', [{ productId: detergent.id, name: detergent.name }]);
    await paid(db(), shop, b, '2026-08-01T02:00:00Z', [{ productId: toner.id, name: toner.name }]);
    await run(db(), shop, '2026-08-26');
    const got = (await planned(db(), shop)).sort((x, y) => x.shopper_id - y.shopper_id);
    expect(got.map((r) => [r.shopper_id, r.occasion])).toEqual([
      [a, 'replenishment'],
      [b, 'replenishment'],
    ]);
    expect(got[0]!.message).toContain('柠檬洗洁精 1.1kg');
    expect(got[0]!.message).not.toMatch(/护肤|肤/);
    expect(got[0]!.message).toContain('家里别断货');
    expect(got[1]!.message).toContain('别让护肤断档');
  });

  it('wins back a shopper 60 days after the last order, once per lapse', async () => {
    const shop = await shopWith(db());
    const lapsed = await shopper(db(), shop);
    const active = await shopper(db(), shop);
    const last = await paid(db(), shop, lapsed, '2026-07-19T02:00:00Z');
    await paid(db(), shop, active, '2026-07-19T02:00:00Z');
    await paid(db(), shop, active, '2026-09-01T02:00:00Z');
    await run(db(), shop, '2026-09-16');
    expect(await planned(db(), shop)).toEqual([]);
    await run(db(), shop, '2026-09-17');
    await run(db(), shop, '2026-09-18');
    const got = await planned(db(), shop);
    expect(keys(got)).toEqual([[lapsed, 'winBack', String(last.id)]]);
    expect(got[0]!.message).toContain('60天');
  });

  it('previews a new product only to profiles similar enough, and not an old launch', async () => {
    const shop = await shopWith(db());
    const unit = (i: number, w = 1) => Object.assign(new Array(256).fill(0), { [i]: w }) as number[];
    const mix = (a: number[], b: number[], wb: number) => {
      const v = a.map((x, i) => x + wb * b[i]!);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const fresh = await createProduct(db(), { shopId: shop, name: '积雪草修护面霜' });
    const old = await createProduct(db(), { shopId: shop, name: '玫瑰精华水' });
    await db().query(`UPDATE products SET launched_at = '2026-09-10T02:00:00Z' WHERE id = $1`, [fresh.id]);
    await db().query(`UPDATE products SET launched_at = '2026-07-01T02:00:00Z' WHERE id = $1`, [old.id]);
    for (const [p, v] of [[fresh.id, unit(0)], [old.id, unit(1)]] as const) {
      await db().query(
        `INSERT INTO product_embeddings (product_id, shop_id, embedder, dim, embedding, content_hash) VALUES ($1, $2, 'local-hash-v1', 256, $3::vector, 'h')`,
        [p, shop, toVector(v)],
      );
    }
    const close = await shopper(db(), shop);
    const far = await shopper(db(), shop);
    const bought = await shopper(db(), shop);
    await paid(db(), shop, bought, '2026-05-11T02:00:00Z');
    await paid(db(), shop, bought, '2026-09-11T02:00:00Z', [{ productId: fresh.id }]);
    await paid(db(), shop, close, '2026-05-11T02:00:00Z');
    await paid(db(), shop, far, '2026-05-11T02:00:00Z');
    const profiles: [number, number[]][] = [
      [close, mix(unit(0), unit(1), 0.5)], // cos 0.89 to the new product (and close to the old one too)
      [far, mix(unit(0), unit(2), 4)], // cos 0.24: below 0.3
      [bought, unit(0)],
    ];
    for (const [s, v] of profiles) {
      await db().query(
        `INSERT INTO shopper_profile_embeddings (shopper_id, shop_id, embedder, dim, embedding, content_hash, updated_at)
         VALUES ($1, $2, 'local-hash-v1', 256, $3::vector, 'h', now())`,
        [s, shop, toVector(v)],
      );
    }
    await run(db(), shop, '2026-09-17');
    const got = await planned(db(), shop);
    expect(keys(got)).toEqual([[close, 'newProduct', String(fresh.id)]]);
    expect(got[0]!.message).toContain('积雪草修护面霜');
  });

  it('greets 中秋 on its lunar date and nobody the day before', async () => {
    const shop = await shopWith(db());
    const s = await shopper(db(), shop, { tier: 'laotie', nickname: '阿强' });
    await shopper(db(), shop, { tier: 'new' }); // holiday greetings go to buyers by default
    await run(db(), shop, '2026-09-24');
    expect(await planned(db(), shop)).toEqual([]);
    await run(db(), shop, '2026-09-25');
    const got = await planned(db(), shop);
    expect(keys(got)).toEqual([[s, 'holiday', 'mid_autumn:2026']]);
    expect(got[0]!.message).toMatch(/^阿强老铁，中秋节到啦/);
  });

  it('caps: one a day (the highest value wins, the other waits), three in any seven days', async () => {
    const shop = await shopWith(db(), { shopSettings: { discountDay: 20 }, settings: { occasions: { replenishment: { graceDays: 5 } } } });
    const s = await shopper(db(), shop, { tier: 'potential', birthday: '1990-09-15' });
    const mask = await createProduct(db(), { shopId: shop, name: '补水面膜' });
    await db().query('UPDATE products SET usage_cycle_days = 9 WHERE id = $1', [mask.id]);
    // First order 09-14: second purchase due 09-15 … 09-20; the mask runs out 09-23, reminded from 09-18.
    await paid(db(), shop, s, '2026-09-14T02:00:00Z', [{ productId: mask.id }]);
    for (let d = 15; d <= 22; d++) await run(db(), shop, `2026-09-${d}`);
    // 09-15: birthday beats second purchase, which goes on 09-16; 09-17: the notice of the 20th;
    // 09-18 … 09-21: the replenishment waits, three are used in the week; 09-22: room again.
    expect((await planned(db(), shop)).map((r) => [r.local_date, r.occasion])).toEqual([
      ['2026-09-15', 'birthday'],
      ['2026-09-16', 'secondPurchase'],
      ['2026-09-17', 'discountDay'],
      ['2026-09-22', 'replenishment'],
    ]);
  });

  it('moves a run in the quiet hours to 08:00 instead of dropping it', async () => {
    const shop = await shopWith(db());
    await shopper(db(), shop, { birthday: '1990-09-17' });
    await shopper(db(), shop, { birthday: '1990-09-18' });
    // 23:30 on the 17th in Shanghai.
    const late = await run(db(), shop, '2026-09-17', '2026-09-17T15:30:00Z');
    expect(late.scheduledFor).toBe('2026-09-18T00:00:00.000Z');
    // A day planned ahead goes out at its run time; 10:00 is delivered at once.
    const ahead = await run(db(), shop, '2026-09-18', '2026-09-17T15:40:00Z');
    expect(ahead.scheduledFor).toBe('2026-09-18T00:00:00.000Z');
    const { rows } = await db().query<{ next: Date }>(
      `SELECT DISTINCT o.next_attempt_at AS next FROM reminder_outbox o JOIN reminders r ON r.id = o.reminder_id WHERE r.shop_id = $1`,
      [shop],
    );
    expect(rows).toEqual([{ next: new Date('2026-09-18T00:00:00Z') }]);
  });

  it('honours marketing consent and per-occasion opt-outs', async () => {
    const shop = await shopWith(db());
    const ok = await shopper(db(), shop, { birthday: '1990-09-17' });
    await shopper(db(), shop, { birthday: '1990-09-17', consent: { marketing: false, reminders: {} } });
    await shopper(db(), shop, { birthday: '1990-09-17', consent: { marketing: true, reminders: { birthday: false } } });
    await shopper(db(), shop, { birthday: '1990-09-17', consent: { marketing: true, reminders: { all: false } } });
    const other = await shopper(db(), shop, { consent: { marketing: true, reminders: { birthday: false } } });
    await paid(db(), shop, other, '2026-07-19T02:00:00Z');
    await run(db(), shop, '2026-09-17');
    expect(keys(await planned(db(), shop))).toEqual([
      [ok, 'birthday', '2026'],
      [other, 'winBack', expect.any(String)],
    ]);
  });

  it('plans and queues nothing twice, re-run or raced by a second runner', async () => {
    const shop = await shopWith(db());
    for (let i = 0; i < 5; i++) await shopper(db(), shop, { birthday: '1990-09-17' });
    const [a, b] = await Promise.all([run(db(), shop, '2026-09-17'), run(db(), shop, '2026-09-17')]);
    expect(a.planned + b.planned).toBe(5);
    expect((await run(db(), shop, '2026-09-17')).planned).toBe(0);
    const { rows } = await db().query<{ reminders: number; outbox: number; coupons: number; issued: number }>(
      `SELECT (SELECT count(*) FROM reminders WHERE shop_id = $1) AS reminders,
              (SELECT count(*) FROM reminder_outbox WHERE shop_id = $1) AS outbox,
              (SELECT count(*) FROM coupons WHERE shop_id = $1) AS coupons,
              (SELECT sum(issued_count) FROM coupon_templates WHERE shop_id = $1) AS issued`,
      [shop],
    );
    // core shoppers are in the default birthday template's audience: one coupon each.
    expect(rows[0]).toEqual({ reminders: 5, outbox: 5, coupons: 5, issued: 5 });
  });

  it('a dry run shows the messages and saves nothing', async () => {
    const shop = await shopWith(db());
    await shopper(db(), shop, { birthday: '1990-09-17', nickname: '小雨' });
    const r = await run(db(), shop, '2026-09-17', undefined, true);
    expect(r).toMatchObject({ dryRun: true, planned: 1, queued: 1 });
    expect(r.sample[0]!.message).toContain('小雨');
    expect(await planned(db(), shop)).toEqual([]);
    const { rows } = await db().query('SELECT count(*)::int AS n FROM coupons WHERE shop_id = $1', [shop]);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('erases a shopper (PIPL): nothing personal is left, nothing is planned for them again', async () => {
    const shop = await shopWith(db());
    const gone = await shopper(db(), shop, { birthday: '1990-09-17' });
    const stays = await shopper(db(), shop, { birthday: '1990-09-17' });
    await paid(db(), shop, gone, '2026-07-19T02:00:00Z');
    await run(db(), shop, '2026-09-17');
    await db().query(
      `INSERT INTO shopper_profile_embeddings (shopper_id, shop_id, embedder, dim, embedding, content_hash, updated_at)
       VALUES ($1, $2, 'x', 3, '[1,0,0]', 'h', now())`,
      [gone, shop],
    );
    // A table that names the shopper without a foreign key is swept too.
    await db().query('CREATE TABLE IF NOT EXISTS test_side_notes (shop_id text NOT NULL, shopper_id bigint, note text)');
    await db().query(`INSERT INTO test_side_notes VALUES ($1, $2, '手机 13812345678')`, [shop, gone]);
    const other = await shopWith(db());
    await expect(eraseShopper(db(), other, gone, 'admin:1', new Date())).rejects.toMatchObject({ code: 'not_found' });
    const receipt = await eraseShopper(db(), shop, gone, 'admin:1', new Date('2026-09-18T00:00:00Z'));
    expect(receipt.removed).toMatchObject({ reminders: 1, reminder_outbox: 1, shopper_profile_embeddings: 1, test_side_notes: 1 });
    // The order and the birthday coupon are records the shop keeps, against a de-identified tombstone.
    expect(receipt.deidentified).toMatchObject({ shoppers: 1, orders: 1 });
    expect(receipt.kept).toMatchObject({ coupons: 1, order_items: 1 });
    expect(await remainingRows(db(), shop, gone)).toEqual({});
    await run(db(), shop, '2026-09-18');
    expect((await planned(db(), shop)).map((r) => r.shopper_id)).toEqual([stays]);
  });
});
