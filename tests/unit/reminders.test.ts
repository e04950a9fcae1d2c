// The pure parts of the reminders: holiday rules (lunar dates from lunar-javascript, checked against
// known dates), shop-local time and quiet hours, settings defaults (docs/domain.md §8 Reminders), the message
// templates and the fact check that guards model-written messages, the webhook signature, backoff.
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import type { Models } from '../../src/agent/models.ts';
import { loadPrompt, placeholders } from '../../src/agent/prompts.ts';
import { HOLIDAYS, holidaysOn } from '../../src/domain/reminders/occasions/holidays.ts';
import { createMessageWriter, templateMessage, templateVars } from '../../src/agent/reminderWriter.ts';
import { checkFacts, type ReminderFacts } from '../../src/domain/reminders/message.ts';
import { backoffMs } from '../../src/domain/reminders/outbox.ts';
import { DEFAULT_REMINDER_SETTINGS, OCCASIONS, parseReminderSettings } from '../../src/domain/reminders/settings.ts';
import { addDays, outOfQuietHours, zonedInstant } from '../../src/domain/reminders/time.ts';
import { signBody, verifySignature } from '../../src/domain/reminders/webhook.ts';
import { silentLogger } from '../../src/log.ts';

describe('holidays', () => {
  const KNOWN: [string, string][] = [
    ['mid_autumn', '2024-09-17'],
    ['mid_autumn', '2025-10-06'],
    ['mid_autumn', '2026-09-25'],
    ['mid_autumn', '2027-09-15'],
    ['spring_festival', '2025-01-29'],
    ['spring_festival', '2026-02-17'],
    ['spring_festival', '2027-02-06'],
    ['qixi', '2026-08-19'],
    ['qixi', '2025-08-29'], // after 2025's leap sixth month (闰六月)
    ['lantern', '2026-03-03'],
    ['double_11', '2026-11-11'],
    ['womens_day', '2027-03-08'],
  ];

  it.each(KNOWN)('%s falls on %s, and not the day before or after', (key, date) => {
    expect(holidaysOn(date).map((h) => h.key)).toContain(key);
    expect(holidaysOn(addDays(date, -1)).map((h) => h.key)).not.toContain(key);
    expect(holidaysOn(addDays(date, 1)).map((h) => h.key)).not.toContain(key);
  });

  it('takes no 15th of a leap month for 中秋, and greets only the enabled holidays', () => {
    // 2025-08-08 is 闰六月十五.
    expect(holidaysOn('2025-08-08')).toEqual([]);
    expect(holidaysOn('2026-09-25', ['qixi'])).toEqual([]);
  });

  it('names every holiday once', () => {
    expect(new Set(HOLIDAYS.map((h) => h.key)).size).toBe(HOLIDAYS.length);
  });
});

describe('shop-local time', () => {
  it('finds the instant of a local wall-clock time, across a DST change', () => {
    expect(zonedInstant('2026-09-17', '08:00', 'Asia/Shanghai').toISOString()).toBe('2026-09-17T00:00:00.000Z');
    expect(zonedInstant('2026-03-08', '08:00', 'America/New_York').toISOString()).toBe('2026-03-08T12:00:00.000Z');
    expect(zonedInstant('2026-03-07', '08:00', 'America/New_York').toISOString()).toBe('2026-03-07T13:00:00.000Z');
  });

  it('moves an instant in the quiet hours to their end, leaves others alone', () => {
    const q = { start: '22:00', end: '08:00' };
    const at = (iso: string) => outOfQuietHours(new Date(iso), 'Asia/Shanghai', q).toISOString();
    expect(at('2026-09-17T13:59:00Z')).toBe('2026-09-17T13:59:00.000Z'); // 21:59
    expect(at('2026-09-17T14:00:00Z')).toBe('2026-09-18T00:00:00.000Z'); // 22:00 → 08:00 next day
    expect(at('2026-09-17T19:00:00Z')).toBe('2026-09-18T00:00:00.000Z'); // 03:00 → 08:00 that day
    expect(at('2026-09-18T00:00:00Z')).toBe('2026-09-18T00:00:00.000Z'); // 08:00 is allowed
  });
});

