import { z } from 'zod';
import { TIER_LABELS } from '../src/domain/lifecycle/labels.ts';
import { OCCASION_LABELS } from '../src/domain/reminders/message.ts';
import { occasionStatuses } from '../src/domain/reminders/overview.ts';
import { setReminderPreference as setPreference, type PreferenceTarget } from '../src/domain/reminders/preferences.ts';
import { OCCASIONS } from '../src/domain/reminders/settings.ts';
import type { ToolContext } from '../src/context.ts';
import { defineTool } from './defineTool.ts';

const target = z.enum([...OCCASIONS, 'all']);

/** Why an occasion switched on will still not come, if it will not. */
async function stillQuiet(ctx: ToolContext, t: PreferenceTarget): Promise<string | null> {
  const { marketingAllowed, occasions, settings } = await occasionStatuses(ctx.db, ctx.caller.shopId, ctx.caller.shopperId);
  if (!marketingAllowed) return '不过你在商城关闭了营销消息，所以暂时还不会收到提醒';
  if (t === 'all') return null;
  const s = occasions.find((o) => o.occasion === t)!;
  if (!s.runByShop) return '不过店铺目前没有开启这项提醒，开启后你就会收到';
  if (!s.forTier) return `不过这项提醒目前只发给${settings.occasions[t].tiers.map((x) => TIER_LABELS[x]).join('、')}`;
  return null;
}

export const setReminderPreference = defineTool({
  name: 'setReminderPreference',
  effect: 'write',
  output: z.object({ occasion: target, label: z.string(), enabled: z.boolean(), message: z.string() }),
  description:
    '为当前顾客打开或关闭某一类提醒，立即生效、随时可以改回：occasion 是 birthday（生日祝福）、secondPurchase（复购关怀）、replenishment（补货提醒）、discountDay（专属折扣日）、' +
    'anniversary（相识纪念）、winBack（老朋友问候）、newProduct（新品预告）、holiday（节日问候），或 all（全部提醒）；enabled 为 false 表示关闭、true 表示重新打开。' +
    '只在顾客明确要求时调用，如"别再提醒我补货了"（replenishment, false）、"不要给我发任何提醒"（all, false）、"还是提醒我吧"（true）。' +
    '只问提醒是什么、有哪些时用 listReminders，不要调用本工具。回复时照 message 说明改了什么。',
  input: z.object({
    occasion: target.describe('提醒类型；all 表示全部'),
    enabled: z.boolean().describe('true 打开，false 关闭'),
  }),
  async execute(ctx, { occasion, enabled }) {
    const { shopId, shopperId } = ctx.caller;
    const now = ctx.clock.now();
    await setPreference(ctx.db, shopId, shopperId, occasion, enabled, now);
    const label = occasion === 'all' ? '全部提醒' : OCCASION_LABELS[occasion];
    if (!enabled) {
      return { occasion, label, enabled, message: `已为你关闭${label}，之后不会再收到${occasion === 'all' ? '店铺的提醒消息' : '这类提醒'}；想恢复随时告诉我。` };
    }
    const caveat = await stillQuiet(ctx, occasion);
    return { occasion, label, enabled, message: `已为你打开${label}${caveat ? `；${caveat}` : '，到时会按时提醒你'}。` };
  },
});
