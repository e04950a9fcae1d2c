// Customer service over the shopper's own orders (docs/domain.md §2 Card): status, logistics, after-sales.
// Without an order number the flows find the order first (listOrders), pick it when the message
// says which ("最近那单", "上周买的口红", "第二个"), and ask once when several could be meant.
import { TOOLS } from '../../../tools/index.ts';
import { allOf, callOr, cannot, errorOf, reply, replyWith, valueOf, type Decision, type Flow, type PlannedInput } from './flow.ts';
import { knowledgeFlow } from './flowService.ts';
import { pick } from './recall.ts';
import {
  afterSalesResultReply,
  askKindReply,
  eligibilityReply,
  askOrderReply,
  noneEligibleAgainReply,
  noneEligibleReply,
  noOrdersReply,
  noShipmentReply,
  notFoundReply,
  orderDetailReply,
  orderListReply,
  progressReply,
  trackingReply,
} from './replyOrders.ts';
import { resultOf, type OrderDetail, type OrderLine } from './results.ts';
import { lines } from './replies.ts';
import { orderWord, type AfterSalesKind, type Slots } from './slots.ts';

const { listOrders, getOrder, trackShipment, createAfterSales, getProduct } = TOOLS;

const RECENT = 5;
const LIST_STATUSES = ['to_pay', 'to_ship', 'in_transit', 'received', 'not_received', 'refunded', 'cancelled'];
// Orders an after-sales request can be made for: paid (refund before shipping) or received.
const AFTER_SALES_STATUSES = ['paid', 'delivered', 'completed'];

export function afterSalesCandidates(orders: readonly OrderLine[]): OrderLine[] {
  return orders.filter((o) => AFTER_SALES_STATUSES.includes(o.status));
}

/** The list filters a message implies ("上周买的口红", "还没发货的"). */
function listFilter(s: Slots, limit = s.orderCount ?? RECENT): PlannedInput<typeof listOrders> {
  return {
    status: s.orderStatus && LIST_STATUSES.includes(s.orderStatus) ? (s.orderStatus as PlannedInput<typeof listOrders>['status']) : undefined,
    since: s.orderRef?.since,
    productKeyword: s.orderRef?.productKeyword,
    limit,
  };
}

const filtered = (s: Slots) => Boolean(s.orderStatus || s.orderRef?.since || s.orderRef?.productKeyword);

type ListInput = PlannedInput<typeof listOrders>;
type Listed = NonNullable<ReturnType<typeof valueOf<typeof listOrders>>>;

/**
 * The same list with its least certain filter dropped: the state first ("口红那单发货没" asks the state,
 * it does not pick by it), then the day ("前天" off by one); what she named stays.
 */
function looser(input: ListInput): ListInput | undefined {
  if (input.status) return { ...input, status: undefined };
  if (input.since && input.productKeyword) return { ...input, since: undefined };
  return undefined;
}

/** The same list without its day: the only filter an after-sales search keeps. */
const withoutDay = (input: ListInput): ListInput | undefined => (input.since ? { ...input, since: undefined } : undefined);

/**
 * Her orders as the message filters them; when that finds none, the list again with a filter
 * dropped (looser), so a question about an order she has is not answered "no such order".
 */
function listing(f: Flow, first: ListInput, loosen: (input: ListInput) => ListInput | undefined = looser): { call: Decision } | { listed: Listed } {
  const calls = allOf(f, listOrders);
  if (calls.length === 0) return { call: callOr(f, listOrders, first, cannot(f, 'orders')) };
  const listed = valueOf(f, listOrders);
  const last = calls.at(-1)!;
  if (listed === undefined || listed.orders.length > 0 || !last.outcome?.ok) return { listed: listed ?? { orders: [], hasMore: false } };
  const next = loosen(last.input as ListInput);
  if (!next) return { listed };
  return { call: callOr(f, listOrders, next, cannot(f, 'orders')) };
}