describe('reminder settings', () => {
  it('default to the article’s numbers', () => {
    const s = DEFAULT_REMINDER_SETTINGS;
    expect(s.caps).toEqual({ perDay: 1, perWeek: 3 });
    expect(s.quietHours).toEqual({ start: '22:00', end: '08:00' });
    expect(s.occasions.replenishment.leadDays).toBe(5);
    expect(s.occasions.discountDay).toMatchObject({ daysBefore: 3, tiers: ['potential'] });
    expect(s.occasions.secondPurchase.withinDays).toBe(7);
    expect(s.occasions.anniversary.days).toEqual([100]);
    expect(s.occasions.winBack.afterDays).toBe(60);
    expect(s.outbox.maxAttempts).toBe(5);
    // The most personal and valuable occasion wins the daily slot.
    expect(OCCASIONS.map((o) => s.occasions[o].rank)).toEqual([100, 90, 80, 70, 60, 50, 40, 30]);
  });

  it('keeps what a shop set and refuses nonsense', () => {
    expect(parseReminderSettings({ caps: { perDay: 2, perWeek: 5 } }).caps).toEqual({ perDay: 2, perWeek: 5 });
    expect(() => parseReminderSettings({ quietHours: { start: '25:00', end: '08:00' } })).toThrow();
    expect(() => parseReminderSettings({ occasions: { winBack: { afterDays: -1 } } })).toThrow();
  });
});

const base: Omit<ReminderFacts, 'occasion'> = { nickname: '小雅', tier: 'laotie', shopName: '老铁美妆', advisorName: '小美', localDate: '2026-09-17' };
const coupon = { name: '生日专享券', kind: 'threshold' as const, thresholdFen: 15_000, amountFen: 5_000, percentOff: 0, validUntil: '2026-09-23' };
const SAMPLES: ReminderFacts[] = [
  { ...base, occasion: 'birthday', coupon },
  { ...base, occasion: 'birthday' },
  { ...base, occasion: 'secondPurchase', coupon: { ...coupon, name: '复购专享券', thresholdFen: 10_000, amountFen: 2_000 } },
  { ...base, occasion: 'replenishment', product: { name: '氨基酸洁面乳' }, boughtOn: '2026-08-01', runsOutOn: '2026-08-31' },
  { ...base, occasion: 'discountDay', tier: 'potential', discountDate: '2026-09-15', daysLeft: 3, coupon: { ...coupon, name: '专属折扣日', kind: 'discount', thresholdFen: 0, amountFen: 0, percentOff: 20 } },
  { ...base, occasion: 'anniversary', milestone: { days: 100 }, firstOrderOn: '2026-06-09' },
  { ...base, occasion: 'winBack', daysSince: 60 },
  { ...base, occasion: 'newProduct', product: { name: '积雪草修护面霜', priceFen: 12_900 } },
  { ...base, occasion: 'holiday', holidayName: '中秋节' },
];
const NAMES = ['氨基酸洁面乳', '积雪草修护面霜', '玫瑰精华水', '生日专享券', '复购专享券'];

describe('reminder messages', () => {
  it('has a template for every occasion whose placeholders all get a value', () => {
    for (const o of OCCASIONS) {
      const vars = templateVars({ ...base, occasion: o });
      for (const p of placeholders(loadPrompt(`reminders/${o}`))) expect(vars, `${o}: {{${p}}}`).toHaveProperty(p);
    }
  });

  it.each(SAMPLES.map((f) => [f.occasion, f] as const))('writes %s from the facts, and the template passes the fact check', (_o, f) => {
    const text = templateMessage(f);
    expect(text).toContain(f.tier === 'laotie' ? `${f.nickname}老铁` : f.nickname);
    if (f.coupon) expect(text).toMatch(/满150减50|满100减20|8折/);
    else expect(text).not.toMatch(/券/);
    if (f.product) expect(text).toContain(f.product.name);
    expect(checkFacts(text, f, NAMES)).toEqual({ ok: true });
  });

  it('words a refill reminder by what the product is: a detergent is not skincare', () => {
    const refill = (name: string, category?: string) =>
      templateMessage({ ...base, occasion: 'replenishment', product: { name, category }, boughtOn: '2026-08-01', runsOutOn: '2026-08-31' });
    const detergent = refill('木与森 柠檬洗洁精 1.1kg', '家居日用');
    expect(detergent).not.toMatch(/护肤|皮肤|肤/);
    expect(detergent).toContain('家里别断货');
    expect(refill('雪棠 燕麦护手霜 50g', '身体护理')).toContain('别让身体护理断档');
    expect(refill('悦颜 轻奢粉扑 3只装', '美妆工具')).not.toContain('护肤');
    expect(refill('澜汐 积雪草舒缓精粹水 150ml', '化妆水')).toContain('别让护肤断档');
    // A category the wording does not know, or none (a reminder planned before categories were noted).
    expect(refill('竹炭除味包', '宠物用品')).not.toContain('护肤');
    expect(refill('竹炭除味包')).not.toContain('护肤');
  });

  it('the fact check refuses invented amounts, unissued coupons, other products and a missing rule', () => {
    const bday = SAMPLES[0]!;
    const plain = SAMPLES[1]!;
    const fresh = SAMPLES[7]!;
    expect(checkFacts('小雅生日快乐！送你生日专享券满150减60。', bday, NAMES)).toMatchObject({ ok: false });
    expect(checkFacts('小雅生日快乐！送你一张生日专享券。', bday, NAMES)).toMatchObject({ ok: false, reason: 'coupon rule missing' });
    expect(checkFacts('小雅生日快乐！下单立减20元。', plain, NAMES)).toMatchObject({ ok: false });
    expect(checkFacts('小雅生日快乐！记得领券哦。', plain, NAMES)).toMatchObject({ ok: false, reason: 'mentions a coupon that was not issued' });
    expect(checkFacts('积雪草修护面霜上新了，和玫瑰精华水一起用更好。', fresh, NAMES)).toMatchObject({ ok: false });
    expect(checkFacts('积雪草修护面霜上新啦，只要¥129！', fresh, NAMES)).toEqual({ ok: true });
    expect(checkFacts('新品上新啦！', fresh, NAMES)).toMatchObject({ ok: false, reason: 'product name missing' });
  });
});

