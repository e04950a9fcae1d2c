// Replies about the shopper's own orders, parcels and after-sales requests, written only from
// listOrders / getOrder / trackShipment / createAfterSales results. A missing order gets one wording,
// whether it belongs to someone else or does not exist at all.
import { formatFen } from '../../domain/orders/money.ts';
import { lines, type Say } from './replies.ts';
import type { AfterSalesKind } from './slots.ts';
import { afterSalesWindow, latestEvent, type AfterSalesOutcome, type OrderDetail, type OrderLine, type Tracking } from './results.ts';

/** A status word from the templates: labels.order_paid, labels.shipment_in_transit … */
function label(say: Say, group: string, code: string, fallback: string): string {
  const key = `labels.${group}_${code}`;
  return say.has(key) ? say.t(key) : fallback;
}

/** One wording, whoever's the number is: the reply must not tell "exists, not yours" from "no such order". */
export function notFoundReply(say: Say): string {
  return say.t('orders.not_found');
}

export function noOrdersReply(say: Say, filtered: boolean): string {
  return filtered ? say.t('orders.none_filtered') : say.t('orders.none');
}

function orderLine(say: Say, o: OrderLine, n: number): string {
  return say.t('orders.list_item', {
    n,
    orderNo: o.orderNo,
    status: label(say, 'order', o.status, o.statusLabel),
    date: say.date(o.createdAt),
    items: o.items || say.t('orders.items_unknown'),
    pay: o.pay,
  });
}

// A cancelled or refunded order cost her nothing in the end.
const NOTHING_SPENT = new Set(['cancelled', 'refunded']);

function listTotal(say: Say, orders: readonly OrderLine[]): string {
  const spent = orders.filter((o) => !NOTHING_SPENT.has(o.status));
  return say.t('orders.list_total', { count: spent.length, pay: formatFen(spent.reduce((sum, o) => sum + o.payFen, 0)) });
}

/** `total`: she asked what they came to ("一共花了多少"), so the paid amounts are added up. */
export function orderListReply(say: Say, orders: readonly OrderLine[], hasMore: boolean, total = false): string {
  return lines(
    say.t('orders.list_intro', { count: orders.length }),
    ...orders.map((o, i) => orderLine(say, o, i + 1)),
    total && listTotal(say, orders),
    hasMore && say.t('orders.list_more'),
    say.t('orders.list_footer'),
  );
}

export function orderDetailReply(say: Say, d: OrderDetail): string {
  const items = d.items.map((i) => say.t('orders.item', { name: i.name, quantity: i.quantity }));
  const placed = d.timeline.find((t) => t.status === 'created')?.at ?? d.createdAt;
  const latest = d.timeline.at(-1);
  return lines(
    say.t('orders.detail', { orderNo: d.orderNo, status: label(say, 'order', d.status, d.statusLabel), date: say.dateTime(placed), pay: d.amounts.pay }),
    items.length > 0 && say.t('orders.items', { items: say.list(items) }),
    latest && latest.status !== 'created' && say.t('orders.latest_step', { step: label(say, 'order', latest.status, latest.label), at: say.dateTime(latest.at) }),
    d.shipment &&
      say.t('orders.shipment', {
        carrier: d.shipment.carrier,
        trackingNo: d.shipment.trackingNo,
        status: label(say, 'shipment', d.shipment.status, d.shipment.statusLabel),
      }),
    d.shipment?.eta && d.shipment.status !== 'delivered' && say.t('logistics.eta', { eta: say.date(d.shipment.eta) }),
    d.afterSales &&
      say.t('aftersales.progress', {
        requestNo: d.afterSales.requestNo,
        kind: label(say, 'kind', d.afterSales.kind, d.afterSales.kindLabel),
        status: label(say, 'request', d.afterSales.status, d.afterSales.statusLabel),
        amount: d.afterSales.amount,
      }),
    !d.afterSales && d.afterSalesEligible && afterSalesWindow(d).windowClosesAt && say.t('orders.after_sales_open', { until: say.date(afterSalesWindow(d).windowClosesAt) }),
  );
}

/** A parcel's state; with what is in it when the turn's order list said (a parcel is known by its contents). */
export function trackingReply(say: Say, t: Tracking, items?: string): string {
  const s = t.shipment;
  if (s) {
    const latest = latestEvent(t);
    return lines(
      say.t('logistics.shipment', { orderNo: t.orderNo, carrier: s.carrier, trackingNo: s.trackingNo, status: label(say, 'shipment', s.status, s.statusLabel) }),
      items && say.t('orders.items', { items }),
      latest &&
        // Carriers often write the place into the description already ("【杭州市】快件已…").
        (latest.location && !latest.description.includes(latest.location)
          ? say.t('logistics.latest', { at: say.dateTime(latest.at), location: latest.location, description: latest.description })
          : say.t('logistics.latest_plain', { at: say.dateTime(latest.at), description: latest.description })),
      s.status === 'delivered'
        ? say.t('logistics.delivered', { at: say.dateTime(s.deliveredAt ?? latest?.at ?? '') || say.t('logistics.recently') })
        : s.eta && say.t('logistics.eta', { eta: say.date(s.eta) }),
      s.status === 'exception' && say.t('logistics.exception'),
    );
  }
  const d = t.dispatch;
  if (d) {
    const state = ['on_track', 'at_risk', 'late'].includes(d.state) ? d.state : 'on_track';
    return say.t(`logistics.dispatch_${state}`, {
      orderNo: t.orderNo,
      shipBy: say.dateTime(d.shipBy),
      promiseHours: d.promiseHours,
      hoursLeft: Math.max(1, d.hoursLeft),
    });
  }
  const key = `logistics.no_parcel_${t.orderStatus}`;
  return say.has(key) ? say.t(key, { orderNo: t.orderNo }) : say.t('logistics.no_parcel', { orderNo: t.orderNo });
}

