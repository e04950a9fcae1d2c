// Slot extraction: the facts in one message that a tool can use — order numbers, budgets, category,
// skin type, colour, positions ("第二个"), after-sales kind and reason. Works on normalized text
// (normalize.ts); the shop's own vocabulary comes from the context, synonyms from the lexicon.
import { LEXICON, type ReasonEntry, type SynonymGroup } from './lexicon.ts';
import { CN_NUMERAL, digitiseMoney, parseChineseNumber } from './numbers.ts';
import { containsTerm, findTerm, longestTerm } from '../../text/normalize.ts';
import { romanisedSays, soundsLike } from '../../text/phonetic.ts';
import { ABOUT_HUMANS, ASKS_HOW_TO_REACH, HUMAN_REQUESTS } from '../../domain/handoff/lexicon.ts';

export interface Budget {
  minYuan?: number;
  maxYuan?: number;
}

export interface OrderRef {
  /** "最近那单", "上一单": the most recent order. */
  latest: boolean;
  /** "昨天买的", "上周买的": orders since this local day (YYYY-MM-DD). */
  since?: string;
  /** "上周买的口红": a word of the item's name. */
  productKeyword?: string;
}

export type AfterSalesKind = 'return' | 'exchange' | 'refund';

export interface CouponHint {
  code?: string;
  thresholdYuan?: number;
  amountYuan?: number;
  noThreshold?: boolean;
}

/** A value of the shop's vocabulary, or (when the shop has no such value) the shopper's word for it. */
export interface VocabMatch {
  value: string;
  /** The word as the shopper wrote it. */
  term: string;
  /** Whether value is one of the shop's own values, so a search can filter by it. */
  inShop: boolean;
}

export interface Slots {
  orderNo?: string;
  orderRef?: OrderRef;
  orderStatus?: string;
  category?: VocabMatch;
  skinType?: VocabMatch;
  color?: VocabMatch;
  effect?: VocabMatch;
  budget?: Budget;
  priceShift?: 'cheaper' | 'pricier';
  colorChange: boolean;
  more: boolean;
  /** 1-based position in the last list shown; -1 = the last one. */
  ordinal?: number;
  pronoun: boolean;
  afterSalesKind?: AfterSalesKind;
  reason?: ReasonEntry;
  afterSalesProgress: boolean;
  afterSalesQuestion: boolean;
  /** "仅退款", "不用寄回": a refund without returning the goods. */
  refundOnly: boolean;
  /** "对的", "好，申请吧": a short yes, to what the card offered last. */
  affirm: boolean;
  /** "你们发什么快递": about the shop's rules, not the shopper's own orders. */
  generalQuestion: boolean;
  howTo: boolean;
  /** "这单", "那个订单": the order talked about last. */
  orderPronoun: boolean;
  /** "几单", "哪些包裹": the question is about every order that fits, not one. */
  severalOrders: boolean;
  /** "最近三单", "last 3 orders": how many of her latest orders she means. */
  orderCount?: number;
  /** "一共", "加起来": she asks for the sum of what she lists. */
  totalAsked: boolean;
  facets: string[];
  couponClaim: boolean;
  /** The message asks for a recommendation ("有没有…", "推荐…"), not about one item. */
  recommendCue: boolean;
  coupon?: CouponHint;
  pointsAspect?: 'tasks' | 'redeem';
  pointsCost?: number;
  referralExplain: boolean;
  /** The message asks a question (吗, 怎么, ?), rather than only telling or asking for something. */
  question: boolean;
  /** The message asks for something to be done (帮我, 我要, 申请). */
  request: boolean;
  /**
   * It asks for it in words of asking ("帮我", "申请", "退货退款！"), not only by saying what went wrong
   * ("我就是不想要了" tells why, beside a question about the fee).
   */
  demand: boolean;
  /** A question about how the shop's rules work, not about the shopper's own things. */
  ruleQuestion: boolean;
  /** "要是压坏了怎么赔", "申请退款后券还给吗": a case imagined, so "申请" in it requests nothing. */
  hypothetical: boolean;
  /** "算一下 不用帮我换", "先别兑": the write the message names is one she says not to do. */
  declined: boolean;
  /** "人工几点上班", "周末有人工吗": a question about the shop's staff (their hours, how to reach them), not a request for one. */
  staffQuestion: boolean;
  /** The piece of a product's name the message says ("精粹水", "小金管液体眼影"). */
  productWord?: string;
  /** "两瓶", "一箱", "3 packs": how many of it. */
  quantity?: number;
  /** "9块9的面膜": a unit price the message states, in fen. */
  statedPriceFen?: number;
  /** "买的", "收到的", "用了": the message is about goods she already has. */
  owned: boolean;
  /** "算了 不用了", "好的 谢谢": nothing but courtesy or a dismissal; no need is named. */
  courtesyOnly: boolean;
  /** "不是要退啊 就问下…": the after-sales kind is named only to say it is not wanted. */
  kindNegated: boolean;
  /** "再来一瓶", "回购": the shopper wants again what she bought before. */
  buyAgain: boolean;
  /** "上次", "之前": something bought before is referred to. */
  pastPurchase: boolean;
  /** "怎么买", "链接发我", "帮我下单": how to buy a product is asked. */
  howToBuy: boolean;
  /** "能买…吗", "够不够": whether a coupon applies to a purchase. */
  couponForPurchase: boolean;
  /** "新人券买什么最划算": what to buy so a coupon is used. */
  couponUseUp: boolean;
  /** "反馈一下…", "提个建议": the message is framed as feedback for the shop. */
  feedbackFraming: boolean;
  /** The message carries a concrete suggestion ("能不能出小样"), not only a question about feedback. */
  suggestion: boolean;
  /** A question about the feedback programme: its reward, where to give it, whether it was read. */
  feedbackAbout: boolean;
  /** A coupon, a discount or a saving is mentioned ("有券吗", "划算"). */
  couponMention: boolean;
}