/** An order of the list shown earlier that the message points at: by position or by an item's name. */
function orderFromShown(f: Flow, candidatesOnly: boolean): OrderLine | 'out_of_range' | undefined {
  const list = f.u.recall.list;
  if (list?.kind !== 'orders') return undefined;
  const shown = candidatesOnly ? afterSalesCandidates(list.items) : list.items;
  const s = f.u.slots;
  if (s.ordinal !== undefined) return pick(shown, s.ordinal) ?? 'out_of_range';
  const word = s.orderRef?.productKeyword ?? orderWord(s.category);
  const byItem = word ? shown.filter((o) => o.items.toLowerCase().includes(word) || o.products.some((p) => p.category === word)) : [];
  return byItem.length === 1 ? byItem[0] : undefined;
}

const ORDER_INTENTS = ['order_status', 'logistics', 'after_sales'];
// "那物流呢", "能退吗": a follow-up this short is about the order just talked about.
const FOLLOW_UP_CHARS = 8;

/** The order talked about in the last two turns, when the message refers to it ("这单", a short follow-up). */
function focusedOrder(f: Flow): string | undefined {
  const { slots: s, recall, past, norm } = f.u;
  if (!recall.order || recall.order.turnsAgo > 2) return undefined;
  const bare = norm.replace(/[\s\p{P}\p{S}]/gu, '');
  const followUp = bare.length <= FOLLOW_UP_CHARS && ORDER_INTENTS.includes(past.at(-1)?.intent ?? '') && !s.orderRef && s.ordinal === undefined;
  return s.orderPronoun || followUp ? recall.order.orderNo : undefined;
}

/** What an order holds, when this turn's order list showed it. */
function itemsListed(f: Flow, orderNo: string): string | undefined {
  return valueOf(f, listOrders)?.orders.find((o) => o.orderNo === orderNo)?.items;
}

// Parcels tracked at once under a list of orders: more would bury the list.
const TRACKED_AT_ONCE = 3;

/** Several orders, and where each one on its way is ("两个包裹分别到哪了"): the list, then each parcel. */
function parcelsOf(f: Flow, listed: Listed): Decision {
  const moving = listed.orders.filter((o) => o.status === 'shipped').slice(0, TRACKED_AT_ONCE);
  const tracked = allOf(f, trackShipment).map((e) => resultOf(trackShipment, e)).filter((t) => t !== undefined);
  if (moving.length > 0 && allOf(f, trackShipment).length === 0) {
    const plans = moving.map((o) => f.tools.plan(trackShipment, { orderNo: o.orderNo })).filter((p) => p !== null);
    if (plans.length > 0) return { kind: 'calls', calls: plans };
  }
  return reply(lines(orderListReply(f.say, listed.orders, listed.hasMore), ...tracked.map((t) => trackingReply(f.say, t, itemsListed(f, t.orderNo)))));
}

function notFound(f: Flow): Decision {
  return reply(notFoundReply(f.say));
}

export function orderStatusFlow(f: Flow): Decision {
  const s = f.u.slots;
  const detail = valueOf(f, getOrder);
  if (detail) return reply(orderDetailReply(f.say, detail));
  const tracking = valueOf(f, trackShipment);
  if (tracking) return reply(trackingReply(f.say, tracking, itemsListed(f, tracking.orderNo)));
  if (errorOf(f, getOrder) || errorOf(f, trackShipment)) return notFound(f);
  const shown = orderFromShown(f, false);
  if (shown === 'out_of_range') return reply(f.say.t('orders.no_such_position'));
  const orderNo = s.orderNo ?? shown?.orderNo ?? focusedOrder(f);
  const waitingToShip = s.orderStatus === 'to_ship';
  if (orderNo) {
    return waitingToShip
      ? callOr(f, trackShipment, { orderNo }, cannot(f, 'logistics'))
      : callOr(f, getOrder, { orderNo }, cannot(f, 'orders'));
  }
  const found = listing(f, listFilter(s));
  if ('call' in found) return found.call;
  const { orders, hasMore } = found.listed;
  const first = orders[0];
  if (!first) return reply(noOrdersReply(f.say, filtered(s)));
  if (orders.length === 1 || (s.orderRef?.latest && !s.orderCount)) {
    return waitingToShip && first.status === 'paid'
      ? callOr(f, trackShipment, { orderNo: first.orderNo }, cannot(f, 'logistics'))
      : callOr(f, getOrder, { orderNo: first.orderNo }, cannot(f, 'orders'));
  }
  return reply(orderListReply(f.say, orders, hasMore, s.totalAsked));
}