function modelsSaying(text: string | (() => never)) {
  const calls: unknown[] = [];
  const chat = new MockLanguageModelV3({
    modelId: 'mock-model',
    doGenerate: async (options) => {
      calls.push(options.prompt);
      if (typeof text === 'function') text();
      return {
        content: [{ type: 'text', text: text as string }],
        finishReason: { unified: 'stop', raw: undefined },
        usage: {
          inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 10, text: 10, reasoning: 0 },
        },
        warnings: [],
      };
    },
  });
  const offline = new MockLanguageModelV3({ modelId: 'offline' });
  const models: Models = { forTurn: () => chat, offline, name: 'mock-model', remote: false };
  return { models, calls };
}

describe('the message writer', () => {
  const bday = SAMPLES[0]!;
  it('uses the model’s text when it keeps to the facts', async () => {
    const { models, calls } = modelsSaying('小雅老铁生日快乐！小美送你生日专享券，满150减50，9月23日前有效。');
    const w = await createMessageWriter({ models, knownNames: NAMES, modelBudget: 5, log: silentLogger }).write(bday);
    expect(w).toEqual({ message: '小雅老铁生日快乐！小美送你生日专享券，满150减50，9月23日前有效。', writtenBy: 'mock-model' });
    expect(JSON.stringify(calls[0])).toContain('满150减50');
  });

  it('falls back to the template when the model invents an amount, fails, or the budget is spent', async () => {
    const wrong = modelsSaying('小雅生日快乐！送你满150减80的生日专享券。');
    expect((await createMessageWriter({ models: wrong.models, knownNames: NAMES, modelBudget: 5, log: silentLogger }).write(bday)).writtenBy).toBe('template');
    const failing = modelsSaying(() => {
      throw new Error('provider down');
    });
    expect(await createMessageWriter({ models: failing.models, knownNames: NAMES, modelBudget: 5, log: silentLogger }).write(bday)).toEqual({
      message: templateMessage(bday),
      writtenBy: 'template',
    });
    const spent = modelsSaying('小雅老铁生日快乐！满150减50。生日专享券');
    const writer = createMessageWriter({ models: spent.models, knownNames: NAMES, modelBudget: 1, log: silentLogger });
    await writer.write(bday);
    expect((await writer.write(bday)).writtenBy).toBe('template');
    expect(spent.calls).toHaveLength(1);
  });

  it('never calls a model when the models are offline', async () => {
    const { models, calls } = modelsSaying('x');
    const offline: Models = { ...models, name: 'offline' };
    expect((await createMessageWriter({ models: offline, knownNames: NAMES, modelBudget: 5, log: silentLogger }).write(bday)).writtenBy).toBe('template');
    expect(calls).toHaveLength(0);
  });
});

describe('webhook signature and backoff', () => {
  it('signs the raw body with HMAC-SHA256 and notices tampering', () => {
    const body = '{"a":1}';
    const sig = signBody('secret-1234567890', body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('secret-1234567890', body, sig)).toBe(true);
    expect(verifySignature('secret-1234567890', '{"a":2}', sig)).toBe(false);
    expect(verifySignature('other-secret-123456', body, sig)).toBe(false);
    expect(verifySignature('secret-1234567890', body, undefined)).toBe(false);
  });

  it('backs off exponentially up to the cap', () => {
    const o = DEFAULT_REMINDER_SETTINGS.outbox;
    expect([1, 2, 3, 4, 8, 20].map((n) => backoffMs(n, o) / 1000)).toEqual([30, 60, 120, 240, 3600, 3600]);
  });
});
