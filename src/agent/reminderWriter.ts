// The reminder writer: the agent's side of the daily reminders. Offline, in a dry run, or when a
// model's text fails the domain's fact check, the templates of prompts/reminders/ write the message;
// with a model, the model writes it from the facts and checkFacts() verifies every amount and every
// product or coupon name it used.
import { generateText } from 'ai';
import type { Tier } from '../context.ts';
import { ruleText } from '../domain/coupons/templates.ts';
import { TIER_LABELS } from '../domain/lifecycle/labels.ts';
import { checkFacts, OCCASION_LABELS, type MessageWriter, type ReminderFacts, type WriterFactory, type WriterRequest } from '../domain/reminders/message.ts';
import type { Logger } from '../log.ts';
import type { Models, TurnModel } from './models.ts';
import type { ShopModels } from './shopModels.ts';
import { readTurnReport } from './offline/contract.ts';
import { loadPrompt, render } from './prompts.ts';

// How the card addresses each tier (docs/domain.md §8 Reminders: 老铁 are greeted as such).
const GREETINGS: Record<Tier, (nickname: string) => string> = {
  new: (n) => `${n}你好`,
  converted: (n) => `${n}你好`,
  potential: (n) => `亲爱的${n}`,
  core: (n) => `亲爱的${n}`,
  laotie: (n) => `${n}老铁`,
};

// What running out of a product means, by its category: a refill reminder for a detergent is not
// about skincare (docs/domain.md §8 Reminders: the concrete product). Shops name categories freely,
// so a category is read by its words; one not recognised gets words true of any product.
const KEEP_STOCKED: [RegExp, string][] = [
  [/家居|日用|家清|清洁|洗衣|洗洁|柔顺|洗手液|纸/, '家里别断货'],
  [/工具|粉扑|刷|美妆蛋/, '化妆时别缺了它'],
  [/彩妆|口红|唇|粉底|眼影|眉|睫毛|腮红|底妆/, '别让妆容断档'],
  [/身体|护手|沐浴|磨砂|香体|身体乳/, '别让身体护理断档'],
  [/护肤|化妆水|爽肤水|精华|面霜|乳液|洁面|卸妆|面膜|眼霜|眼膜|防晒|水乳|面部/, '别让护肤断档'],
];
const KEEP_STOCKED_ANY = '用完前就能接上';

export function keepStocked(category: string | undefined): string {
  if (!category) return KEEP_STOCKED_ANY;
  return KEEP_STOCKED.find(([re]) => re.test(category))?.[1] ?? KEEP_STOCKED_ANY;
}

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
    keepStocked: keepStocked(f.product?.category),
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

export interface WriterOptions extends Partial<Pick<WriterRequest, 'persona' | 'tone'>>, Pick<WriterRequest, 'knownNames' | 'modelBudget'> {
  /** Absent or offline: templates only. */
  models?: Models;
  /** The model of the run's shop (its own, else the service's); offline: templates only. Replaces `models`. */
  modelFor?: () => Promise<TurnModel>;
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
    ...(f.product ? { 商品: f.product.name, ...(f.product.category ? { 品类: f.product.category } : {}) } : {}),
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
      if (budget <= 0) return fallback;
      // Chosen per message, as a turn chooses per turn: a model that failed one message is tried again on the next.
      const writer = o.modelFor ? await o.modelFor() : usesModel(o.models) ? { model: o.models.forTurn(), name: o.models.name, source: 'service' as const } : null;
      if (!writer || writer.source === 'offline') return fallback;
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
          model: writer.model,
          system,
          prompt: `事实：${factsForModel(facts)}`,
          maxOutputTokens: 300,
          maxRetries: 0,
          abortSignal: AbortSignal.timeout(o.timeoutMs ?? 20_000),
        });
        // The provider wrapper answers with the offline model after a failure: that is no message.
        if (readTurnReport(r.providerMetadata)?.fallback) return fallback;
        const text = r.text.trim();
        const check = checkFacts(text, facts, o.knownNames);
        if (check.ok) return { message: text, writtenBy: writer.name };
        o.log.warn('reminder message failed the fact check; template used', { occasion: facts.occasion, reason: check.reason });
      } catch (e) {
        o.log.warn('reminder message model call failed; template used', { occasion: facts.occasion, err: e as Error });
      }
      return fallback;
    },
  };
}

/**
 * The writer factory a daily run is given: the shop's own model, else the service's when it has one
 * (never for a dry run).
 */
export function reminderWriters(models: Models | undefined, log: Logger, shopModels?: ShopModels): WriterFactory {
  return (r) => {
    if (r.dryRun || !models) return createMessageWriter({ ...r, log });
    return createMessageWriter({ ...r, models, modelFor: shopModels ? () => shopModels.forShop(r.shopId) : undefined, log });
  };
}