export function logisticsFlow(f: Flow): Decision {
  const said = f.u.slots;
  // "粉底液到没到": the parcel of the order holding what she names, not the latest parcel.
  const named = said.productWord ?? orderWord(said.category);
  const s: Slots = !said.orderRef && named ? { ...said, orderRef: { latest: false, productKeyword: named } } : said;
  const several = s.severalOrders && !s.orderRef?.latest;
  const listedSeveral = several ? valueOf(f, listOrders) : undefined;
  if (listedSeveral && listedSeveral.orders.length > 1) return parcelsOf(f, listedSeveral);
  const tracking = valueOf(f, trackShipment);
  if (tracking) return reply(trackingReply(f.say, tracking, itemsListed(f, tracking.orderNo)));
  if (errorOf(f, trackShipment)) return s.orderNo ? notFound(f) : noParcelYet(f);
  const shown = orderFromShown(f, false);
  if (shown === 'out_of_range') return reply(f.say.t('orders.no_such_position'));
  const orderNo = s.orderNo ?? shown?.orderNo ?? focusedOrder(f);
  if (orderNo) return callOr(f, trackShipment, { orderNo }, cannot(f, 'logistics'));
  // "我有几单在路上", "还没收到的单子有哪些": every order in that state; the parcel only when there is one.
  // Parcels with no state named are the ones not received yet.
  if (several) {
    const listed = listedSeveral;
    // "我两个包裹分别到哪了": the parcels she counts are her latest ones, whatever their state.
    const inState = { ...s, orderStatus: s.orderStatus ?? (s.orderCount ? undefined : 'not_received') };
    if (listed === undefined) return callOr(f, listOrders, listFilter(inState), cannot(f, 'orders'));
    const [first] = listed.orders;
    if (!first) return reply(noOrdersReply(f.say, true));
    return callOr(f, trackShipment, { orderNo: first.orderNo }, cannot(f, 'logistics'));
  }
  // "最近那单到哪了" means the latest order, shipped or not; "快递到哪了" the latest parcel.
  if (s.orderRef) {
    const found = listing(f, listFilter(s, filtered(s) ? RECENT : 1));
    if ('call' in found) return found.call;
    const first = found.listed.orders[0];
    if (!first) return reply(noOrdersReply(f.say, filtered(s)));
    return callOr(f, trackShipment, { orderNo: first.orderNo }, cannot(f, 'logistics'));
  }
  return callOr(f, trackShipment, {}, cannot(f, 'logistics'));
}

/**
 * No parcel has left yet: the latest order may still be waiting to ship (the tracking then tells its
 * shipping promise), or there is no order at all.
 */
function noParcelYet(f: Flow): Decision {
  const listed = valueOf(f, listOrders);
  if (listed === undefined) return callOr(f, listOrders, { limit: 1 }, () => noShipmentReply(f.say));
  const first = listed.orders[0];
  if (!first) return reply(noOrdersReply(f.say, false));
  const tried = allOf(f, trackShipment).some((e) => e.input.orderNo === first.orderNo);
  return tried ? reply(noShipmentReply(f.say)) : callOr(f, trackShipment, { orderNo: first.orderNo }, cannot(f, 'logistics'));
}

