// Order results (listOrders, getOrder, trackShipment, createAfterSales) as the replies use them.
import { list, numberOr, obj, text, texts } from './facts.ts';

export interface OrderLine {
  orderNo: string;
  status: string;
  statusLabel: string;
  createdAt: string;
  pay: string;
  /** listOrders: '修护精华 ×1、补水面膜 ×2'. */
  items: string;
  shipmentStatus: string;
}

export function readOrderLines(v: unknown): { orders: OrderLine[]; hasMore: boolean } {
  const r = obj(v);
  const orders = list(r.orders)
    .map((o) => ({
      orderNo: text(o.orderNo),
      status: text(o.status),
      statusLabel: text(o.statusLabel),
      createdAt: text(o.createdAt),
      pay: text(o.pay),
      items: text(o.items),
      shipmentStatus: text(obj(o.shipment).status),
    }))
    .filter((o) => o.orderNo !== '');
  return { orders, hasMore: r.hasMore === true };
}

export interface OrderDetail {
  orderNo: string;
  status: string;
  statusLabel: string;
  createdAt: string;
  items: { name: string; quantity: number; unitPrice: string }[];
  pay: string;
  timeline: { status: string; label: string; at: string }[];
  shipment: { carrier: string; trackingNo: string; status: string; statusLabel: string; eta: string } | null;
  afterSales: { requestNo: string; kind: string; kindLabel: string; status: string; statusLabel: string; amount: string } | null;
  afterSalesEligible: boolean;
  afterSalesKinds: string[];
  afterSalesMessage: string;
  afterSalesCode: string;
  windowClosesAt: string;
}

export function readOrderDetail(v: unknown): OrderDetail | null {
  const o = obj(v);
  if (!text(o.orderNo)) return null;
  const s = o.shipment ? obj(o.shipment) : null;
  const a = o.afterSales ? obj(o.afterSales) : null;
  const reason = obj(o.afterSalesReason);
  return {
    orderNo: text(o.orderNo),
    status: text(o.status),
    statusLabel: text(o.statusLabel),
    createdAt: text(o.createdAt),
    items: list(o.items).map((i) => ({ name: text(i.name), quantity: numberOr(i.quantity, 1)!, unitPrice: text(i.unitPrice) })),
    pay: text(obj(o.amounts).pay),
    timeline: list(o.timeline).map((t) => ({ status: text(t.status), label: text(t.label), at: text(t.at) })),
    shipment: s && { carrier: text(s.carrier), trackingNo: text(s.trackingNo), status: text(s.status), statusLabel: text(s.statusLabel), eta: text(s.eta) },
    afterSales: a && {
      requestNo: text(a.requestNo),
      kind: text(a.kind),
      kindLabel: text(a.kindLabel),
      status: text(a.status),
      statusLabel: text(a.statusLabel),
      amount: text(a.amount),
    },
    afterSalesEligible: o.afterSalesEligible === true,
    afterSalesKinds: texts(reason.kinds),
    afterSalesMessage: text(reason.message),
    afterSalesCode: text(reason.code),
    windowClosesAt: text(reason.windowClosesAt) || text(reason.windowClosedAt),
  };
}

export interface TrackingEvent {
  at: string;
  status: string;
  location: string;
  description: string;
}

export interface Tracking {
  orderNo: string;
  orderStatus: string;
  shipment: {
    carrier: string;
    trackingNo: string;
    status: string;
    statusLabel: string;
    eta: string;
    deliveredAt: string;
    latest: TrackingEvent | null;
  } | null;
  dispatch: { shipBy: string; state: string; promiseHours: number | null; hoursLeft: number | null } | null;
  note: string;
}

function readEvent(v: unknown): TrackingEvent | null {
  const e = obj(v);
  if (!text(e.at) && !text(e.description)) return null;
  return { at: text(e.at), status: text(e.status), location: text(e.location), description: text(e.description) };
}

export function readTracking(v: unknown): Tracking | null {
  const t = obj(v);
  if (!text(t.orderNo)) return null;
  const s = t.shipment ? obj(t.shipment) : null;
  const d = t.dispatch ? obj(t.dispatch) : null;
  return {
    orderNo: text(t.orderNo),
    orderStatus: text(t.orderStatus),
    shipment: s && {
      carrier: text(s.carrier),
      trackingNo: text(s.trackingNo),
      status: text(s.status),
      statusLabel: text(s.statusLabel),
      eta: text(s.eta),
      deliveredAt: text(s.deliveredAt),
      latest: readEvent(s.latestEvent) ?? readEvent(list(s.trail).at(-1)),
    },
    dispatch: d && { shipBy: text(d.shipBy), state: text(d.state), promiseHours: numberOr(d.promiseHours, null), hoursLeft: numberOr(d.hoursLeft, null) },
    note: text(t.note),
  };
}

export interface AfterSalesOutcome {
  accepted: boolean;
  requestNo: string;
  kind: string;
  amount: string;
  needsStaffReview: boolean;
  next: string;
  reason: string;
  message: string;
  windowClosedAt: string;
}

export function readAfterSales(v: unknown): AfterSalesOutcome {
  const r = obj(v);
  return {
    accepted: r.accepted === true,
    requestNo: text(r.requestNo),
    kind: text(r.kind),
    amount: text(r.amount),
    needsStaffReview: r.needsStaffReview === true,
    next: text(r.next),
    reason: text(r.reason),
    message: text(r.message),
    windowClosedAt: text(r.windowClosedAt),
  };
}