export interface Vocabulary {
  categories: readonly string[];
  colors: readonly string[];
  skinTypes: readonly string[];
  /** The products' names without brand and size (domain/catalog/vocabulary.ts). */
  productNames?: readonly string[];
}

const NUM = '(\\d+(?:\\.\\d+)?)';
const CUR = '\\s*(?:元|块钱|块|rmb|yuan)?';
const YEN = '(?:¥|￥)?\\s*';

const RANGE = [
  new RegExp(`(?<![\\d.-])${YEN}${NUM}${CUR}\\s*(?:-|~|到|至|—|–)\\s*${YEN}${NUM}${CUR}(?![\\d-])`),
  new RegExp(`between\\s*${YEN}${NUM}\\s*(?:and|-|to)\\s*${YEN}${NUM}`),
];
const AROUND = [new RegExp(`${YEN}${NUM}\\s*(?:来)?${CUR}\\s*(?:左右|上下)`), new RegExp(`${YEN}${NUM}\\s*来\\s*(?:元|块钱|块)`), new RegExp(`(?:around|about|roughly)\\s*${YEN}${NUM}`)];
// "100多块" is 100–199, "50多" 50–59: above the number, below the next step of its leading digit.
const MORE_THAN = new RegExp(`(?<![\\d.])(\\d+)\\s*多\\s*(?:元|块钱|块|的)`);
// "两百出头": a little above.
const JUST_OVER = new RegExp(`${YEN}${NUM}${CUR}\\s*出头`);
// "两三百", "一两百": between two neighbouring numbers of the same unit.
const TWO_NUMBERS = /([一二两三四五六七八九])([一二两三四五六七八九])\s*(十|百|千)/u;
const NOT_BELOW = '(?:不低于|不少于|至少|最少|起码|最低|不能低于|不要低于)';
const NOT_ABOVE = '(?:不超过|不要超过|别超过|不能超过|别超|不超|不到|不高于|最多|最高|顶多|预算在?|控制在)';
const MIN = [
  new RegExp(`${NOT_BELOW}\\s*${YEN}${NUM}`),
  new RegExp(`${YEN}${NUM}${CUR}\\s*(?:以上|起)`),
  new RegExp(`(?<!不|别|不要|不能|没|没有|不会|不想)(?:超过|高于)\\s*${YEN}${NUM}|(?:above|over|more than|at least)\\s*${YEN}${NUM}`),
];
const MAX = [
  new RegExp(`(?:${NOT_ABOVE}|(?<!不)低于|(?<!不)少于|under|below|less than|within|max|up to|no more than|cheaper than)\\s*${YEN}${NUM}`),
  new RegExp(`${YEN}${NUM}${CUR}\\s*(?:以内|以下|之内|内)`),
  new RegExp(`(?:¥|￥)\\s*${NUM}|${NUM}\\s*(?:元|块钱|块|rmb|yuan)`),
];
// Around a price means a quarter either way: "200左右" → 150–250.
const AROUND_SPREAD = 0.25;
// Above this a number is an order number, a phone or a date, not a budget.
const MAX_BUDGET_YUAN = 100_000;

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n > 0 && n < MAX_BUDGET_YUAN ? n : undefined;
}

export function extractBudget(norm: string): Budget | undefined {
  const pair = TWO_NUMBERS.exec(norm);
  if (pair) {
    const unit = parseChineseNumber(`一${pair[3]}`);
    const [a, b] = [parseChineseNumber(pair[1]!) * unit, parseChineseNumber(pair[2]!) * unit];
    if (a < b) return { minYuan: a, maxYuan: b };
  }
  const text = digitiseMoney(norm);
  // "别超过150" caps the price; "超过150" alone sets a floor: the cap is read first.
  const capped = MAX[0]!.exec(text);
  const floor = MIN[0]!.exec(text);
  if (floor && !capped) {
    const n = num(floor[1]);
    if (n !== undefined) return { minYuan: n };
  }
  const more = MORE_THAN.exec(text);
  if (more) {
    const n = num(more[1]);
    if (n !== undefined && n >= 10) {
      const step = 10 ** (String(Math.trunc(n)).length - 1);
      return { minYuan: n, maxYuan: n + step - 1 };
    }
  }
  const over = JUST_OVER.exec(text);
  if (over) {
    const n = num(over[1]);
    if (n !== undefined) return { minYuan: n, maxYuan: Math.round(n * (1 + AROUND_SPREAD)) };
  }
  for (const re of RANGE) {
    const m = re.exec(text);
    const a = num(m?.[1]);
    const b = num(m?.[2]);
    if (a !== undefined && b !== undefined && !/\d{4}-\d{1,2}/.test(m![0])) return { minYuan: Math.min(a, b), maxYuan: Math.max(a, b) };
  }
  for (const re of AROUND) {
    const n = num(re.exec(text)?.[1]);
    if (n !== undefined) return { minYuan: Math.round(n * (1 - AROUND_SPREAD)), maxYuan: Math.round(n * (1 + AROUND_SPREAD)) };
  }
  for (const re of MIN) {
    const m = re.exec(text);
    const n = num(m?.[1] ?? m?.[2]);
    if (n !== undefined) return { minYuan: n };
  }
  for (const re of MAX) {
    const m = re.exec(text);
    const n = num(m?.[1] ?? m?.[2]);
    if (n !== undefined) return { maxYuan: n };
  }
  return undefined;
}