/**
 * The kind of request: the one the shopper named, else what the reason implies — a wrong shade or
 * size is exchanged, anything else returned — and a paid, unshipped order can only be refunded.
 */
function kindFor(s: Slots, order: OrderLine | undefined): AfterSalesKind | undefined {
  const open = order?.afterSales.kinds ?? [];
  if (order?.status === 'paid' || (open.length === 1 && open[0] === 'refund')) return 'refund';
  // "一上脸就斑驳 退钱": money back for goods she has means sending them back, unless she says refund only.
  if (s.afterSalesKind === 'refund' && order && open.includes('return') && !s.refundOnly) return 'return';
  if (s.afterSalesKind) return s.afterSalesKind;
  if (!s.reason) return undefined;
  return s.reason.zh === '色号不合适' ? 'exchange' : 'return';
}

/** What the shopper named of the thing bought: the product word, or the shop's word for its category. */
function namedProduct(f: Flow): string[] {
  const s = f.u.slots;
  return [s.productWord, s.orderRef?.productKeyword, s.category?.value, s.category?.term].filter((w): w is string => Boolean(w)).map((w) => w.toLowerCase());
}

/** Orders whose items the shopper named ("粉底液那单", "the foundation"). */
function ordersNaming(orders: readonly OrderLine[], words: readonly string[]): OrderLine[] {
  if (!words.length) return [];
  // "the toner" names a 精粹水 by the shop's category for it, not by a word of its name.
  return orders.filter(
    (o) => o.products.some((p) => words.some((w) => p.name.toLowerCase().includes(w) || p.category.toLowerCase() === w)) || words.some((w) => o.items.toLowerCase().includes(w)),
  );
}

function progressFlow(f: Flow): Decision {
  const s = f.u.slots;
  const detail = valueOf(f, getOrder);
  if (detail) return reply(progressReply(f.say, detail));
  if (errorOf(f, getOrder)) return notFound(f);
  const shown = orderFromShown(f, false);
  const orderNo = s.orderNo ?? (shown !== 'out_of_range' ? shown?.orderNo : undefined) ?? focusedOrder(f);
  if (orderNo) return callOr(f, getOrder, { orderNo }, cannot(f, 'orders'));
  const listed = valueOf(f, listOrders);
  if (listed === undefined) return callOr(f, listOrders, listFilter(s), cannot(f, 'orders'));
  const { orders } = listed;
  // A request lives on a received or refunded order: the most recent such order is the one asked about.
  const first = orders.find((o) => [...AFTER_SALES_STATUSES, 'refunded'].includes(o.status)) ?? orders[0];
  if (!first) return reply(noOrdersReply(f.say, filtered(s)));
  return callOr(f, getOrder, { orderNo: first.orderNo }, cannot(f, 'orders'));
}

/** "还能退货吗": whether the order asked about (else the latest that could be) may get a request. */
function eligibilityFlow(f: Flow): Decision {
  const s = f.u.slots;
  const detail = valueOf(f, getOrder);
  if (detail) return eligibilityAnswer(f, detail, detail.status === 'paid' ? 'refund' : kindFor(s, undefined));
  if (errorOf(f, getOrder)) return notFound(f);
  const shown = orderFromShown(f, true);
  const orderNo = s.orderNo ?? (shown !== 'out_of_range' ? shown?.orderNo : undefined) ?? focusedOrder(f);
  if (orderNo) return callOr(f, getOrder, { orderNo }, cannot(f, 'orders'));
  const listed = valueOf(f, listOrders);
  if (listed === undefined) return callOr(f, listOrders, { ...listFilter(s), status: undefined }, cannot(f, 'orders'));
  const { orders } = listed;
  const latest = afterSalesCandidates(orders)[0];
  if (!latest) return reply(noneEligibleReply(f.say, orders));
  return callOr(f, getOrder, { orderNo: latest.orderNo }, cannot(f, 'orders'));
}

