// What each occasion is, in the shopper's words and with the shop's own numbers (docs/domain.md §8.1
// Occasions): the card answers "补货提醒是什么" from the settings in force, not from a fixed text.
// No coupon is promised here: whether one comes depends on the shop's templates and the tier.
import type { ShopSettings } from '../shops/settings.ts';
import { HOLIDAYS } from './occasions/holidays.ts';
import type { OccasionName, ReminderSettings } from './settings.ts';

export function occasionDescription(name: OccasionName, settings: ReminderSettings, shop: Pick<ShopSettings, 'discountDay'>): string {
  const o = settings.occasions;
  switch (name) {
    case 'birthday':
      return '生日当天送上生日祝福';
    case 'secondPurchase':
      return `第一单付款后第 ${o.secondPurchase.startAfterDays}–${o.secondPurchase.withinDays - 1} 天内提醒一次复购（仍只有这一单时）`;
    case 'replenishment':
      return `买过的消耗品预计用完前 ${o.replenishment.leadDays} 天提醒补货（按商品的使用周期和购买数量估算）`;
    case 'discountDay':
      return `每月 ${shop.discountDay} 日专属折扣日的前 ${o.discountDay.daysBefore} 天提醒`;
    case 'anniversary': {
      const marks = [...o.anniversary.days.map((d) => `第 ${d} 天`), ...o.anniversary.years.map((y) => `满 ${y} 年`)];
      return marks.length ? `第一单之后${marks.join('、')}的纪念问候` : '首购纪念问候（店铺目前没有设定纪念日）';
    }
    case 'winBack':
      return `上一单之后 ${o.winBack.afterDays} 天没有再下单时问候一次`;
    case 'newProduct':
      return `近 ${o.newProduct.launchedWithinDays} 天上架、和你的喜好相近且没买过的新品预告`;
    case 'holiday': {
      const keys = o.holiday.keys;
      const names = HOLIDAYS.filter((h) => !keys || keys.includes(h.key)).map((h) => h.name);
      return names.length ? `节日问候：${names.join('、')}` : '节日问候（店铺目前没有选节日）';
    }
  }
}
