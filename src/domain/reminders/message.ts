// What a reminder says is written by the agent (src/agent/reminderWriter.ts: a template, or a model
// from the facts); the domain holds the facts it may use and the check every written message must
// pass (docs/domain.md §8 Reminders: personal — nickname, tier, the concrete product or coupon). A
// message never names a coupon the facts do not hold, and the facts only hold coupons already issued
// (coupons.ts). The daily run (run.ts) takes a writer; it never calls a model itself.
import type { Tier } from '../../context.ts';
import { ruleText, type CouponRule } from '../coupons/templates.ts';
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
  /** The product's category as the shop names it (化妆水, 家居日用 …): what the wording may assume it is. */
  product?: { name: string; priceFen?: number; category?: string };
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

/** What a run knows that its writer needs: the card's voice and the names the fact check guards. */
export interface WriterRequest {
  /** The shop whose reminders are written: its own model writes them when it has one. */
  shopId: string;
  /** Persona and tone of the card, for a model's instructions. */
  persona: string;
  tone: string;
  /** Product and coupon names of the shop, for the fact check. */
  knownNames: readonly string[];
  /** Model-written messages at most (the rest use templates). */
  modelBudget: number;
  /** A dry run shows messages without spending model calls. */
  dryRun: boolean;
}

/** The agent's writer for one run. */
export type WriterFactory = (request: WriterRequest) => MessageWriter;