// What a question about an after-sales request asks besides "can I": its cost, time, steps.
const PROCESS_QUESTION = /运费|运废|邮费|快递费|多久|几天|要不要|需不需要|用不用|拍照|照片|流程|手续|步骤|谁出|谁付|谁承担|怎么(?:弄|办|操作|申请|寄)|how long|who pays|shipping fee/u;

export function afterSalesFlow(f: Flow): Decision {
  const s = f.u.slots;
  const created = valueOf(f, createAfterSales);
  const requested = f.turn.exchanges.find((e) => e.name === createAfterSales.name);
  const requestedNo = typeof requested?.input.orderNo === 'string' ? requested.input.orderNo : undefined;
  if (created !== undefined) return reply(afterSalesResultReply(f.say, created, requestedNo ?? ''));
  if (errorOf(f, createAfterSales)) return notFound(f);
  if (s.afterSalesProgress) return progressFlow(f);
  // "不是要退货 就想知道退货的规矩": how the rules work, about no order of hers.
  if (s.ruleQuestion && !s.request && !s.orderNo && !s.orderRef && !namedProduct(f).length && f.tools.has(TOOLS.searchKnowledge)) return knowledgeFlow(f);
  // "能退吗 这单我不要了": a question that also asks for it is a request.
  // "那单精粹水能退钱吗" is answered (and the request offered); "对，申请吧" after the offer asks for it.
  if (s.afterSalesQuestion && !s.request && !s.affirm) return eligibilityFlow(f);
  // "换货的时候运费要我出吗", "不是要退 就问下": how a request would go, or one she says not to make,
  // is answered with what her order allows; the request is offered, not stated.
  // "退货运费谁出啊 我就是不想要了": the why beside a question about the fee asks for nothing.
  if (s.declined || (s.question && !s.demand && !s.affirm && PROCESS_QUESTION.test(f.u.norm))) return eligibilityFlow(f);
  // "我推荐的人退款了 我的钱是不是没了": a question that asks for no request is answered, the request offered.
  if (s.question && !s.request && !s.affirm && s.ordinal === undefined) return eligibilityFlow(f);
  // "要是面膜敷了不合适 退还是换": a case imagined asks for nothing, whatever kind it names.
  if (s.hypothetical && !s.request && !s.affirm) return eligibilityFlow(f);
  // "面霜用了过敏" tells what went wrong without asking for anything: the card offers the request
  // (要我帮你申请退货吗？) rather than stating one for her to confirm.
  if (!s.afterSalesKind && !s.request && !s.affirm && s.ordinal === undefined) return eligibilityFlow(f);
  // The order the shopper named cannot get a request now: say why, from its own details.
  const detail = valueOf(f, getOrder);
  if (detail && !detail.afterSalesEligible) return eligibilityAnswer(f, detail);

  let order: OrderLine | undefined;
  let orderNo = s.orderNo ?? focusedOrder(f);
  if (!orderNo) {
    const shown = orderFromShown(f, true);
    if (shown === 'out_of_range') return reply(f.say.t('orders.no_such_position'));
    order = shown;
    // "第1个" of orders none of which can get a request: say why for the one she chose.
    if (order && !order.afterSales.open) return callOr(f, getOrder, { orderNo: order.orderNo }, cannot(f, 'orders'));
    if (!order) {
      // "今天刚到的粉底 买重复了": the day may be when it arrived, not when it was bought; the recent
      // orders are read again without it before saying there is none.
      const found = listing(f, { ...listFilter(s, AFTER_SALES_LOOKBACK), status: undefined, productKeyword: undefined }, withoutDay);
      if ('call' in found) return found.call;
      const picked = pickForAfterSales(f, found.listed.orders);
      if ('reply' in picked) return picked.reply;
      order = picked.order;
    }
    orderNo = order.orderNo;
  }
  // The order talked about was listed as closed to requests ("换货吧" after being told so): say why
  // from its details rather than file a request the shop would refuse.
  const listed = shownOrder(f, orderNo);
  if (!detail && listed && !listed.afterSales.open) return callOr(f, getOrder, { orderNo }, cannot(f, 'orders'));
  const kind = kindFor(s, order);
  if (!kind) return reply(askKindReply(f.say, orderNo));
  const reason = s.reason ? s.reason[f.say.lang] : shopperWords(f) || f.say.t('aftersales.default_reason', { kind: f.say.t(`labels.kind_${kind}`) });
  return callOr(f, createAfterSales, { orderNo, kind, reason }, cannot(f, 'after_sales'));
}

