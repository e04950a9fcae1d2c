// The events the mall's back end sends to POST /v1/events, one zod schema per kind. Each event is
// validated on its own, so one malformed event is rejected with its reason and never blocks the rest.
import { z } from 'zod';
import { cleanText, isTypable, UNTYPABLE_MESSAGE, untypablePath } from '../../text/typable.ts';
import { SHIPMENT_STATUSES } from '../orders/status.ts';
import { parseLocalDay } from '../policy/calendar.ts';

export const MAX_EVENTS_PER_BATCH = 500;
/** Of one item in one order: more is no shopper's order but a mistake or an attack. */
export const MAX_ITEM_QUANTITY = 999;

/** Bounds an order must stay within; the operator sets the ceiling (ORDER_MAX_FEN). */
export interface EventLimits {
  orderMaxFen: number;
}

// Said of every event refused for its size: sending it again cannot help.
const NEVER = 'this event will never apply';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const openid = z.string().min(1).max(64);
const shopperId = z.number().int().positive();
const sku = z.string().min(1).max(64);
const fen = z.number().int().min(0).max(1e12);

/** Who the event is about: the mini-program openid, or our shopper id. */
const shopperRef = {
  openid: openid.optional(),
  shopperId: shopperId.optional(),
};
const hasShopper = (d: { openid?: string; shopperId?: number }) => d.openid !== undefined || d.shopperId !== undefined;
const NEEDS_SHOPPER = { message: 'openid or shopperId is required' };

const orderItem = z.object({
  sku,
  quantity: z.number().int().min(1).max(MAX_ITEM_QUANTITY, `at most ${MAX_ITEM_QUANTITY} of one item in an order: ${NEVER}`),
  unitPriceFen: fen,
});

const orderData = z.object({
  orderNo: z.string().min(1).max(64),
  ...shopperRef,
  /** Needed to create the order (order.created, or order.paid for an order not seen before). */
  items: z.array(orderItem).min(1).max(200).optional(),
  amounts: z
    .object({
      itemsFen: fen.optional(),
      discountFen: fen.default(0),
      shippingFen: fen.default(0),
      payFen: fen.optional(),
    })
    .optional(),
  address: z
    .object({
      name: z.string().max(64).optional(),
      phone: z.string().max(32).optional(),
      region: z.string().max(200).optional(),
      detail: z.string().max(500).optional(),
    })
    .optional(),
  createdAt: instant.optional(),
});
export type OrderData = z.infer<typeof orderData>;

const createdOrderData = orderData.refine((d) => d.items !== undefined, { message: 'items are required', path: ['items'] }).refine(hasShopper, NEEDS_SHOPPER);

const trackingData = z.object({
  orderNo: z.string().min(1).max(64),
  carrier: z.string().min(1).max(40),
  trackingNo: z.string().min(1).max(64),
  status: z.enum(SHIPMENT_STATUSES),
  eta: instant.optional(),
  event: z.object({
    at: instant,
    location: z.string().max(100).default(''),
    description: z.string().min(1).max(500),
  }),
});
export type TrackingData = z.infer<typeof trackingData>;

const birthday = z.string().refine((s) => parseLocalDay(s) !== null, 'must be a date YYYY-MM-DD');

const registeredData = z.object({
  openid,
  nickname: z.string().min(1).max(64),
  phone: z.string().regex(/^\+?\d{6,20}$/).optional(),
  birthday: birthday.optional(),
  gender: z.enum(['f', 'm', 'u']).optional(),
  skinType: z.string().min(1).max(20).optional(),
  referrerOpenid: openid.optional(),
});
export type RegisteredData = z.infer<typeof registeredData>;

const behaviourData = z
  .object({
    ...shopperRef,
    sku: sku.optional(),
    /** How long the page was looked at (shopper.viewed): the dwell-time tag (docs/domain.md §3 Tiers). */
    dwellSeconds: z.number().int().min(0).max(86_400).optional(),
    /** Where it was shared to, or what was asked about. */
    channel: z.string().max(40).optional(),
    topic: z.string().max(200).optional(),
  })
  .refine(hasShopper, NEEDS_SHOPPER);
export type BehaviourData = z.infer<typeof behaviourData>;
const withProduct = behaviourData.refine((d) => d.sku !== undefined, { message: 'sku is required', path: ['sku'] });

const referralData = z
  .object({
    ...shopperRef,
    referrerOpenid: openid.optional(),
    referrerId: shopperId.optional(),
  })
  .refine(hasShopper, NEEDS_SHOPPER)
  .refine((d) => d.referrerOpenid !== undefined || d.referrerId !== undefined, { message: 'referrerOpenid or referrerId is required' });
export type ReferralData = z.infer<typeof referralData>;

