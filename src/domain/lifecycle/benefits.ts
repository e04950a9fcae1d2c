// What each tier gets (docs/domain.md §3.5), stated from the shop's settings in force rather than the
// document's defaults: the hand-off priority tiers and SLA, the vote's voter tiers, the policy
// coupons' audiences and rules, the growth tasks, the referral policy's boosted and trial tiers, the
// reminder occasions' tiers. What is fixed in code (the advisor's tiers, the 老铁 lifetime reward and
// greeting) is read from where the code fixes it. Loading only reads; tierBenefits is pure.
import { TIERS, type Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { ruleText } from '../coupons/templates.ts';
import { priorityOf } from '../handoff/priority.ts';
import { handoffOffered, loadHandoffRules, type HandoffSettings } from '../handoff/settings.ts';
import { shortYuan } from '../orders/money.ts';
import { policyCoupons, type PolicyCoupon, type PolicyTrigger } from '../policy/templates.ts';
import { getReferralPolicy, type ReferralPolicy } from '../referral/policy.ts';
import { loadReminderSettings } from '../reminders/repo.ts';
import type { ReminderSettings } from '../reminders/settings.ts';
import type { Shop } from '../shops/repo.ts';
import { usesAdvisor } from './advisor.ts';
import { TIER_LABELS } from './labels.ts';
import type { LifecycleRules } from './rules.ts';

export const BENEFIT_KEYS = [
  'advisor',
  'handoffPriority',
  'productVotes',
  'laotieLifetimeReward',
  'referralBoost',
  'agentTrial',
  'birthday',
  'discountDay',
  'secondPurchaseCoupon',
  'growthTasks',
  'pointsRedeem',
  'newProductPreview',
  'laotieGreeting',
] as const;
export type BenefitKey = (typeof BENEFIT_KEYS)[number];

export interface Benefit {
  key: BenefitKey;
  name: string;
  detail: string;
}

/** The shop's settings that decide the benefits. */
export interface BenefitFacts {
  advisorName: string;
  discountDay: number;
  handoff: HandoffSettings;
  community: LifecycleRules['community'];
  tasks: LifecycleRules['tasks'];
  referral: ReferralPolicy;
  reminders: ReminderSettings;
  coupons: Record<PolicyTrigger, PolicyCoupon[]>;
}

export async function loadBenefitFacts(db: Queryable, shop: Shop, rules: LifecycleRules): Promise<BenefitFacts> {
  return {
    advisorName: shop.card.advisorName,
    discountDay: shop.settings.discountDay,
    handoff: (await loadHandoffRules(db, shop.id)).handoff,
    community: rules.community,
    tasks: rules.tasks,
    referral: (await getReferralPolicy(db, shop.id)).policy,
    reminders: (await loadReminderSettings(db, shop.id)).settings,
    coupons: await policyCoupons(db, shop.id),
  };
}

const percent = (bps: number) => `${bps / 100}%`;
const PERIOD = { once: '一次', day: '每天', week: '每周', month: '每月' } as const;

function couponFor(f: BenefitFacts, trigger: PolicyTrigger, tier: Tier): PolicyCoupon | undefined {
  return f.coupons[trigger].find((c) => c.audienceTiers.includes(tier));
}

function reminds(f: BenefitFacts, occasion: keyof ReminderSettings['occasions'], tier: Tier): boolean {
  const o = f.reminders.occasions[occasion];
  return f.reminders.enabled && o.enabled && o.tiers.includes(tier);
}

function handoffPriority(f: BenefitFacts, tier: Tier): Benefit | null {
  if (!handoffOffered(f.handoff, tier)) return null;
  const parts: string[] = [];
  if (f.handoff.priorityTiers.includes(tier)) parts.push(`服务时间内 ${f.handoff.slaMinutes.priority} 分钟内有人工回复`);
  const behind = TIERS.filter((t) => priorityOf(t, false) < priorityOf(tier, false) && handoffOffered(f.handoff, t));
  if (behind.length) parts.push(`转人工时排在${behind.map((t) => TIER_LABELS[t]).join('、')}前面`);
  return parts.length ? { key: 'handoffPriority', name: '人工服务优先', detail: parts.join('；') } : null;
}

function birthday(f: BenefitFacts, tier: Tier): Benefit | null {
  if (!reminds(f, 'birthday', tier)) return null;
  const c = couponFor(f, 'birthday', tier);
  return c
    ? { key: 'birthday', name: '生日券', detail: `生日当天送祝福和「${c.name}」（${ruleText(c)}，${c.validDays} 天内有效）` }
    : { key: 'birthday', name: '生日祝福', detail: '生日当天送上祝福' };
}

function referral(f: BenefitFacts, tier: Tier): Benefit[] {
  const p = f.referral;
  const out: Benefit[] = [];
  // rewards.ts pays the lifetime reward to a referrer whose tier is 老铁, whatever their identity.
  if (tier === 'laotie' && p.laotieLifetimeRateBps > 0) {
    out.push({ key: 'laotieLifetimeReward', name: '老铁终身奖励', detail: `你直接推荐的好友每付一笔订单，你都得到实付金额 ${percent(p.laotieLifetimeRateBps)} 的奖励` });
  }
  if (p.boostedTiers.includes(tier)) {
    out.push({
      key: 'referralBoost',
      name: '推荐加速',
      detail: `直推 ${p.bossAgentReferralsCore} 名代理即可升为老板（其他等级要 ${p.bossAgentReferrals} 名），当老板时团队奖 ${percent(p.teamRateBpsCore)}（其他等级 ${percent(p.teamRateBps)}）`,
    });
  }
  if (p.trialTiers.includes(tier)) {
    out.push({
      key: 'agentTrial',
      name: '代理体验权',
      detail: `普通用户可开通一次 ${p.trialDays} 天的代理体验，期间推荐的好友付了第一单，你得到一次 ¥${shortYuan(p.trialRewardFen)} 奖励`,
    });
  }
  return out;
}

function coupons(f: BenefitFacts, tier: Tier): Benefit[] {
  const out: Benefit[] = [];
  const discount = couponFor(f, 'discount_day', tier);
  if (discount) out.push({ key: 'discountDay', name: '专属折扣日', detail: `每月 ${f.discountDay} 日是你的专属折扣日（${ruleText(discount)}）` });
  const second = couponFor(f, 'second_purchase', tier);
  if (second) {
    out.push({ key: 'secondPurchaseCoupon', name: '复购券', detail: `第一单付款后送「${second.name}」（${ruleText(second)}，${second.validDays} 天内有效）` });
  }
  const tasks = f.tasks.filter((t) => t.audienceTiers.includes(tier));
  if (tasks.length) {
    out.push({ key: 'growthTasks', name: '成长任务', detail: tasks.map((t) => `${t.name}得 ${t.points} 积分（${PERIOD[t.period]}）`).join('；') });
  }
  const redeem = couponFor(f, 'points_redeem', tier);
  if (redeem?.pointsCost) {
    out.push({ key: 'pointsRedeem', name: '积分兑换', detail: `积分可以兑换优惠券，例如 ${redeem.pointsCost} 积分换「${redeem.name}」（${ruleText(redeem)}）` });
  }
  return out;
}

/** What a shopper of `tier` gets at this shop, the most distinctive first. */
export function tierBenefits(tier: Tier, f: BenefitFacts): Benefit[] {
  const out: Benefit[] = [];
  if (usesAdvisor(tier)) out.push({ key: 'advisor', name: '专属顾问', detail: `专属顾问${f.advisorName}结合你的肤质和购买记录给护理和使用建议` });
  const handoff = handoffPriority(f, tier);
  if (handoff) out.push(handoff);
  const { vote } = f.community;
  if (vote.voterTiers.includes(tier)) {
    out.push({ key: 'productVotes', name: '选品投票', detail: `参与新品选品投票，每场可投 ${vote.votesPerShopper} 票，得票最高的 ${vote.topN} 款上架` });
  }
  out.push(...referral(f, tier));
  const bday = birthday(f, tier);
  if (bday) out.push(bday);
  out.push(...coupons(f, tier));
  if (reminds(f, 'newProduct', tier)) out.push({ key: 'newProductPreview', name: '新品预告', detail: '有和你喜好相近的新品上架时第一时间告诉你' });
  // The reminder writer greets 老铁 by that name (docs/domain.md §8.3).
  if (tier === 'laotie') out.push({ key: 'laotieGreeting', name: '老铁称呼', detail: '店铺的消息和提醒都以“老铁”称呼你' });
  return out;
}

/** What `to` gets that `from` does not (a benefit whose terms differ counts as gained). */
export function benefitsGained(from: readonly Benefit[], to: readonly Benefit[]): Benefit[] {
  const had = new Set(from.map((b) => `${b.key}\u0000${b.detail}`));
  return to.filter((b) => !had.has(`${b.key}\u0000${b.detail}`));
}
