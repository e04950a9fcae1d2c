// The tiers in the words shoppers and staff read (docs/domain.md §3 Tiers): one wording everywhere —
// the card's prompt, coupon and vote refusals, the staff console, reminders — and the tag metrics the
// rules test, as a shopper reads what is still needed for the next tier.
import type { Tier } from '../../context.ts';
import type { Metric } from './tags.ts';

export const TIER_LABELS: Record<Tier, string> = {
  new: '新用户',
  converted: '转化用户',
  potential: '潜力用户',
  core: '核心用户',
  laotie: '老铁',
};

export const METRIC_LABELS: Record<Metric, string> = {
  orderCount: '有效订单数',
  repurchaseCount: '复购次数',
  gmvFen: '累计消费',
  firstOrderFen: '首单金额',
  aovFen: '客单价',
  aovVsShopPct: '客单价相对店铺平均',
  firstOrderVsShopPct: '首单金额相对店铺平均',
  daysSinceLastPaid: '距上次付款天数',
  ordersLast30d: '近30天订单数',
  viewsLast30d: '近30天浏览次数',
  newProductViewsLast30d: '近30天看过的新品数',
  dwellMinutes: '累计浏览分钟数',
  favourites: '收藏的商品数',
  followed: '关注公众号',
  consults: '咨询次数',
  shares: '分享次数',
  feedbacks: '提交的建议数',
  referredUsers: '推荐的人数',
  referredBuyers: '推荐的人中下过单的人数',
  referralConversionPct: '推荐转化率',
};
