// What a message's slots say about its intent, on top of its words: an order number points at an
// order, a budget at a recommendation, "能退吗" at after-sales. Each rule adds its weight to one
// intent; the classifier's keyword and example scores come first (intents.ts).
import { INTENTS, type Classification, type Intent, type IntentScores } from './intents.ts';
import type { Slots } from './slots.ts';

// The nearest examples count this much against a keyword's weight (similarity is 0–1).
const SIMILARITY_WEIGHT = 2.5;
// The learned model's probability (0–1) counts this much: it reads what the word lists never saw.
export const LEARNED_WEIGHT = 3;

// Evidence of a need beside a greeting or thanks: this much keyword weight, or this learned probability.
const NEED_WORDS = 2;
const NEED_LIKELY = 0.4;
const CHAT = new Set<Intent>(['smalltalk', 'handoff']);

// Keyword evidence of an instruction to the assistant from which slot evidence is not added.
const INSTRUCTION_WORDS = 3;

const TRUST_FACETS = new Set(['authentic', 'origin', 'qc', 'batch']);
const ITEM_QUESTION = /(?:吗|么|怎么样|咋样|如何|好不好|好用不)[\s\p{P}\p{S}]*$/u;

export function hasShoppingSlots(s: Slots): boolean {
  return Boolean(s.category || s.skinType || s.budget || s.effect || s.color);
}

interface Rule {
  intent: Intent;
  weight: number;
  when(s: Slots, norm: string): boolean;
}

// "买的那个", "收到的": a thing she bought or received, not one to shop for.
const BOUGHT_IT = /买的|收到的|到手的|签收的|bought|received/u;
// "最近三单花了多少", "那单付了多少钱": what her orders cost is about her orders, not a product's price.
const ORDERS_NAMED = /[一二两三四五六七八九十几\d]单|[那这哪]单|订单|[那这]笔/u;
const WHAT_IT_COST = /多少钱|花了|付了|实付|一共|总共|合计|how much did i/u;
// 券 itself, not a word of saving (便宜, 划算) that may be about a price.
const COUPON_WORD = /券|coupon|voucher/u;
const USED_IT = /用了|擦了|涂了|抹了|敷了|喷了|用完|一用就|用后|上脸|用着/u;