export const ORDER_EVENT_TYPES = [
  'order.created',
  'order.paid',
  'order.shipped',
  'order.delivered',
  'order.completed',
  'order.cancelled',
  'order.refunded',
] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

export const BEHAVIOUR_EVENT_TYPES = {
  'shopper.viewed': 'view',
  'shopper.favourited': 'favourite',
  'shopper.followed': 'follow',
  'shopper.shared': 'share',
  'shopper.consulted': 'consult',
} as const;
export type BehaviourEventType = keyof typeof BEHAVIOUR_EVENT_TYPES;

const DATA_SCHEMAS = {
  'order.created': createdOrderData,
  'order.paid': orderData,
  'order.shipped': orderData,
  'order.delivered': orderData,
  'order.completed': orderData,
  'order.cancelled': orderData,
  'order.refunded': orderData,
  'shipment.tracking': trackingData,
  'shopper.registered': registeredData,
  'shopper.viewed': behaviourData,
  'shopper.favourited': withProduct,
  'shopper.followed': behaviourData,
  'shopper.shared': behaviourData,
  'shopper.consulted': behaviourData,
  'referral.bound': referralData,
} as const;
export const EVENT_TYPES = Object.keys(DATA_SCHEMAS) as (keyof typeof DATA_SCHEMAS)[];
export type EventType = keyof typeof DATA_SCHEMAS;

const envelope = z.object({
  id: z.string().min(1).max(100),
  type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
  occurredAt: instant,
  data: z.record(z.string(), z.unknown()),
});

type DataOf<T extends EventType> = z.infer<(typeof DATA_SCHEMAS)[T]>;
export type ShopEvent = { [T in EventType]: { id: string; type: T; occurredAt: Date; data: DataOf<T> } }[EventType];

export type ParsedEvent = { ok: true; event: ShopEvent } | { ok: false; id: string | null; reason: string };

function reasonOf(error: z.ZodError, prefix = ''): string {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'event'}: ${i.message}`).join('; ');
}

/**
 * Why an order's money is over the ceiling, or null. Every amount the event names, the items' sum
 * and the total they make are held to it: an order of 9,999 × 10¹² fen would otherwise be stored,
 * counted in a shopper's spend and tier, and paid out in referral rewards.
 */
function overCeiling(d: OrderData, maxFen: number): string | null {
  const itemsFen = d.items?.reduce((sum, i) => sum + i.unitPriceFen * i.quantity, 0);
  const amounts: Array<[string, number | undefined]> = [
    ['items total', itemsFen],
    ['amounts.itemsFen', d.amounts?.itemsFen],
    ['amounts.discountFen', d.amounts?.discountFen],
    ['amounts.shippingFen', d.amounts?.shippingFen],
    ['amounts.payFen', d.amounts?.payFen],
    ['order total', itemsFen === undefined ? undefined : itemsFen - (d.amounts?.discountFen ?? 0) + (d.amounts?.shippingFen ?? 0)],
  ];
  const over = amounts.find(([, fen]) => fen !== undefined && fen > maxFen);
  return over ? `data: ${over[0]} ${over[1]} fen is over the ceiling of ${maxFen} fen per order (ORDER_MAX_FEN): ${NEVER}` : null;
}

/** Validates one raw event: envelope first, then the data of its kind, then an order's bounds. */
export function parseEvent(raw: unknown, limits: EventLimits): ParsedEvent {
  const rawId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  const id = typeof rawId === 'string' && rawId.length >= 1 && rawId.length <= 100 && isTypable(rawId) ? rawId : null;
  // Anywhere in the event, keys included: such text can never be stored, so the mall must be told
  // that sending the same event again will not help (a retryable reason would loop for ever).
  const untypable = untypablePath(raw);
  if (untypable) {
    const where = cleanText(untypable.map(String).join('.')) || 'event';
    return { ok: false, id, reason: `${where}: ${UNTYPABLE_MESSAGE}; this event will never apply as sent` };
  }
  const env = envelope.safeParse(raw);
  if (!env.success) return { ok: false, id, reason: reasonOf(env.error) };
  const data = DATA_SCHEMAS[env.data.type].safeParse(env.data.data);
  if (!data.success) return { ok: false, id, reason: reasonOf(data.error, 'data') };
  const event = { ...env.data, data: data.data } as ShopEvent;
  if (event.type.startsWith('order.')) {
    const reason = overCeiling(event.data as OrderData, limits.orderMaxFen);
    if (reason) return { ok: false, id, reason };
  }
  return { ok: true, event };
}

/** The request body: the envelope only; the events inside are validated one by one. */
export const eventBatchSchema = z.object({
  events: z.array(z.unknown()).max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per request`),
});
