// Shipments and their tracking trails: from the supplier's warehouse through the transfer centres to
// the shopper's district. A trail shows only the steps that happened by `now`; the ETA is the planned
// delivery.
import { SURNAMES } from './peopleData.ts';
import type { Rng } from './rng.ts';
import { HOUR } from './time.ts';
import type { OrderSeed, ShipmentSeed, SupplierSeed, TrackingEventSeed } from './types.ts';

const CARRIERS: ReadonlyArray<{ name: string; weight: number; trackingNo: (rng: Rng) => string }> = [
  { name: '顺丰速运', weight: 35, trackingNo: (rng) => `SF${rng.digits(13)}` },
  { name: '中通快递', weight: 25, trackingNo: (rng) => `78${rng.digits(12)}` },
  { name: '圆通速递', weight: 20, trackingNo: (rng) => `YT${rng.digits(13)}` },
  { name: '京东物流', weight: 20, trackingNo: (rng) => `JDX${rng.digits(12)}` },
];
const SIGNED_BY = ['本人', '家人', '快递柜', '驿站', '门卫'];

export function generateShipments(rng: Rng, now: number, orders: readonly OrderSeed[], suppliers: readonly SupplierSeed[]): ShipmentSeed[] {
  const supplierById = new Map(suppliers.map((s) => [s.id, s]));
  const trackingNos = new Set<string>();
  return orders
    .filter((o) => o.shippedAt !== null)
    .map((order) => {
      const supplier = supplierById.get(order.supplierId)!;
      const carrier = rng.weighted(CARRIERS.map((c) => [c, c.weight] as const));
      const events = trail(rng, now, order, carrier.name, supplier.warehouseCity);
      const last = events[events.length - 1]!;
      return {
        orderNo: order.orderNo,
        carrier: carrier.name,
        trackingNo: uniqueTrackingNo(rng, carrier.trackingNo, trackingNos),
        status: last.status === 'delivered' || last.status === 'out_for_delivery' ? last.status : 'in_transit',
        shipByAt: order.paidAt! + supplier.shippingPromiseHours * HOUR,
        shippedAt: order.shippedAt!,
        deliveredAt: order.deliveredAt,
        etaAt: order.planned.deliveredAt!,
        events,
      };
    });
}

function uniqueTrackingNo(rng: Rng, make: (rng: Rng) => string, taken: Set<string>): string {
  for (;;) {
    const no = make(rng);
    if (!taken.has(no)) {
      taken.add(no);
      return no;
    }
  }
}

const hub = (city: string) => `${city.replace(/市$/, '')}转运中心`;

function trail(rng: Rng, now: number, order: OrderSeed, carrier: string, origin: string): TrackingEventSeed[] {
  const shippedAt = order.shippedAt!;
  const deliveredAt = order.planned.deliveredAt!;
  const { city, district } = order.address;
  const sameCity = origin === city;
  const local = `${city}${district}`;
  // The first three steps follow pickup within a few hours, squeezed when the parcel left only just
  // now: every trail shows at least three steps.
  const room = Math.min(8 * HOUR, now - shippedAt);
  const atHub = shippedAt + Math.round(room * rng.between(0.3, 0.5));
  const leftHub = atHub + Math.round(room * rng.between(0.2, 0.4));
  const atStation = deliveredAt - Math.round(rng.between(3, 8) * HOUR);
  const step = (occurredAt: number, status: TrackingEventSeed['status'], location: string, description: string): TrackingEventSeed => ({
    occurredAt,
    status,
    location,
    description: `【${location}】${description}`,
  });
  const courier = `${rng.pick(SURNAMES)}师傅（电话 1${rng.int(30, 99)}****${rng.digits(4)}）`;
  const steps = [
    step(shippedAt, 'picked_up', origin, `${carrier} 已揽收，准备发往${hub(origin)}`),
    step(atHub, 'in_transit', origin, `快件已到达【${hub(origin)}】`),
    step(leftHub, 'in_transit', origin, `快件已由${hub(origin)}发出，下一站【${sameCity ? `${district}营业部` : city}】`),
    ...(sameCity ? [] : [step(leftHub + Math.round((atStation - leftHub) * 0.6), 'in_transit', city, `快件已到达【${hub(city)}】`)]),
    step(atStation, 'in_transit', local, `快件已到达【${district}营业部】，正在安排派送`),
    step(deliveredAt - Math.round(rng.between(0.5, 2.5) * HOUR), 'out_for_delivery', local, `快递员${courier}正在派件，请保持电话畅通`),
    step(deliveredAt, 'delivered', local, `已签收，签收人：${rng.pick(SIGNED_BY)}。感谢使用${carrier}，期待再次为您服务`),
  ];
  return steps.filter((e) => e.occurredAt <= now);
}
