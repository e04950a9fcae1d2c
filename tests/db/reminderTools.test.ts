// listReminders and setReminderPreference (docs/domain.md §8 Reminders): the shopper's reminder picture
// from their own data — the birthday without its year, the occasions, what is coming and what came —
// and a switch per occasion that the daily planner and the outbox honour, at once and undoably.
import { expect, it } from 'vitest';
import { reminderWriters } from '../../src/agent/reminderWriter.ts';
import { fixedClock, type Tier } from '../../src/context.ts';
import { runOutboxOnce } from '../../src/domain/reminders/outbox.ts';
import { saveReminderSettings } from '../../src/domain/reminders/repo.ts';
import { runReminders } from '../../src/domain/reminders/run.ts';
import type { ReminderSettingsInput } from '../../src/domain/reminders/settings.ts';
import { eraseShopper, remainingRows } from '../../src/domain/shoppers/erasure.ts';
import { silentLogger } from '../../src/log.ts';
import { proposeTool, runTool, type ToolOutput } from '../../tools/defineTool.ts';
import { CONFIRMED_TOOLS, WRITE_TOOLS } from '../../tools/index.ts';
import { listReminders } from '../../tools/listReminders.ts';
import { setReminderPreference } from '../../tools/setReminderPreference.ts';
import { describeDb } from '../helpers/db.ts';
import { createOrder, createProduct, createShop, createShopper } from '../helpers/fixtures.ts';
import { shopperContext, TEST_NOW } from '../helpers/toolContext.ts';

const TEMPLATES = reminderWriters(undefined, silentLogger);

type Reminders = ToolOutput<typeof listReminders>;
type Preference = ToolOutput<typeof setReminderPreference>;