// Orders read when looking for the one to return: recent enough to be inside any return window.
const AFTER_SALES_LOOKBACK = 10;
const REASON_MAX = 200;

/** The shopper's own words as the reason, when no listed reason fits ("脱妆厉害", "oxidizes"). */
function shopperWords(f: Flow): string {
  // "对的" to the card's offer is not a reason: the message that asked is.
  const said = f.u.slots.affirm ? (f.u.past.at(-1)?.turn.user ?? f.u.raw) : f.u.raw;
  return said.replace(/\s+/g, ' ').trim().slice(0, REASON_MAX);
}

/**
 * The order a request is for: the one whose items the shopper named, else the only one a request
 * can be made for now; several that fit are listed for the shopper to choose, none is explained.
 */
function pickForAfterSales(f: Flow, orders: readonly OrderLine[]): { order: OrderLine } | { reply: Decision } {
  const s = f.u.slots;
  const open = orders.filter((o) => o.afterSales.open);
  const named = namedProduct(f);
  const naming = ordersNaming(orders, named);
  const fits = named.length ? naming.filter((o) => o.afterSales.open) : open;
  if (named.length && naming.length && !fits.length) return { reply: eligibilityOfNamed(f, naming[0]!) };
  if (fits.length === 1) return { order: fits[0]! };
  if (fits.length > 1 && s.orderRef?.latest) return { order: fits[0]! };
  if (!fits.length) return { reply: noneEligibleAgain(f) ? replyWith(noneEligibleAgainReply(f.say, kindFor(s, undefined))) : reply(noneEligibleReply(f.say, orders)) };
  return { reply: reply(askOrderReply(f.say, fits, kindFor(s, undefined) !== undefined)) };
}

/**
 * Whether the order can get a request, from its details; a fault of the goods (broken, a reaction)
 * past the window is still the shop's to answer, through a person (knowledge/demo 退换货与退款政策).
 */
function eligibilityAnswer(f: Flow, detail: OrderDetail, kind?: AfterSalesKind): Decision {
  const answer = eligibilityReply(f.say, detail, kind);
  if (detail.afterSalesEligible || !f.u.slots.reason?.fault) return replyWith(answer);
  return replyWith({ text: lines(answer.text, f.say.t('aftersales.fault_person')), quickReplies: [f.say.t('aftersales.to_person')] });
}

/** An order of the list on screen, by its number. */
function shownOrder(f: Flow, orderNo: string): OrderLine | undefined {
  const list = f.u.recall.list;
  return list?.kind === 'orders' ? list.items.find((o) => o.orderNo === orderNo) : undefined;
}

/**
 * The last turn already listed her orders as closed to requests, and she asks again ("换货吧"): the
 * list again would say nothing new; what is left is a person, for a fault the window does not cover.
 */
function noneEligibleAgain(f: Flow): boolean {
  const { past, recall } = f.u;
  const last = past.at(-1);
  if (last?.intent !== 'after_sales' || last.turn.exchanges.some((e) => e.name === createAfterSales.name)) return false;
  return recall.list?.kind === 'orders' && recall.list.turnsAgo === 1 && !recall.list.items.some((o) => o.afterSales.open);
}

/** The order named cannot get a request now: its own reason, read from its details. */
function eligibilityOfNamed(f: Flow, order: OrderLine): Decision {
  return callOr(f, getOrder, { orderNo: order.orderNo }, cannot(f, 'orders'));
}