export function noShipmentReply(say: Say): string {
  return say.t('logistics.none');
}

export function askOrderReply(say: Say, candidates: readonly OrderLine[], kindKnown: boolean): string {
  return lines(
    say.t('aftersales.ask_order'),
    ...candidates.map((o, i) => orderLine(say, o, i + 1)),
    kindKnown ? say.t('aftersales.ask_order_footer') : say.t('aftersales.ask_order_and_kind'),
  );
}

export function askKindReply(say: Say, orderNo: string): string {
  return say.t('aftersales.ask_kind', { orderNo });
}

export function noneEligibleReply(say: Say, orders: readonly OrderLine[]): string {
  if (!orders.length) return say.t('orders.none');
  // Each order's own reason (the domain words it in Chinese): a window that closed, a parcel still on its way.
  const why = (o: OrderLine) => (say.lang === 'zh' && o.afterSales.note ? `\n   ${o.afterSales.note}` : '');
  return lines(say.t('aftersales.none_eligible'), ...orders.map((o, i) => orderLine(say, o, i + 1) + why(o)), say.t('aftersales.none_eligible_footer'));
}

/** Asked again after the list of orders closed to requests: no list, the way left (a person), one tap. */
export function noneEligibleAgainReply(say: Say, kind: AfterSalesKind | undefined): { text: string; quickReplies: string[] } {
  const what = kind ? label(say, 'kind', kind, kind) : say.t('aftersales.any_kind');
  return { text: say.t('aftersales.none_eligible_again', { kind: what }), quickReplies: [say.t('aftersales.to_person')] };
}

export function afterSalesResultReply(say: Say, r: AfterSalesOutcome, orderNo: string): string {
  if (r.accepted) {
    const kind = label(say, 'kind', r.kind, r.kind);
    // The domain's next step is written in Chinese; other languages get the template for the kind.
    const next = say.lang === 'zh' && r.next ? r.next : say.t(`aftersales.next_${r.kind}`, { amount: r.amount });
    return lines(
      say.t('aftersales.accepted', { orderNo, requestNo: r.requestNo, kind, amount: r.amount }),
      next,
      r.needsStaffReview && say.t('aftersales.staff_review'),
    );
  }
  const refusal = `aftersales.refused_${r.reason}`;
  if (say.lang === 'zh' && r.message) return lines(say.t('aftersales.refused', { orderNo }), r.message);
  return lines(say.t('aftersales.refused', { orderNo }), say.has(refusal) ? say.t(refusal, { date: say.date(r.windowClosedAt ?? '') }) : say.t('aftersales.refused_other'));
}

/**
 * Whether the order can get a request now. When it can and the kind is known (named, or the only one
 * an unshipped order allows), the card offers that request as a question with two taps; the shopper's
 * yes then asks for it (and still confirms the exact action before anything is filed).
 */
export function eligibilityReply(say: Say, d: OrderDetail, kind?: AfterSalesKind): { text: string; quickReplies?: string[] } {
  const items = say.list(d.items.map((i) => i.name)) || say.t('orders.items_unknown');
  const window = afterSalesWindow(d);
  if (d.afterSalesEligible) {
    const until = say.date(window.windowClosesAt);
    const offered = kind && window.kinds.includes(kind) ? label(say, 'kind', kind, kind) : undefined;
    const text = lines(
      until ? say.t('aftersales.eligible', { orderNo: d.orderNo, items, until }) : say.t('aftersales.eligible_refund', { orderNo: d.orderNo, items }),
      offered ? say.t('aftersales.offer_kind', { kind: offered }) : say.t('aftersales.eligible_offer'),
    );
    return offered ? { text, quickReplies: [say.t('aftersales.offer_yes', { kind: offered }), say.t('aftersales.offer_no')] } : { text };
  }
  const refusal = `aftersales.refused_${window.code}`;
  const why = say.lang === 'zh' && window.message ? window.message : say.has(refusal) ? say.t(refusal, { date: say.date(window.windowClosesAt) }) : say.t('aftersales.refused_other');
  return { text: lines(say.t('aftersales.not_eligible', { orderNo: d.orderNo, items }), why) };
}

export function progressReply(say: Say, d: OrderDetail): string {
  if (!d.afterSales) return say.t('aftersales.no_request', { orderNo: d.orderNo, status: label(say, 'order', d.status, d.statusLabel) });
  return say.t('aftersales.progress', {
    requestNo: d.afterSales.requestNo,
    kind: label(say, 'kind', d.afterSales.kind, d.afterSales.kindLabel),
    status: label(say, 'request', d.afterSales.status, d.afterSales.statusLabel),
    amount: d.afterSales.amount,
  });
}
