// shipment.tracking events: the carrier's trail of a parcel (S2B2C trust, docs/domain.md §1 S2B2C shop). The
// first event of a tracking number creates the shipment with its ship-by promise; each event adds a step.
import type { Queryable } from '../../db/db.ts';
import { EventRejected } from './rejected.ts';
import type { TrackingData } from './schemas.ts';

export interface TrackingOutcome {
  shipmentId: number;
  orderId: number;
}

export async function applyTrackingEvent(
  tx: Queryable,
  shopId: string,
  d: TrackingData,
  shippingPromiseHours: number,
): Promise<TrackingOutcome> {
  const { rows: orders } = await tx.query<{ id: number; status: string; paid_at: Date | null }>(
    'SELECT id, status, paid_at FROM orders WHERE shop_id = $1 AND order_no = $2',
    [shopId, d.orderNo],
  );
  const order = orders[0];
  if (!order) throw new EventRejected(`unknown order ${d.orderNo}`);
  if (!order.paid_at || order.status === 'cancelled') throw new EventRejected(`order ${d.orderNo} was never paid: nothing to ship`);
  const at = d.event.at;
  const moving = d.status !== 'pending';
  const { rows } = await tx.query<{ id: number; order_id: number }>(
    `INSERT INTO shipments (shop_id, order_id, carrier, tracking_no, status, ship_by, shipped_at, delivered_at, eta)
     VALUES ($1, $2, $3, $4, $5, $6::timestamptz + make_interval(hours => $7), $8, $9, $10)
     ON CONFLICT (shop_id, tracking_no) DO UPDATE SET
       -- a step that arrives late (older than the last one recorded) does not set the status back
       status = CASE WHEN $11::timestamptz >= coalesce(
                  (SELECT max(te.occurred_at) FROM tracking_events te WHERE te.shipment_id = shipments.id), '-infinity')
                THEN excluded.status ELSE shipments.status END,
       shipped_at = coalesce(shipments.shipped_at, excluded.shipped_at),
       delivered_at = coalesce(shipments.delivered_at, excluded.delivered_at),
       eta = coalesce(excluded.eta, shipments.eta)
     RETURNING id, order_id`,
    [
      shopId,
      order.id,
      d.carrier,
      d.trackingNo,
      d.status,
      order.paid_at,
      shippingPromiseHours,
      moving ? at : null,
      d.status === 'delivered' ? at : null,
      d.eta ?? null,
      at,
    ],
  );
  const shipment = rows[0]!;
  // The upsert has already run; the throw rolls it back with the rest of the event.
  if (shipment.order_id !== order.id) throw new EventRejected(`tracking number ${d.trackingNo} belongs to another order`);
  await tx.query(
    `INSERT INTO tracking_events (shop_id, shipment_id, occurred_at, status, location, description) VALUES ($1, $2, $3, $4, $5, $6)`,
    [shopId, shipment.id, at, d.status, d.event.location, d.event.description],
  );
  return { shipmentId: shipment.id, orderId: order.id };
}
