// The offline model's word lists (data/lexicon.json), typed once here so every module reads the same
// shapes. Words are data: tuning the model to a shop's way of speaking means editing the JSON.
import raw from './data/lexicon.json' with { type: 'json' };

/** A group of words meaning one thing; the first is the canonical form. */
export type SynonymGroup = readonly string[];

export interface ReasonEntry {
  zh: string;
  en: string;
  /** A fault of the goods: the shop still answers it after the window, through a person. */
  fault?: boolean;
  cues: readonly string[];
}

export interface Lexicon {
  negators: readonly string[];
  negationExceptions: readonly string[];
  categories: readonly SynonymGroup[];
  skinTypes: readonly SynonymGroup[];
  /** Template keys of the skin-type groups, in the same order (advisor tips). */
  skinTypeKeys: readonly string[];
  colors: readonly SynonymGroup[];
  colorChange: readonly string[];
  effects: readonly SynonymGroup[];
  cheaper: readonly string[];
  pricier: readonly string[];
  more: readonly string[];
  pronouns: readonly string[];
  ordinalWords: Readonly<Record<string, number>>;
  latestOrder: readonly string[];
  orderTimes: Readonly<Record<string, number | string>>;
  afterSalesKinds: Readonly<Record<'return' | 'exchange' | 'refund', readonly string[]>>;
  afterSalesReasons: readonly ReasonEntry[];
  afterSalesProgress: readonly string[];
  /** "还能退货吗", "can I return…": asks whether a return is possible, rather than asking for one. */
  afterSalesQuestionPattern: string;
  /** "你们一般…": a question about the shop, not about the shopper's own orders ("我的…"). */
  generalCues: readonly string[];
  personalCues: readonly string[];
  /** "怎么查…", "如何辨别…": asks how something works. */
  howToCues: readonly string[];
  /** "这单", "那个订单": the order just talked about. */
  /** "我有几单在路上", "还没收到的单子有哪些": every order in a state, not the latest one alone. */
  severalOrders: readonly string[];
  orderPronouns: readonly string[];
  orderStatusFilters: Readonly<Record<string, readonly string[]>>;
  productFacets: Readonly<Record<string, readonly string[]>>;
  couponClaim: readonly string[];
  pointsAspects: Readonly<Record<'tasks' | 'redeem', readonly string[]>>;
  /** Words that make a message naming a redemption a question about it ("积分换券划算吗", "duihuan guize shi sha"). */
  redeemAskWords: readonly string[];
  referralExplain: readonly string[];
  /** "我现在是什么身份": asks where the shopper stands, not how the scheme works. */
  referralStatusCues: readonly string[];
  orderGenericWords: readonly string[];
  couponRuleWords: { noThreshold: readonly string[] };
  /** Words that say nothing about what to recommend ("推荐一款好用的"). */
  recommendFiller: readonly string[];
  /** Words that ask for a recommendation ("有没有", "推荐"), not about one item. */
  recommendCues: readonly string[];
  /** English words of a knowledge question and the Chinese words the shop's documents use. */
  knowledgeQueryTerms: Readonly<Record<string, string>>;
  /** Added to the search for a question about the staff ("renggong jidian xiaban", "customer service hours"): the words the shop's rules use for them. */
  staffQueryTerms: string;
  /** One-word English messages ("thanks") that say the shopper writes English. */
  englishWords: readonly string[];
  unresolvedCues: readonly string[];
  /** A message in question form ("吗", "怎么", "?"): asking, not (yet) asking for something to be done. */
  questionCues: readonly string[];
  /** A message that asks for something to be done ("帮我", "我要", "申请"). */
  requestCues: readonly string[];
  /** Words of a question about how the shop's rules work ("怎么算", "有效期", "几层"). */
  ruleWords: readonly string[];
  /** Reminder occasions (src/domain/reminders/settings.ts) by the words shoppers use, and 'all'. */
  reminderOccasions: Readonly<Record<string, readonly string[]>>;
  /** Switching a reminder off ("别再提醒我", "关掉") or on ("打开", "还是提醒我吧"). */
  reminderOff: readonly string[];
  reminderOn: readonly string[];
  /** A question about losing the tier ("会不会降级"). */
  membershipDemotion: readonly string[];
  /** "反馈一下", "提个建议", "建议以后…": a message framed as feedback for the shop. */
  feedbackFraming: readonly string[];
  /** Feedback words matched by sound too (反溃 for 反馈). */
  feedbackSounds: readonly string[];
  /** About the feedback programme rather than feedback itself: its reward, where, whether it was read. */
  feedbackAbout: readonly string[];
  /** The message carries an actual suggestion ("能不能出小样", "希望多一点家居类"). */
  suggestionCues: readonly string[];
  /** Words that name feedback itself (src/agent/offline/feedbackAsk.ts). */
  feedbackWords: readonly string[];
  /** "帮我反馈", "转给商家", "pass it on": feedback asked to be passed on. */
  feedbackPassOn: readonly string[];
  /** "还没想好 下次再说", "随口说说": feedback held back. */
  feedbackHeld: readonly string[];
  /** Words that carry nothing to pass on, left out when a clause's substance is measured. */
  feedbackFillers: readonly string[];
  /** Parties outside the shop a suggestion or complaint may be meant for ("物业", "外卖店"). */
  outsideParties: readonly string[];
  /** Words of complaining, beside the feedback words, that may name a party outside the shop. */
  complaintWords: readonly string[];
  /** Terms of the feedback programme in the shop's rules: the sentence with most of them is quoted. */
  feedbackRuleTerms: readonly string[];
  /** Added to a question about feedback so the search finds the programme's rule. */
  feedbackQuery: string;
  /** "要是…", "退款后…": a case imagined, not a request made. */
  hypotheticalCues: readonly string[];
  /** "投票数最高的那款", "最便宜的那个": a candidate picked by a superlative. */
  voteSuperlatives: { most: readonly string[]; fewest: readonly string[]; cheapest: readonly string[]; dearest: readonly string[] };
  /** "对", "好的", "申请吧": a short yes to what the card offered. */
  affirmCues: readonly string[];
  /** "仅退款": money back without sending the goods back. */
  refundOnly: readonly string[];
  /** Pieces of product names that do not name a product by themselves ("上次", "套装"). */
  notProductWords: readonly string[];
  /** "上次", "之前": what was bought before. */
  pastPurchaseCues: readonly string[];
  /** "能买…吗", "够不够": whether a coupon applies to a purchase. */
  couponForPurchase: readonly string[];
  /** "再来一瓶", "回购": buying again what was bought before. */
  reorderCues: readonly string[];
  /** "怎么买", "链接发我", "帮我下单": where a product is bought (the card cannot order it). */
  howToBuyCues: readonly string[];
  /** A coupon or a saving asked about beside a purchase. */
  couponCues: readonly string[];
  /** "新人券买什么最划算": what to buy to use a coupon up. */
  cheapestCues: readonly string[];
  /** "我想问下", "想了解": words that open a question, so their 想 asks for nothing. */
  askIntroCues: readonly string[];
  /** "前几天", "好几次": question words inside phrases that ask nothing. */
  notQuestionTerms: readonly string[];
  /** "买的", "收到的", "用了": the message is about goods she already has. */
  ownedCues: readonly string[];
  /** Kinds of small talk, each answered by its own template (greeting is the default). */
  smalltalkKinds: Readonly<Record<string, readonly string[]>>;
}

export const LEXICON: Lexicon = raw as Lexicon;