describeDb('reminder tools', (db) => {
  async function shop(settings?: ReminderSettingsInput): Promise<string> {
    const { id } = await createShop(db());
    if (settings) await saveReminderSettings(db(), id, { settings }, new Date('2026-01-01T00:00:00Z'));
    return id;
  }

  async function shopper(shopId: string, o: { tier?: Tier; birthday?: string | null; consent?: unknown; nickname?: string } = {}): Promise<number> {
    const { id } = await createShopper(db(), { shopId, tier: o.tier ?? 'core', nickname: o.nickname });
    await db().query(`UPDATE shoppers SET birthday = $2, registered_at = '2024-01-01', consent = coalesce($3::jsonb, consent) WHERE id = $1`, [
      id,
      o.birthday ?? null,
      o.consent === undefined ? null : JSON.stringify(o.consent),
    ]);
    return id;
  }

  async function list(shopId: string, shopperId: number, now: string = TEST_NOW): Promise<Reminders> {
    const out = await runTool(listReminders, await shopperContext(db(), shopId, shopperId, now), {});
    if ('error' in out) throw new Error(`listReminders failed: ${out.error.message}`);
    return listReminders.output.parse(out);
  }

  async function set(shopId: string, shopperId: number, input: unknown): Promise<Preference | { error: { code: string; message: string } }> {
    return runTool(setReminderPreference, await shopperContext(db(), shopId, shopperId), input);
  }

  /** Plans and writes the shop's reminders of a day at 10:00 Shanghai time. */
  function runDay(shopId: string, date: string) {
    return runReminders({ db: db(), clock: fixedClock(`${date}T02:00:00Z`), log: silentLogger, writers: TEMPLATES }, { shopId, date });
  }

  async function planned(shopId: string): Promise<[number, string][]> {
    const { rows } = await db().query<{ shopper_id: number; occasion: string }>(
      'SELECT shopper_id, occasion FROM reminders WHERE shop_id = $1 ORDER BY id',
      [shopId],
    );
    return rows.map((r) => [r.shopper_id, r.occasion]);
  }

  async function preferences(shopId: string, shopperId: number) {
    const { rows } = await db().query<{ occasion: string; enabled: boolean; updated_at: Date }>(
      'SELECT occasion, enabled, updated_at FROM reminder_preferences WHERE shop_id = $1 AND shopper_id = $2 ORDER BY occasion',
      [shopId, shopperId],
    );
    return rows;
  }

  it('knows the birthday by month and day, and never says its year', async () => {
    const s = await shop();
    const known = await shopper(s, { birthday: '1993-02-26' });
    const r = await list(s, known);
    expect(r.birthday).toEqual({ month: 2, day: 26, text: '2月26日' });
    // Today is 2026-03-15: the next birthday is in 2027.
    expect(r.upcoming.find((u) => u.occasion === 'birthday')).toMatchObject({ on: '2027-02-26', inDays: 348, willRemind: true });
    expect(JSON.stringify(r)).not.toContain('1993');

    const unknown = await shopper(s, { birthday: null });
    const u = await list(s, unknown);
    expect(u.birthday).toBeNull();
    expect(u.upcoming.map((x) => x.occasion)).not.toContain('birthday');
  });

  it('shows each occasion: what it is, whether the shop runs it for this tier, whether the shopper switched it off', async () => {
    const s = await shop({ occasions: { newProduct: { enabled: false }, replenishment: { leadDays: 7 } } });
    const me = await shopper(s, { tier: 'converted', consent: { marketing: true, reminders: { holiday: false } } });
    expect(await set(s, me, { occasion: 'winBack', enabled: false })).toMatchObject({ enabled: false });
    const byName = Object.fromEntries((await list(s, me)).occasions.map((o) => [o.occasion, o]));
    expect(Object.keys(byName)).toEqual(['birthday', 'secondPurchase', 'replenishment', 'discountDay', 'anniversary', 'winBack', 'newProduct', 'holiday']);
    expect(byName.birthday).toMatchObject({ label: '生日祝福', runByShop: true, forYourTier: true, switchedOff: false, active: true });
    expect(byName.replenishment!.description).toContain('用完前 7 天');
    expect(byName.discountDay).toMatchObject({ forYourTier: false, active: false });
    expect(byName.newProduct).toMatchObject({ runByShop: false, active: false });
    expect(byName.winBack).toMatchObject({ switchedOff: true, active: false });
    // An opt-out in the consent record counts as the shopper's own.
    expect(byName.holiday).toMatchObject({ switchedOff: true, active: false });
  });

  it('foretells a replenishment by the product bought, with its name and roughly when', async () => {
    const s = await shop();
    const cream = await createProduct(db(), { shopId: s, name: '氨基酸洁面乳' });
    await db().query('UPDATE products SET usage_cycle_days = 30 WHERE id = $1', [cream.id]);
    const me = await shopper(s);
    await createOrder(db(), { shopId: s, shopperId: me, status: 'completed', createdAt: '2026-03-01T01:59:00Z', paidAt: '2026-03-01T02:00:00Z', items: [{ productId: cream.id, quantity: 1 }] });
    const r = await list(s, me);
    // Paid 03-01, a 30-day cycle: runs out 03-31, reminded 5 days before.
    expect(r.upcoming.find((u) => u.occasion === 'replenishment')).toEqual({
      occasion: 'replenishment',
      label: '补货提醒',
      on: '2026-03-31',
      inDays: 16,
      remindOn: '2026-03-26',
      text: '上次买的氨基酸洁面乳预计3月31日左右用完，会在3月26日提醒补货',
      product: { id: cream.id, name: '氨基酸洁面乳' },
      willRemind: true,
    });
    // On the day the planner reminds exactly that; afterwards it is no longer "coming".
    await runDay(s, '2026-03-26');
    expect(await planned(s)).toEqual([[me, 'replenishment']]);
    expect((await list(s, me, '2026-03-26T03:00:00Z')).upcoming.map((u) => u.occasion)).not.toContain('replenishment');
  });

  it('foretells the next discount day of a potential shopper, and says when its reminder has already passed', async () => {
    const s = await shop();
    const me = await shopper(s, { tier: 'potential' });
    const before = (await list(s, me, '2026-03-01T02:00:00Z')).upcoming.find((u) => u.occasion === 'discountDay');
    expect(before).toMatchObject({ on: '2026-03-15', inDays: 14, remindOn: '2026-03-12', willRemind: true });
    // Today (03-15) is the discount day: its reminder went on the 12th.
    const today = (await list(s, me)).upcoming.find((u) => u.occasion === 'discountDay');
    expect(today).toMatchObject({ on: '2026-03-15', inDays: 0, remindOn: null, willRemind: false, text: '今天就是你的专属折扣日（每月 15 日）' });
    const converted = await shopper(s, { tier: 'converted' });
    expect((await list(s, converted)).upcoming.map((u) => u.occasion)).not.toContain('discountDay');
  });

  it('shows what was delivered lately: the occasion, when, the message and its coupon', async () => {
    const s = await shop();
    const me = await shopper(s, { birthday: '1990-09-17', nickname: '小雅' });
    await runDay(s, '2026-09-17');
    const clock = fixedClock('2026-09-17T02:00:00Z');
    await runOutboxOnce({ db: db(), clock, log: silentLogger }, { workerId: 'w' });
    const r = await list(s, me, '2026-09-18T02:00:00Z');
    expect(r.recent).toEqual([
      {
        occasion: 'birthday',
        label: '生日祝福',
        sentAt: '2026-09-17T02:00:00.000Z',
        message: expect.stringContaining('小雅'),
        coupon: { name: '生日专享券', rule: '满150减50', validUntil: expect.any(String), status: 'unused' },
      },
    ]);
    expect(JSON.stringify(r)).not.toContain('1990');
  });

  it('switching an occasion off stops the planner reminding this shopper of it, others still; on brings it back', async () => {
    const s = await shop();
    const me = await shopper(s, { birthday: '1990-09-17' });
    const other = await shopper(s, { birthday: '1990-09-17' });
    expect(await set(s, me, { occasion: 'birthday', enabled: false })).toEqual({
      occasion: 'birthday',
      label: '生日祝福',
      enabled: false,
      message: '已为你关闭生日祝福，之后不会再收到这类提醒；想恢复随时告诉我。',
    });
    await runDay(s, '2026-09-17');
    expect(await planned(s)).toEqual([[other, 'birthday']]);
    expect((await list(s, me)).occasions.find((o) => o.occasion === 'birthday')).toMatchObject({ switchedOff: true, active: false });

    expect(await set(s, me, { occasion: 'birthday', enabled: true })).toMatchObject({ enabled: true, message: '已为你打开生日祝福，到时会按时提醒你。' });
    await runDay(s, '2026-09-17');
    expect(await planned(s)).toEqual([[other, 'birthday'], [me, 'birthday']]);
  });

  it("switching 'all' off silences every occasion for the shopper, and 'all' on restores them", async () => {
    const s = await shop();
    const cream = await createProduct(db(), { shopId: s, name: '洗衣液' });
    await db().query('UPDATE products SET usage_cycle_days = 30 WHERE id = $1', [cream.id]);
    const me = await shopper(s, { birthday: '1990-08-26' });
    await createOrder(db(), { shopId: s, shopperId: me, status: 'completed', createdAt: '2026-07-31T01:59:00Z', paidAt: '2026-07-31T02:00:00Z', items: [{ productId: cream.id }] });
    expect(await set(s, me, { occasion: 'all', enabled: false })).toMatchObject({ occasion: 'all', label: '全部提醒', enabled: false });
    expect((await preferences(s, me)).map((p) => [p.occasion, p.enabled])).toHaveLength(8);
    // 08-25: the replenishment is due (07-31 + 30 − 5); 08-26: the birthday.
    await runDay(s, '2026-08-25');
    await runDay(s, '2026-08-26');
    expect(await planned(s)).toEqual([]);
    expect((await list(s, me)).occasions.every((o) => o.switchedOff && !o.active)).toBe(true);
    await set(s, me, { occasion: 'all', enabled: true });
    // One a day: the birthday outranks the replenishment, which goes the next day within its grace days.
    await runDay(s, '2026-08-26');
    expect(await planned(s)).toEqual([[me, 'birthday']]);
    await runDay(s, '2026-08-27');
    expect(await planned(s)).toEqual([[me, 'birthday'], [me, 'replenishment']]);
  });

  it('cancels a reminder already queued when the shopper switches its occasion off before it goes', async () => {
    const s = await shop();
    const me = await shopper(s, { birthday: '1990-09-17' });
    await runDay(s, '2026-09-17');
    expect(await planned(s)).toEqual([[me, 'birthday']]);
    await set(s, me, { occasion: 'birthday', enabled: false });
    await runOutboxOnce({ db: db(), clock: fixedClock('2026-09-17T02:00:00Z'), log: silentLogger }, { workerId: 'w' });
    const { rows } = await db().query<{ state: string }>('SELECT state FROM reminder_outbox WHERE shop_id = $1', [s]);
    expect(rows).toEqual([{ state: 'cancelled' }]);
    expect((await list(s, me, '2026-09-17T03:00:00Z')).recent).toEqual([]);
  });

  it("leaves another shopper's switches as they were", async () => {
    const s = await shop();
    const me = await shopper(s);
    const other = await shopper(s);
    await set(s, other, { occasion: 'holiday', enabled: false });
    const before = await preferences(s, other);
    await set(s, me, { occasion: 'holiday', enabled: true });
    await set(s, me, { occasion: 'all', enabled: false });
    expect(await preferences(s, other)).toEqual(before);
    expect((await list(s, other)).occasions.filter((o) => o.switchedOff).map((o) => o.occasion)).toEqual(['holiday']);
  });

  it('turns an occasion back on even when the consent record had switched all reminders off, leaving the others off', async () => {
    const s = await shop();
    const me = await shopper(s, { birthday: '1990-09-17', consent: { marketing: true, reminders: { all: false } } });
    await set(s, me, { occasion: 'birthday', enabled: true });
    const off = (await list(s, me)).occasions.filter((o) => o.switchedOff).map((o) => o.occasion);
    expect(off).toEqual(['secondPurchase', 'replenishment', 'discountDay', 'anniversary', 'winBack', 'newProduct', 'holiday']);
    await runDay(s, '2026-09-17');
    expect(await planned(s)).toEqual([[me, 'birthday']]);
  });

  it('says when a switched-on occasion still will not come, and why', async () => {
    const s = await shop({ occasions: { holiday: { enabled: false } } });
    const me = await shopper(s, { tier: 'converted' });
    expect(await set(s, me, { occasion: 'discountDay', enabled: true })).toMatchObject({ message: expect.stringContaining('只发给潜力用户') });
    expect(await set(s, me, { occasion: 'holiday', enabled: true })).toMatchObject({ message: expect.stringContaining('店铺目前没有开启') });
    const declined = await shopper(s, { consent: { marketing: false, reminders: {} } });
    expect(await set(s, declined, { occasion: 'birthday', enabled: true })).toMatchObject({ message: expect.stringContaining('关闭了营销消息') });
  });

  it('refuses a bad input as a tool error and writes nothing', async () => {
    const s = await shop();
    const me = await shopper(s);
    for (const input of [{ occasion: 'spam', enabled: false }, { occasion: 'birthday' }, { occasion: 'birthday', enabled: 'no' }, {}]) {
      const out = await set(s, me, input);
      expect(out).toMatchObject({ error: { code: 'invalid', message: expect.stringContaining('setReminderPreference') } });
    }
    expect(await preferences(s, me)).toEqual([]);
  });

  it('is a write that runs at once: no confirmation is asked', async () => {
    expect(WRITE_TOOLS.has(setReminderPreference.name)).toBe(true);
    expect(CONFIRMED_TOOLS.has(setReminderPreference.name)).toBe(false);
    const s = await shop();
    const me = await shopper(s);
    const out = await proposeTool(setReminderPreference, await shopperContext(db(), s, me), { occasion: 'newProduct', enabled: false });
    expect(out).toMatchObject({ occasion: 'newProduct', enabled: false });
    expect((await preferences(s, me)).map((p) => [p.occasion, p.enabled])).toEqual([['newProduct', false]]);
  });

  it("is erased with the shopper's other data", async () => {
    const s = await shop();
    const me = await shopper(s);
    await set(s, me, { occasion: 'all', enabled: false });
    const receipt = await eraseShopper(db(), s, me, 'admin', new Date(TEST_NOW));
    expect(receipt.removed).toMatchObject({ reminder_preferences: 8 });
    expect(await remainingRows(db(), s, me)).toEqual({});
  });
});
