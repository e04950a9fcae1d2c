// Writing a reminder (DOMAIN.md §5: personal — nickname, tier, the concrete product or coupon).
// Offline, or when a model's text fails the fact check, the templates of prompts/reminders/ write
// it; with a model, the model writes it from the facts and checkFacts() verifies every amount and
// every product or coupon name it used. A message never names a coupon the facts do not hold, and
// the facts only hold coupons already issued (coupons.ts).
import { generateText } from 'ai';
import type { Models } from '../../agent/models.ts';
import { loadPrompt, render } from '../../agent/prompts.ts';
import type { Tier } from '../../context.ts';
import type { Logger } from '../../log.ts';
import { ruleText, type CouponRule } from '../coupons/templates.ts';
import { TIER_LABELS } from '../lifecycle/labels.ts';
import { shortYuan } from '../orders/money.ts';
import type { OccasionName } from './settings.ts';

export interface ReminderFacts {
  occasion: OccasionName;
  nickname: string;
  tier: Tier;
  shopName: string;
  advisorName: string;
  /** The shop-local day of the reminder. */
  localDate: string;
  product?: { name: string; priceFen?: number };
  coupon?: CouponRule & { name: string; validUntil: string };
  holidayName?: string;
  milestone?: { days?: number; years?: number };
  firstOrderOn?: string;
  boughtOn?: string;
  runsOutOn?: string;
  discountDate?: string;
  daysLeft?: number;
  daysSince?: number;
}

export const OCCASION_LABELS: Record<OccasionName, string> = {
  birthday: '生日祝福',
  secondPurchase: '复购关怀',
  replenishment: '补货提醒',
  discountDay: '专属折扣日',
  anniversary: '相识纪念',
  winBack: '老朋友问候',
  newProduct: '新品预告',
  holiday: '节日问候',
};

// How the card addresses each tier (DOMAIN.md §2: 老铁 are greeted as such).
const GREETINGS: Record<Tier, (nickname: string) => string> = {
  new: (n) => `${n}你好`,
  converted: (n) => `${n}你好`,
  potential: (n) => `亲爱的${n}`,
  core: (n) => `亲爱的${n}`,
  laotie: (n) => `${n}老铁`,
};

