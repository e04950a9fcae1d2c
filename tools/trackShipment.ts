import { z } from 'zod';
import { NotFound } from '../src/errors.ts';
import { DISPATCH_STATE_LABELS, DISPATCH_STATES, dispatchNote, dispatchPromise } from '../src/domain/orders/dispatch.ts';
import { getOwnOrder, type Order } from '../src/domain/orders/repo.ts';
import { latestShipment, latestShippedOrderNo, trackingTrail, type TrackingEvent } from '../src/domain/orders/shipments.ts';
import { ORDER_STATUS_LABELS, ORDER_STATUSES, SHIPMENT_STATUS_LABELS, SHIPMENT_STATUSES } from '../src/domain/orders/status.ts';
import { heldOrGetShop } from '../src/domain/shops/repo.ts';
import { typable } from '../src/text/typable.ts';
import { defineTool } from './defineTool.ts';

// Said when there is neither a parcel nor a shipping promise running (unpaid, cancelled …).
const NO_PARCEL_NOTES: Partial<Record<Order['status'], string>> = {
  created: '订单还没有付款，付款后才会安排发货。',
  cancelled: '订单已取消，不会发货。',
  refunded: '订单已退款，不会发货。',
};

const trackingEvent = z.object({ at: z.string(), status: z.string(), location: z.string(), description: z.string() });

export const trackShipment = defineTool({
  name: 'trackShipment',
  effect: 'read',
  subject: 'orders',
  orderOf: (input) => input.orderNo,
  output: z.object({
    orderNo: z.string(),
    orderStatus: z.enum(ORDER_STATUSES),
    orderStatusLabel: z.string(),
    shipment: z
      .object({
        carrier: z.string(),
        trackingNo: z.string(),
        status: z.enum(SHIPMENT_STATUSES),
        statusLabel: z.string(),
        shippedAt: z.string().nullable(),
        deliveredAt: z.string().nullable(),
        eta: z.string().nullable(),
        latestEvent: trackingEvent.nullable(),
        trail: z.array(trackingEvent),
      })
      .nullable(),
    dispatch: z
      .object({
        shipBy: z.string(),
        promiseHours: z.number(),
        state: z.enum(DISPATCH_STATES),
        stateLabel: z.string(),
        hoursLeft: z.number(),
      })
      .nullable(),
    note: z.string().nullable(),
  }),
  description:
    '查询当前顾客自己订单的物流：快递公司、运单号、物流状态、最新动态、完整轨迹（trail 按时间从早到晚，最后一条最新）和预计送达时间。' +
    '还没发货时返回承诺发货时间（shipBy）以及是否临近或已超过承诺（dispatch.state: on_track/at_risk/late）。' +
    '顾客问"到哪了""什么时候到""怎么还没发货"时使用；不给订单号时查最近一笔有物流的订单。',
  input: z.object({
    orderNo: typable().trim().min(1).max(64).optional().describe('订单号；省略时查最近一笔有物流信息的订单'),
  }),
  async execute(ctx, input) {
    const { db, caller } = ctx;
    const orderNo = input.orderNo ?? (await latestShippedOrderNo(db, caller));
    if (!orderNo) throw new NotFound('shipment');
    const order = await getOwnOrder(db, caller, orderNo);
    const shop = await heldOrGetShop(db, caller.shopId, ctx.shop);
    const shipment = await latestShipment(db, caller.shopId, order.id);
    const trail = shipment ? await trackingTrail(db, caller.shopId, shipment.id) : [];
    const dispatch = dispatchPromise(order, shipment, shop.settings.shippingPromiseHours, ctx.clock.now());
    const latest = trail.at(-1);
    return {
      orderNo: order.orderNo,
      orderStatus: order.status,
      orderStatusLabel: ORDER_STATUS_LABELS[order.status],
      shipment: shipment && {
        carrier: shipment.carrier,
        trackingNo: shipment.trackingNo,
        status: shipment.status,
        statusLabel: SHIPMENT_STATUS_LABELS[shipment.status],
        shippedAt: shipment.shippedAt?.toISOString() ?? null,
        deliveredAt: shipment.deliveredAt?.toISOString() ?? null,
        eta: shipment.eta?.toISOString() ?? null,
        latestEvent: latest ? event(latest) : null,
        trail: trail.map(event),
      },
      dispatch: dispatch && {
        shipBy: dispatch.shipBy.toISOString(),
        promiseHours: dispatch.promiseHours,
        state: dispatch.state,
        stateLabel: DISPATCH_STATE_LABELS[dispatch.state],
        hoursLeft: dispatch.hoursLeft,
      },
      note: dispatch
        ? dispatchNote(dispatch, shop.timezone)
        : shipment
          ? null
          : (NO_PARCEL_NOTES[order.status] ?? '这笔订单没有物流记录，可以帮你转人工核实。'),
    };
  },
});

function event(e: TrackingEvent) {
  return { at: e.occurredAt.toISOString(), status: e.status, location: e.location, description: e.description };
}