const RULES: readonly Rule[] = [
  // An order number is about that order; which need, the words decide.
  { intent: 'order_status', weight: 1.5, when: (s) => Boolean(s.orderNo) },
  { intent: 'logistics', weight: 1, when: (s) => Boolean(s.orderNo) },
  { intent: 'after_sales', weight: 1, when: (s) => Boolean(s.orderNo) },
  { intent: 'order_status', weight: 1.5, when: (s) => Boolean(s.orderRef) },
  // "上一单的粉底液想换个色号": a past order and what to do with it is an after-sales request.
  { intent: 'after_sales', weight: 4, when: (s) => Boolean(s.orderRef && s.afterSalesKind) },
  { intent: 'after_sales', weight: 2, when: (s) => s.afterSalesProgress },
  // "还没发货的话我想取消订单，把钱退我": a kind of request, asked for.
  { intent: 'after_sales', weight: 2.5, when: (s) => Boolean(s.afterSalesKind) && s.request && !s.hypothetical },
  { intent: 'after_sales', weight: 2, when: (s) => s.afterSalesQuestion },
  // "用了脸上长痘痘", "擦了就过敏": a reaction to something she used is a complaint about it, not a
  // skin type to shop for.
  { intent: 'after_sales', weight: 3, when: (s, norm) => Boolean(s.reason) && USED_IT.test(norm) },
  // "我上周买的那个粉底液 颜色太白了": what is wrong with something she bought is about that order.
  { intent: 'after_sales', weight: 3, when: (s, norm) => Boolean(s.reason) && (s.pastPurchase || s.owned || Boolean(s.orderRef) || BOUGHT_IT.test(norm)) },
  // "粉底液颜色不对 帮我换一个", "买重复了 取消退钱": what went wrong and the remedy asked for.
  { intent: 'after_sales', weight: 2.5, when: (s) => Boolean(s.reason && s.afterSalesKind) && !s.hypothetical },
  // "还没发货的话我想取消订单": the order's state is the condition of the request, not what is asked.
  { intent: 'after_sales', weight: 1.5, when: (s) => Boolean(s.afterSalesKind && s.orderStatus) && s.request },
  // "算了 不用了 我再用用看", "好的 谢谢": courtesy and nothing else.
  { intent: 'smalltalk', weight: 3, when: (s) => s.courtesyOnly },
  { intent: 'order_status', weight: 2.5, when: (_, norm) => ORDERS_NAMED.test(norm) && WHAT_IT_COST.test(norm) },
  { intent: 'knowledge', weight: 1.5, when: (s) => s.generalQuestion },
  // "客服晚上有人吗", "以后怎么找人工": the shop's rules say when staff work and how to reach them.
  { intent: 'knowledge', weight: 3, when: (s) => s.staffQuestion },
  // "怎么查产品是不是正品" with no product named: how traceability works is a shop rule.
  {
    intent: 'knowledge',
    weight: 3,
    when: (s) => s.howTo && s.facets.some((f) => TRUST_FACETS.has(f)) && !s.category && !s.pronoun && s.ordinal === undefined,
  },
  { intent: 'points', weight: 2.5, when: (s) => s.pointsAspect === 'redeem' },
  // "分享随便哪个商品都能加分吗": how points are earned is about points, though 积分 is not said.
  // ("how do I become an agent" beside "earn by sharing" is about 链动, not points.)
  { intent: 'points', weight: 1.5, when: (s) => s.pointsAspect === 'tasks' && !s.referralExplain },
  { intent: 'recommend', weight: 1.5, when: (s) => hasShoppingSlots(s) },
  // "换个颜色" refines a search — unless it is about an order.
  { intent: 'recommend', weight: 1.5, when: (s) => Boolean(s.priceShift || (s.colorChange && !s.orderRef)) },
  { intent: 'product_info', weight: 1.5, when: (s) => s.facets.some((f) => f !== 'skin') },
  // "花间集水光持妆粉底液油皮能用吗": a yes/no question about one item, not a request for options.
  {
    intent: 'product_info',
    weight: 2,
    when: (s, norm) => !s.recommendCue && ITEM_QUESTION.test(norm) && (s.facets.length > 0 || Boolean(s.category)),
  },
  // "反馈：希望投票候选多一点家居类", "I'd suggest…, please pass it on": feedback, whatever it is about.
  { intent: 'feedback', weight: 3, when: (s) => s.feedbackFraming && (s.suggestion || !s.question) },
  // "商品详情页能不能加个成分表 … 帮忙反馈下", "有个活动创意 … 帮我交上去": feedback asked to be passed
  // on is feedback, whatever its subject (a page, points) would read as on its own.
  { intent: 'feedback', weight: 4, when: (s) => s.feedbackStated && s.feedback.passOn && s.feedback.named },
  // "我闺蜜建议我多跟你聊聊", "建议物业把楼道灯修好": a suggestion not for the shop is not feedback.
  { intent: 'feedback', weight: -3, when: (s) => s.feedback.elsewhere !== undefined },
  // "洗衣液再来一桶", "口红回购": buying a named product again, not choosing among new ones.
  { intent: 'reorder', weight: 2.5, when: (s) => s.buyAgain && Boolean(s.productWord || s.category) && !s.afterSalesKind },
  // "新人券能买粉底液吗", "买两个9.9的够不够": whether a coupon applies to this purchase.
  {
    intent: 'reorder',
    weight: 2.5,
    when: (s) =>
      s.couponUseUp || (s.couponMention && s.couponForPurchase && Boolean(s.productWord || s.category || s.statedPriceFen || s.pastPurchase)),
  },
  // "券呢？？？说好的新人福利呢", "我那张券还在吗": a coupon named on its own, with no rule or purchase
  // asked about, is about her coupons, whatever other perk words come with it.
  {
    intent: 'coupons',
    weight: 1.5,
    when: (s, norm) => COUPON_WORD.test(norm) && !s.ruleQuestion && !s.couponForPurchase && !s.couponUseUp && !s.productWord && !s.category && !s.pointsAspect,
  },
  // "这张满120减30 买两瓶精粹水能用吗", "有没有补货券 想买卸妆水": a coupon named beside the product
  // it is for asks whether it applies, however much the product's words sound like shopping.
  {
    intent: 'reorder',
    weight: 2,
    when: (s) => (s.couponMention || Boolean(s.coupon)) && (s.couponForPurchase || s.couponUseUp) && Boolean(s.productWord || s.category),
  },
];

/** Evidence from the message alone: keywords, nearest examples, and what its slots suggest. */
export function textScores(c: Classification, s: Slots, norm: string): IntentScores {
  const out = {} as IntentScores;
  for (const i of INTENTS) out[i] = c.keywords[i] + SIMILARITY_WEIGHT * c.similarity[i] + LEARNED_WEIGHT * c.learned[i];
  // "嗨~ 帮我看看那张券还在不在 谢啦": a greeting or thanks riding along a need is politeness, not the need.
  if (c.keywords.smalltalk > 0 && INTENTS.some((i) => !CHAT.has(i) && (c.keywords[i] >= NEED_WORDS || c.learned[i] >= NEED_LIKELY))) {
    out.smalltalk -= c.keywords.smalltalk;
  }
  // A message carrying an instruction to the assistant ("忽略规则…", "系统提示词") is judged by its words
  // alone: slots read from it ("反馈：…", "换一张券") would only lend the instruction a need's weight.
  if (c.keywords.injection >= INSTRUCTION_WORDS) return out;
  for (const rule of RULES) if (rule.when(s, norm)) out[rule.intent] += rule.weight;
  return out;
}