const AFTER_SALES_QUESTION = new RegExp(LEXICON.afterSalesQuestionPattern);
const ORDER_NO = /\blt\d{10,20}\b/i;
const BARE_ORDER_NO = /(?<!\d)\d{12,20}(?!\d)/;
// Seeded and real order numbers are 'LT' + 14 digits; a shopper often copies only the digits.
const ORDER_DIGITS = 14;

export function extractOrderNo(norm: string): string | undefined {
  const m = ORDER_NO.exec(norm);
  if (m) return m[0].toUpperCase();
  const bare = BARE_ORDER_NO.exec(norm)?.[0];
  if (!bare) return undefined;
  return bare.length === ORDER_DIGITS ? `LT${bare}` : bare;
}

const MEASURE = '(?:个|款|件|支|瓶|单|种|条|项|套|盒|笔|张|只)';
const ORDINAL_CN = new RegExp(`第\\s*(\\d+|${CN_NUMERAL})\\s*(${MEASURE})?(?![次天周名年月期步季批波位届])`);
const LAST_CN = new RegExp(`最后(?:一|1)?${MEASURE}|最后那${MEASURE}?|倒数第一`);
const ORDINAL_EN = /\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|last)\s+(?:one|item|product|order|option)\b|\bthe\s+(first|second|third|fourth|fifth|last)\b/;
const NUMBER_EN = /(?:\bnumber|\bno\.?|#)\s*(\d{1,2})\b/;
// A reply that is only a number ("2", "选2", "就3号吧") picks from the list just shown.
const BARE_NUMBER = /^(?:选|要|就|选择)?\s*(\d{1,2})\s*(?:个|号|单|款|张)?\s*(?:吧|呀|啊)?[\s\p{P}]*$/u;
// A list shown to a shopper never has more than this many entries worth pointing at.
const MAX_ORDINAL = 20;

export function extractOrdinal(norm: string): number | undefined {
  if (LAST_CN.test(norm)) return -1;
  const cn = ORDINAL_CN.exec(norm);
  if (cn) {
    const n = /^\d+$/.test(cn[1]!) ? Number(cn[1]) : parseChineseNumber(cn[1]!);
    if (n >= 1 && n <= MAX_ORDINAL) return n;
  }
  const en = ORDINAL_EN.exec(norm);
  const word = en?.[1] ?? en?.[2];
  if (word) return LEXICON.ordinalWords[word];
  const n = Number(NUMBER_EN.exec(norm)?.[1] ?? BARE_NUMBER.exec(norm)?.[1]);
  return n >= 1 && n <= MAX_ORDINAL ? n : undefined;
}

/** Chinese terms are compared by containment (粉底 ~ 粉底液); English ones must be equal. */
function related(a: string, b: string): boolean {
  if (a === b) return true;
  const cjk = /\p{Script=Han}/u;
  return cjk.test(a) && cjk.test(b) && (a.includes(b) || b.includes(a));
}

/**
 * The shop's value the text names, directly or by a synonym: the shop's own words win, then the
 * lexicon's groups mapped onto them. With no shop vocabulary (a plain client) the group's first
 * word stands in, so a search can still use it.
 */
export function matchVocabulary(norm: string, shopValues: readonly string[], groups: readonly SynonymGroup[]): VocabMatch | undefined {
  const direct = longestTerm(norm, shopValues.map((v) => v.toLowerCase()));
  let best: { group: SynonymGroup; term: string } | undefined;
  for (const group of groups) {
    const term = longestTerm(norm, group);
    if (term && (!best || term.length > best.term.length)) best = { group, term };
  }
  // The longer word is what the shopper said: 混油皮 is not 油皮, 精华水 is not 精华.
  if (direct && (!best || direct.length >= best.term.length)) {
    const value = shopValues.find((v) => v.toLowerCase() === direct)!;
    return { value, term: direct, inShop: true };
  }
  if (!best) return undefined;
  const { group, term } = best;
  // Equal words first, in the group's order (its canonical word first), then containment.
  const lower = shopValues.map((v) => v.toLowerCase());
  const order = [term, ...group];
  const at = firstIndex(order, (g) => lower.indexOf(g)) ?? firstIndex(order, (g) => lower.findIndex((v) => related(v, g)));
  if (at !== undefined) return { value: shopValues[at]!, term, inShop: true };
  return { value: group[0]!, term, inShop: shopValues.length === 0 };
}

/**
 * The word to find her orders by: the shop's own category when the shopper's word maps to one (洗面奶 →
 * 洁面, which also finds a 洁颜粉 by its category), else her word as she wrote it.
 */
export function orderWord(c: VocabMatch | undefined): string | undefined {
  return c && (c.inShop ? c.value : c.term);
}

function firstIndex(items: readonly string[], indexOf: (item: string) => number): number | undefined {
  for (const item of items) {
    const i = indexOf(item);
    if (i >= 0) return i;
  }
  return undefined;
}

// "最近三单", "前两笔", "last 3 orders": a count of her latest orders (two to twenty).
const ORDER_COUNT = new RegExp(`(?:最近|前|上|近)(\\d{1,2}|${CN_NUMERAL})(?:单|笔|个订单)|\\blast (\\d{1,2}) orders\\b`, 'u');
const NOT_ARRIVED = /没到|没收到|未收到|没来|没送到|not (arrived|received)|haven'?t (arrived|received|got)/u;
const TOTAL_ASKED = /一共|总共|合计|加起来|总计|\b(in total|altogether)\b/u;

function orderCountIn(norm: string): number | undefined {
  const m = ORDER_COUNT.exec(norm);
  const said = m?.[1] ?? m?.[2];
  if (!said) return undefined;
  const n = /^\d+$/.test(said) ? Number(said) : parseChineseNumber(said);
  return n >= 2 && n <= 20 ? n : undefined;
}

const ORDER_WORDS = /买|下单|下的|订单|那单|这单|order|bought|purchased/;

function addDays(day: string, delta: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
}

/** The first day of a named period, counted back from today (weeks start on Monday, as in China). */
function periodStart(today: string, period: number | string): string {
  if (typeof period === 'number') return addDays(today, -period);
  const d = new Date(`${today}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7;
  if (period === 'thisWeek') return addDays(today, -weekday);
  if (period === 'lastWeek') return addDays(today, -weekday - 7);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (period === 'lastMonth' ? 1 : 0), 1));
  return first.toISOString().slice(0, 10);
}

const ISO_DAY = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/;
const MONTH_DAY = /(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号)/;

/** '2026-11-18' or '11月18号' (this year, or last year when that day is still to come). */
function explicitDay(norm: string, today: string): string | undefined {
  const pad = (n: string) => n.padStart(2, '0');
  const iso = ISO_DAY.exec(norm);
  if (iso) return `${iso[1]}-${pad(iso[2]!)}-${pad(iso[3]!)}`;
  const md = MONTH_DAY.exec(norm);
  if (!md) return undefined;
  const year = Number(today.slice(0, 4));
  const day = `${year}-${pad(md[1]!)}-${pad(md[2]!)}`;
  return day > today ? `${year - 1}-${pad(md[1]!)}-${pad(md[2]!)}` : day;
}

const BOUGHT_WORD = new RegExp(`买的(?:那个|那支|那瓶|那款|那件|那套)?([\\p{Script=Han}a-z]{2,6}?)(?=到|怎么|什么|啥|何时|多久|几时|呢|还|能|可以|物流|发货|的|了|[,，。？?!！\\s]|$)`, 'u');

function extractOrderRef(norm: string, today: string, category: VocabMatch | undefined): OrderRef | undefined {
  const latest = LEXICON.latestOrder.some((t) => containsTerm(norm, t));
  let since: string | undefined;
  if (ORDER_WORDS.test(norm)) {
    const time = longestTerm(norm, Object.keys(LEXICON.orderTimes));
    since = time ? periodStart(today, LEXICON.orderTimes[time]!) : explicitDay(norm, today);
  }
  const bought = BOUGHT_WORD.exec(norm)?.[1];
  const word = orderWord(category) ?? (bought && !LEXICON.orderGenericWords.includes(bought) ? bought : undefined);
  const productKeyword = word && (latest || since || bought) ? word : undefined;
  if (!latest && !since && !productKeyword) return undefined;
  return { latest, ...(since ? { since } : {}), ...(productKeyword ? { productKeyword } : {}) };
}

function extractAfterSalesKind(norm: string): AfterSalesKind | undefined {
  const kinds = LEXICON.afterSalesKinds;
  if (kinds.return.some((t) => containsTerm(norm, t))) return 'return';
  if (kinds.exchange.some((t) => containsTerm(norm, t))) return 'exchange';
  // "我要退或", "换或": the kind's words typed by sound.
  if (soundsLike(norm, '退货')) return 'return';
  if (soundsLike(norm, '换货')) return 'exchange';
  if (kinds.refund.some((t) => containsTerm(norm, t))) return 'refund';
  // "那就退吧", "我要退", "退了": 退 said alone sends the goods back (退款 was caught above).
  if (BARE_RETURN.test(norm)) return 'return';
  return undefined;
}

const BARE_RETURN = /(?:^|[就要想那帮给还])退(?:[吧呗啦了掉]|(?=[\s\p{P}\p{S}]|$))|^退(?:[吧呗啦了掉]|(?=[\s\p{P}\p{S}]|$))/u;

// "换一个", "给我换", "换！", "换个新的": 换 as the verb of an exchange. Read so only of goods she
// has (a complaint, an order, something bought or used): elsewhere "换个便宜的" refines a search, and
// 兑换 / 换券 turn points into a coupon.
const SWAP = /(?<![兑交转切替])换(?!券|积分|成现金|钱|一张|张)/u;

// A clause that is nothing but the kind asked for ("退货退款", "换！", "那我还是换吧"): a demand,
// whatever question stands beside it ("要不要拍照？").
const KIND_CLAUSE = /^(?:那就|那|我|还是|就|给我|帮我|我要|要|想|直接)*(?:退货|退款|换货|退钱|退|换)+(?:吧|呀|啊|啦|了|掉)*$/u;

const REASON_CUES = LEXICON.afterSalesReasons.flatMap((r) => r.cues);
// Request words that also say why ("不想要了"): a reason, not an ask, when no other request word stands by.
const ASKING_WORDS = LEXICON.requestCues.filter((c) => !REASON_CUES.some((r) => c.includes(r)));

function reasonOnlyAsks(norm: string): boolean {
  const rest = [...LEXICON.askIntroCues, ...REASON_CUES].reduce((t, w) => t.split(w).join(' '), norm);
  return !anyTerm(rest, ASKING_WORDS);
}

const CAN_ASK = /(?:能|可以|行)[^，。,？?！!\s]{0,10}?(?:吗|嘛|么|不)|能不能|可不可以|\b(?:can|could) i\b|is it possible/u;

function demandsKind(norm: string): boolean {
  return norm.split(/[\s\p{P}\p{S}]+/u).some((clause) => KIND_CLAUSE.test(clause));
}

const COUPON_CODE = /\b(?!LT\d)[A-Z][A-Z0-9_-]{3,}\b/;
const THRESHOLD_RULE = /满\s*(\d+)\s*减\s*(\d+)/;
const AMOUNT_COUPON = /(\d+)\s*(?:元|块)\s*(?:的)?(?:券|优惠券|红包)|(\d+)\s*yuan\s*(?:coupon|voucher)/;

function extractCoupon(norm: string, raw: string): CouponHint | undefined {
  const hint: CouponHint = {};
  const code = COUPON_CODE.exec(raw.normalize('NFKC'))?.[0];
  if (code) hint.code = code;
  const rule = THRESHOLD_RULE.exec(digitiseMoney(norm));
  if (rule) {
    hint.thresholdYuan = Number(rule[1]);
    hint.amountYuan = Number(rule[2]);
  }
  const amount = AMOUNT_COUPON.exec(norm);
  if (amount && hint.amountYuan === undefined) hint.amountYuan = Number(amount[1] ?? amount[2]);
  if (LEXICON.couponRuleWords.noThreshold.some((t) => containsTerm(norm, t))) hint.noThreshold = true;
  return Object.keys(hint).length ? hint : undefined;
}

// "帮我换一张10块的券", "就150分 换一张吧", "五千多积分全给我换了": points turned into a coupon. 换 of
// goods (换货, 换色, 换个颜色) is an exchange; "先别换" takes the redemption back.
const REDEEM = /(?:换|兑)(?!货|色|颜|号|款|尺|码|新|个颜色)(?:一张|张|个|一个|成|了|掉)?[^。，,？?！!]{0,6}(?:券|无门槛)|(?:积分|\d\s*分|几分)[^。，,？?！!]{0,5}(?:换|兑)(?!货|色|颜|号|款|尺|码)/u;
const REDEEM_NOT = /(?:别|不|不要|不用|先别)(?:兑)?换/u;

// "别跟我说什么积分换券", "不要积分", "不是积分换": a redemption named only to refuse it.
const REDEEM_REFUSED = /(?:别|不要|不用|不是|不需要|不想|没让你)[^，。,？?！!\s]{0,8}?(?:积分|兑换|换券)[^，。,？?！!\s]*|积分[^，。,？?！!\s]{0,2}?(?:不要|不用|别)[^，。,？?！!\s]*/gu;

function redeemAsked(norm: string): boolean {
  const asked = norm.replace(REDEEM_REFUSED, ' ');
  return (anyTerm(asked, LEXICON.pointsAspects.redeem) || REDEEM.test(asked)) && !REDEEM_NOT.test(asked);
}

// What may stand around courtesy words in a message that says nothing else ("算了 我再用用看吧").
const COURTESY_FILLER = /[\s\p{P}\p{S}]|我|你|吧|啦|了|哈|呀|啊|嗯|哦|那|就|先|呢|的|谢谢/gu;

/** "算了 不用了", "好的 谢谢": the message is courtesy or a dismissal and nothing more. */
function onlyCourtesy(norm: string): boolean {
  const words = [...LEXICON.smalltalkKinds.ack ?? [], ...LEXICON.smalltalkKinds.thanks ?? [], ...LEXICON.smalltalkKinds.bye ?? []];
  const found = words.filter((w) => containsTerm(norm, w));
  if (!found.length) return false;
  let rest = norm;
  for (const w of [...found].sort((a, b) => b.length - a.length)) rest = rest.split(w).join(' ');
  return rest.replace(COURTESY_FILLER, '').length === 0;
}

/** "反溃一下：…": the message opens with a feedback word, typed by sound. */
function startsBySound(norm: string, words: readonly string[]): boolean {
  const head = norm.slice(0, 4);
  return words.some((w) => soundsLike(head, w));
}

const NEGATED_KIND = /(?:不是要|不是想|并不是要|不是说要|没说要|没想|不打算|不用|不想)(?:申请)?(?:退货|换货|退款|退)/u;

// "不用帮我换", "先别兑", "don't redeem": a write named only to say it is not wanted (yet).
const DECLINED_WRITE =
  /(?:不用|不要|先别|别|暂时不|先不|不必|无需|没让你|不是让你)(?:帮我|给我|替我|你)?(?:换|兑|退|申请|提交|投)|(?:don'?t|do not|no need to|not asking you to)\s+(?:\w+\s+)?(?:redeem|return|exchange|refund|vote|submit)/u;

const AFFIRM_MAX_CHARS = 12;
const NEGATION = /不|别|没|算了|先不|不用|\bno\b|\bnot\b|don'?t/u;

/** A short yes that opens with an affirming word ("对的 整单退", "好的 麻烦了"), with no no in it. */
function isAffirmation(norm: string): boolean {
  const bare = norm.replace(/[\s\p{P}\p{S}]/gu, '');
  if (!bare || bare.length > AFFIRM_MAX_CHARS || NEGATION.test(norm)) return false;
  return LEXICON.affirmCues.some((t) => norm.trimStart().startsWith(t));
}

// "能一起用不", "到了没": a question by its last word.
const V_NOT_END = /\p{Script=Han}(?:不|没|没有)[\s\p{P}]*$/u;

const ORDER_NAMED = /那单|这单|的单|那笔|订单|买过|买的|下的单|order/u;

const A_NOT_A = /(\p{Script=Han})不\1/u;
// "是5%还是7%", "是要实付99还是商品价99": a choice between two readings asks which, with no 吗.
const EITHER_OR = /是[^，,。！!？?]{1,12}还是/u;

const POINTS_COST = /(\d+)\s*(?:of my\s+)?(?:积分|points?\b)/;

function anyTerm(norm: string, terms: readonly string[]): boolean {
  return terms.some((t) => findTerm(norm, t) >= 0 || romanisedSays(norm, t));
}

const HAN = /\p{Script=Han}/u;
const PRODUCT_WORD_MAX = 8;

/**
 * The longest piece (two Han characters or more) of a product's name that the message contains;
 * of equally long pieces, one that ends a name (its head noun: 精粹水, 身体乳) over one inside it.
 * Effect and skin-type words (保湿, 干皮) name a need, not a product.
 */
export function productWordIn(norm: string, names: readonly string[]): string | undefined {
  const { pieces, byStart } = productPieces(names);
  // Only pieces that start with two characters the message has in a row can be in it.
  const candidates: number[] = [];
  for (let i = 0; i + 2 <= norm.length; i++) {
    const found = byStart.get(norm.slice(i, i + 2));
    if (found) candidates.push(...found);
  }
  if (!candidates.length) return undefined;
  // In the order the names are read (each name's longest piece first): of two equal pieces the first
  // found stays, and one shorter than the best so far is not looked at.
  candidates.sort((a, b) => a - b);
  let best: ProductPiece | undefined;
  let last = -1;
  for (const at of candidates) {
    if (at === last) continue;
    last = at;
    const piece = pieces[at]!;
    if (best && piece.word.length < best.word.length) continue;
    if (!norm.includes(piece.word)) continue;
    if (!best || piece.word.length > best.word.length || (piece.head && !best.head)) best = piece;
  }
  return best?.word;
}

interface ProductPiece {
  word: string;
  /** It ends the name (its head noun). */
  head: boolean;
}

interface ProductPieces {
  pieces: ProductPiece[];
  /** Indexes into pieces by their first two characters, ascending. */
  byStart: Map<string, number[]>;
}

// The pieces of a catalog's names depend on the names alone: cut once per catalog (the same word list
// comes with every turn of a shop), not once per message. A few catalogs are kept, by their names' text.
const PIECES_KEPT = 16;
const piecesByNames = new Map<string, ProductPieces>();

// The same frozen list comes with every turn of a shop (agent/offline/contract.ts): found by the array
// first, without joining its hundreds of names into the key.
const piecesByList = new WeakMap<readonly string[], ProductPieces>();

function productPieces(names: readonly string[]): ProductPieces {
  const byList = piecesByList.get(names);
  if (byList) return byList;
  const made = piecesOf(names);
  if (Object.isFrozen(names)) piecesByList.set(names, made);
  return made;
}

function piecesOf(names: readonly string[]): ProductPieces {
  const key = names.join('\u0000');
  const kept = piecesByNames.get(key);
  if (kept) return kept;
  const pieces: ProductPiece[] = [];
  const byStart = new Map<string, number[]>();
  for (const name of names) {
    const top = Math.min(name.length, PRODUCT_WORD_MAX);
    for (let len = top; len >= 2; len--) {
      for (let at = 0; at + len <= name.length; at++) {
        const word = name.slice(at, at + len);
        if (!HAN.test(word) || NOT_PRODUCT_WORDS.has(word)) continue;
        const start = word.slice(0, 2);
        const list = byStart.get(start);
        if (list) list.push(pieces.length);
        else byStart.set(start, [pieces.length]);
        pieces.push({ word, head: at + len === name.length });
      }
    }
  }
  const made = { pieces, byStart };
  if (piecesByNames.size >= PIECES_KEPT) piecesByNames.delete(piecesByNames.keys().next().value!);
  piecesByNames.set(key, made);
  return made;
}

const NOT_PRODUCT_WORDS = new Set([
  ...LEXICON.effects.flat(),
  ...LEXICON.skinTypes.flat(),
  ...LEXICON.notProductWords,
]);

const QUANTITY = new RegExp(`(?<![\\d.])(\\d{1,3}|${CN_NUMERAL})\\s*(?:瓶|支|盒|罐|包|箱|袋|件|套|桶|个|片|管|只|份|提|bottles?|packs?|boxes|box|pcs)(?!装)`, 'u');
const UNIT_PRICE = new RegExp(`(?<![\\d.])(\\d{1,5}(?:\\.\\d{1,2})?)\\s*(?:元|块钱|块)?的`, 'u');

function extractQuantity(norm: string): number | undefined {
  const m = QUANTITY.exec(norm);
  if (!m) return undefined;
  const n = /\d/.test(m[1]!) ? Number(m[1]) : parseChineseNumber(m[1]!);
  return n > 0 && n <= 999 ? n : undefined;
}

/** "9块9的", "9.9的", "¥59的": the price of one, as the shopper states it. */
function extractUnitPrice(norm: string): number | undefined {
  // "9块9" is 9.9 yuan.
  const m = UNIT_PRICE.exec(digitiseMoney(norm).replace(/(\d+)\s*块\s*(\d)(?![\d毛角])/g, '$1.$2'));
  if (!m) return undefined;
  const fen = Math.round(Number(m[1]) * 100);
  return fen > 0 ? fen : undefined;
}

// "她皮肤比较干", "脸有点油": how much says nothing about which skin; without it the words match 皮肤干.
const SKIN_DEGREE = /(皮肤|脸|肤质)(?:比较|有点儿?|有些|很|特别|偏|超级|挺|太|非常|巨)+/gu;

export function extractSlots(norm: string, raw: string, vocab: Vocabulary, today: string): Slots {
  const category = matchVocabulary(norm, vocab.categories, LEXICON.categories);
  const orderNo = extractOrderNo(norm);
  const budget = orderNo ? extractBudget(norm.replace(orderNo.toLowerCase(), ' ')) : extractBudget(norm);
  const pointsAspect = redeemAsked(norm) ? 'redeem' : anyTerm(norm, LEXICON.pointsAspects.tasks) ? 'tasks' : undefined;
  const cost = POINTS_COST.exec(norm);
  // "前几天签收的": a question word inside a time phrase asks nothing.
  const asked = LEXICON.notQuestionTerms.reduce((t, w) => t.split(w).join(' '), norm);
  const orderStatus = Object.entries(LEXICON.orderStatusFilters).find(([, terms]) => anyTerm(norm, terms))?.[0];
  const slots: Slots = {
    colorChange: anyTerm(norm, LEXICON.colorChange),
    more: anyTerm(norm, LEXICON.more),
    pronoun: anyTerm(norm, LEXICON.pronouns),
    afterSalesProgress: anyTerm(norm, LEXICON.afterSalesProgress),
    afterSalesQuestion: AFTER_SALES_QUESTION.test(norm),
    refundOnly: anyTerm(norm, LEXICON.refundOnly),
    affirm: isAffirmation(norm),
    generalQuestion: anyTerm(norm, LEXICON.generalCues) && !anyTerm(norm, LEXICON.personalCues),
    howTo: anyTerm(norm, LEXICON.howToCues),
    orderPronoun: anyTerm(norm, LEXICON.orderPronouns),
    severalOrders: anyTerm(norm, LEXICON.severalOrders),
    totalAsked: TOTAL_ASKED.test(norm),
    facets: Object.entries(LEXICON.productFacets)
      .filter(([, terms]) => anyTerm(norm, terms))
      .map(([facet]) => facet),
    // "领券" opening a message asks to claim; "有什么券可以领" only asks what there is.
    couponClaim: anyTerm(norm, LEXICON.couponClaim) || /^(?:请|麻烦)?领(?:券|取|一)/.test(norm),
    referralExplain: anyTerm(norm, LEXICON.referralExplain) && !anyTerm(norm, LEXICON.referralStatusCues),
    recommendCue: anyTerm(norm, LEXICON.recommendCues),
    // "要不要", "管不管": the A-not-A question needs no question word.
    question: anyTerm(asked, LEXICON.questionCues) || A_NOT_A.test(asked) || V_NOT_END.test(asked) || EITHER_OR.test(asked),
    // "我想问下…", "想了解一下": asking, not asking for something.
    demand: false,
    request: anyTerm(LEXICON.askIntroCues.reduce((t, w) => t.split(w).join(' '), norm), LEXICON.requestCues),
    ruleQuestion: false,
    hypothetical: anyTerm(norm, LEXICON.hypotheticalCues),
    declined: DECLINED_WRITE.test(norm),
    staffQuestion: HUMAN_REQUESTS.some((r) => r.test(norm)) && (ABOUT_HUMANS.test(norm) || ASKS_HOW_TO_REACH.test(norm)),
    owned: anyTerm(norm, LEXICON.ownedCues),
    courtesyOnly: onlyCourtesy(norm),
    kindNegated: NEGATED_KIND.test(norm),
    buyAgain: anyTerm(norm, LEXICON.reorderCues),
    pastPurchase: anyTerm(norm, LEXICON.pastPurchaseCues),
    howToBuy: anyTerm(norm, LEXICON.howToBuyCues),
    couponForPurchase: anyTerm(norm, LEXICON.couponForPurchase),
    couponUseUp: anyTerm(norm, LEXICON.couponCues) && anyTerm(norm, LEXICON.cheapestCues),
    feedbackFraming: anyTerm(norm, LEXICON.feedbackFraming) || /^(?:yi ?jian|fan ?kui)\b/.test(norm) || startsBySound(norm, LEXICON.feedbackSounds),
    suggestion: anyTerm(norm, LEXICON.suggestionCues),
    feedbackAbout: anyTerm(norm, LEXICON.feedbackAbout),
    couponMention: anyTerm(norm, LEXICON.couponCues),
  };
  const personal = anyTerm(norm, LEXICON.personalCues) || Boolean(orderNo);
  slots.ruleQuestion = slots.question && (anyTerm(asked, LEXICON.ruleWords) || (!personal && (slots.generalQuestion || slots.howTo)));
  if (orderNo) slots.orderNo = orderNo;
  const orderRef = extractOrderRef(norm, today, category);
  if (orderRef) slots.orderRef = orderRef;
  if (orderStatus) slots.orderStatus = orderStatus;
  // "有几单没到", "哪些还没收到": of several orders, the ones not in her hands yet.
  else if (slots.severalOrders && NOT_ARRIVED.test(norm)) slots.orderStatus = 'not_received';
  const orderCount = orderCountIn(norm);
  if (orderCount) slots.orderCount = orderCount;
  if (category) slots.category = category;
  const skinType = matchVocabulary(norm.replace(SKIN_DEGREE, '$1'), vocab.skinTypes, LEXICON.skinTypes);
  if (skinType) slots.skinType = skinType;
  // "换个颜色" names no colour: the change itself is the slot, the old colour is excluded later.
  const color = matchVocabulary(norm, vocab.colors, LEXICON.colors);
  if (color) slots.color = color;
  const effect = matchVocabulary(norm, [], LEXICON.effects);
  if (effect) slots.effect = effect;
  if (budget) slots.budget = budget;
  if (anyTerm(norm, LEXICON.cheaper)) slots.priceShift = 'cheaper';
  else if (anyTerm(norm, LEXICON.pricier)) slots.priceShift = 'pricier';
  const ordinal = extractOrdinal(norm);
  if (ordinal !== undefined) slots.ordinal = ordinal;
  // "不是要退货，就问问规矩": the kind named is the one she does not want.
  const reason = LEXICON.afterSalesReasons.find((r) => anyTerm(norm, r.cues));
  if (reason) slots.reason = reason;
  const ownGoods = Boolean(reason || orderNo || orderRef || slots.owned || slots.pastPurchase || slots.orderPronoun);
  const swapped = ownGoods && !redeemAsked(norm) && SWAP.test(norm) ? 'exchange' : undefined;
  const kind = slots.kindNegated ? undefined : (extractAfterSalesKind(norm) ?? swapped);
  if (kind) slots.afterSalesKind = kind;
  if (kind && demandsKind(norm) && !slots.hypothetical) slots.request = true;
  // "泵头是坏的 能换个新的不": whether she may have the remedy for what went wrong with goods she has
  // asks for it; "要是不喜欢能退吗", "拆了能退吗 我只是问问" only ask.
  if (kind && reason && (slots.afterSalesQuestion || CAN_ASK.test(norm)) && !slots.hypothetical) slots.request = true;
  if (slots.kindNegated || slots.declined) slots.request = false;
  slots.demand = slots.request && (demandsKind(norm) || !reasonOnlyAsks(norm));
  const coupon = extractCoupon(norm, raw);
  if (coupon) slots.coupon = coupon;
  // "这张满120减30": a coupon's rule names a coupon as surely as 券 does.
  if (coupon?.thresholdYuan !== undefined || coupon?.noThreshold) slots.couponMention = true;
  if (pointsAspect) slots.pointsAspect = pointsAspect;
  const pointsCost = Number(cost?.[1]);
  if (pointsCost > 0) slots.pointsCost = pointsCost;
  const productWord = vocab.productNames ? productWordIn(norm, vocab.productNames) : undefined;
  if (productWord) slots.productWord = productWord;
  // "香水那单", "买牙膏那单": the order is the one holding that product.
  const named = productWord ?? orderWord(category);
  if (named && !slots.orderRef?.productKeyword && ORDER_NAMED.test(norm)) {
    slots.orderRef = { latest: slots.orderRef?.latest ?? false, ...slots.orderRef, productKeyword: named };
  }
  const quantity = extractQuantity(norm);
  if (quantity) slots.quantity = quantity;
  const unitPrice = extractUnitPrice(norm);
  if (unitPrice) slots.statedPriceFen = unitPrice;
  return slots;
}