/** '2026-09-25' → '9月25日' */
function monthDay(date: string | undefined): string {
  if (!date) return '';
  const [, m, d] = date.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

function milestoneText(m: ReminderFacts['milestone']): string {
  if (m?.years) return `${m.years}周年`;
  return `${m?.days ?? 100}天`;
}

/** The template's values: every placeholder of every reminder template has one. */
export function templateVars(f: ReminderFacts): Record<string, string | number> {
  const couponLine = f.coupon
    ? render(loadPrompt('reminders/coupon-line'), {
        couponName: f.coupon.name,
        couponRule: ruleText(f.coupon),
        validUntil: monthDay(f.coupon.validUntil),
      })
    : '';
  return {
    greeting: GREETINGS[f.tier](f.nickname),
    nickname: f.nickname,
    tierLabel: TIER_LABELS[f.tier],
    shopName: f.shopName,
    advisorName: f.advisorName,
    productName: f.product?.name ?? '',
    holidayName: f.holidayName ?? '',
    milestone: milestoneText(f.milestone),
    firstOrderOn: monthDay(f.firstOrderOn),
    boughtOn: monthDay(f.boughtOn),
    runsOutOn: monthDay(f.runsOutOn),
    discountDate: monthDay(f.discountDate),
    daysLeft: f.daysLeft ?? 0,
    daysSince: f.daysSince ?? 0,
    couponLine,
  };
}

export function templateMessage(f: ReminderFacts): string {
  return render(loadPrompt(`reminders/${f.occasion}`), templateVars(f)).trim();
}

const MONEY_PATTERNS = [
  /[¥￥]\s*(\d+(?:\.\d+)?)/g,
  /(\d+(?:\.\d+)?)\s*(?:元|块)/g,
  /满\s*(\d+(?:\.\d+)?)/g,
  /减\s*(\d+(?:\.\d+)?)/g,
  /(\d+(?:\.\d+)?)\s*折/g,
];
const COUPON_WORDS = /券|红包|优惠码|折扣码|立减|满减/;
const MAX_CHARS = 200;

/** The money amounts a message may state: the coupon's numbers and the product's price, in yuan. */
function allowedAmounts(f: ReminderFacts): Set<number> {
  const out = new Set<number>();
  if (f.coupon) {
    for (const fen of [f.coupon.thresholdFen, f.coupon.amountFen]) if (fen > 0) out.add(Number(shortYuan(fen)));
    if (f.coupon.kind === 'discount') out.add((100 - f.coupon.percentOff) / 10);
  }
  if (f.product?.priceFen) out.add(Number(shortYuan(f.product.priceFen)));
  return out;
}

export type FactCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether a written message keeps to its facts: every amount is one of the facts' amounts; a coupon
 * is mentioned only when issued, and then with its exact rule; the product is named, and no other
 * name of the shop's catalog or coupons (`knownNames`) appears.
 */
export function checkFacts(text: string, f: ReminderFacts, knownNames: readonly string[]): FactCheck {
  const t = text.trim();
  if (!t) return { ok: false, reason: 'empty' };
  if (t.length > MAX_CHARS) return { ok: false, reason: 'too long' };
  const allowed = allowedAmounts(f);
  for (const re of MONEY_PATTERNS) {
    for (const m of t.matchAll(re)) {
      const n = Number(m[1]);
      if (!allowed.has(n)) return { ok: false, reason: `amount ${m[0]} is not in the facts` };
    }
  }
  if (f.coupon) {
    if (!t.includes(ruleText(f.coupon))) return { ok: false, reason: 'coupon rule missing' };
  } else if (COUPON_WORDS.test(t)) return { ok: false, reason: 'mentions a coupon that was not issued' };
  if (f.product && !t.includes(f.product.name)) return { ok: false, reason: 'product name missing' };
  const own = new Set([f.product?.name, f.coupon?.name].filter((x): x is string => !!x));
  for (const name of knownNames) {
    if (name.length >= 2 && !own.has(name) && t.includes(name) && ![...own].some((o) => o.includes(name))) {
      return { ok: false, reason: `names ${name}, which is not in the facts` };
    }
  }
  return { ok: true };
}

export interface WrittenMessage {
  message: string;
  /** 'template' or the model that wrote it. */
  writtenBy: string;
}

export interface MessageWriter {
  write(facts: ReminderFacts): Promise<WrittenMessage>;
}

export interface WriterOptions {
  /** Absent or offline: templates only. */
  models?: Models;
  /** Persona and tone of the card, for the model's instructions. */
  persona?: string;
  tone?: string;
  /** Product and coupon names of the shop, for the fact check. */
  knownNames: readonly string[];
  /** Model-written messages at most (the rest use templates). */
  modelBudget: number;
  log: Logger;
  timeoutMs?: number;
}

function usesModel(models: Models | undefined): models is Models {
  return !!models && models.name !== models.offline.modelId;
}

/** The facts as the model reads them: plain Chinese-labelled JSON, amounts in yuan. */
function factsForModel(f: ReminderFacts): string {
  const v = templateVars(f);
  return JSON.stringify({
    场合: OCCASION_LABELS[f.occasion],
    称呼: v.greeting,
    等级: v.tierLabel,
    ...(f.product ? { 商品: f.product.name } : {}),
    ...(f.coupon ? { 券: { 名称: f.coupon.name, 规则: ruleText(f.coupon), 有效期至: monthDay(f.coupon.validUntil) } } : {}),
    ...(f.holidayName ? { 节日: f.holidayName } : {}),
    ...(f.milestone ? { 相识: v.milestone, 首单日期: v.firstOrderOn } : {}),
    ...(f.runsOutOn ? { 购买日期: v.boughtOn, 预计用完: v.runsOutOn } : {}),
    ...(f.discountDate ? { 折扣日: v.discountDate } : {}),
    ...(f.daysSince ? { 距上次下单天数: f.daysSince } : {}),
  });
}

export function createMessageWriter(o: WriterOptions): MessageWriter {
  let budget = o.modelBudget;
  return {
    async write(facts) {
      const fallback = { message: templateMessage(facts), writtenBy: 'template' };
      if (!usesModel(o.models) || budget <= 0) return fallback;
      budget--;
      try {
        const system = render(loadPrompt('reminders/writer'), {
          shopName: facts.shopName,
          advisorName: facts.advisorName,
          persona: o.persona ?? '',
          tone: o.tone || '亲切自然',
          occasionLabel: OCCASION_LABELS[facts.occasion],
        });
        const r = await generateText({
          model: o.models.forTurn(),
          system,
          prompt: `事实：${factsForModel(facts)}`,
          maxOutputTokens: 300,
          maxRetries: 0,
          abortSignal: AbortSignal.timeout(o.timeoutMs ?? 20_000),
        });
        // The provider wrapper answers with the offline model after a failure: that is no message.
        if ((r.providerMetadata as { laotie?: { fallback?: unknown } } | undefined)?.laotie?.fallback) return fallback;
        const text = r.text.trim();
        const check = checkFacts(text, facts, o.knownNames);
        if (check.ok) return { message: text, writtenBy: o.models.name };
        o.log.warn('reminder message failed the fact check; template used', { occasion: facts.occasion, reason: check.reason });
      } catch (e) {
        o.log.warn('reminder message model call failed; template used', { occasion: facts.occasion, err: e as Error });
      }
      return fallback;
    },
  };
}
