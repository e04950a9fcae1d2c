import { z } from 'zod';
import { ruleText } from '../src/domain/coupons/templates.ts';
import { reminderOverview } from '../src/domain/reminders/overview.ts';
import { OCCASIONS } from '../src/domain/reminders/settings.ts';
import { defineTool } from './defineTool.ts';

const occasion = z.enum(OCCASIONS);

export const listReminders = defineTool({
  name: 'listReminders',
  effect: 'read',
  output: z.object({
    birthday: z.object({ month: z.number(), day: z.number(), text: z.string() }).nullable(),
    marketingAllowed: z.boolean(),
    occasions: z.array(
      z.object({
        occasion,
        label: z.string(),
        description: z.string(),
        runByShop: z.boolean(),
        forYourTier: z.boolean(),
        switchedOff: z.boolean(),
        active: z.boolean(),
      }),
    ),
    upcoming: z.array(
      z.object({
        occasion,
        label: z.string(),
        on: z.string(),
        inDays: z.number(),
        remindOn: z.string().nullable(),
        text: z.string(),
        product: z.object({ id: z.number(), name: z.string() }).optional(),
        willRemind: z.boolean(),
      }),
    ),
    recent: z.array(
      z.object({
        occasion,
        label: z.string(),
        sentAt: z.string(),
        message: z.string(),
        coupon: z.object({ name: z.string(), rule: z.string(), validUntil: z.string(), status: z.string() }).nullable(),
      }),
    ),
  }),
  description:
    '查看当前顾客的提醒和关怀：birthday 是店铺登记的生日（只有月日，没有登记时为 null）；occasions 是店铺的每种提醒（生日祝福、复购关怀、补货提醒、专属折扣日、相识纪念、老朋友问候、新品预告、节日问候）' +
    '是什么（description）、店铺是否开启（runByShop）、是否面向顾客的等级（forYourTier）、顾客自己是否关闭了（switchedOff）、最终会不会收到（active）；' +
    'upcoming 是接下来的事（生日还有几天、买过的某个商品预计哪天用完(on)和哪天提醒补货(remindOn)、下一个专属折扣日、首购纪念日、节日；remindOn 为 null 表示这次的提醒日已过，willRemind 表示会不会真的发提醒）；recent 是最近收到的提醒（场合、时间、内容、附带的券）。' +
    'marketingAllowed 为 false 时顾客不会收到任何提醒。顾客问"有什么提醒/福利""补货提醒是什么""你知道我生日吗""最近给我发了什么"时使用。只读，不会改变任何设置。',
  input: z.object({}),
  async execute(ctx) {
    const o = await reminderOverview(ctx.db, ctx.caller.shopId, ctx.caller.shopperId, ctx.clock.now());
    return {
      birthday: o.birthday ? { ...o.birthday, text: `${o.birthday.month}月${o.birthday.day}日` } : null,
      marketingAllowed: o.marketingAllowed,
      occasions: o.occasions.map((x) => ({
        occasion: x.occasion,
        label: x.label,
        description: x.description,
        runByShop: x.runByShop,
        forYourTier: x.forTier,
        switchedOff: x.switchedOff,
        active: x.active,
      })),
      upcoming: o.upcoming,
      recent: o.recent.map((r) => ({
        occasion: r.occasion,
        label: r.label,
        sentAt: r.sentAt.toISOString(),
        message: r.message,
        coupon: r.coupon ? { name: r.coupon.name, rule: ruleText(r.coupon), validUntil: r.coupon.validUntil.toISOString(), status: r.coupon.status } : null,
      })),
    };
  },
});
