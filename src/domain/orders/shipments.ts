// Shipments of orders and their tracking trails. An order may have been split into several
// parcels; the shopper is shown the most recent one (highest id), which is the one still moving.
import type { Queryable } from '../../db/db.ts';
import type { OrderOwner } from './repo.ts';
import type { ShipmentStatus } from './status.ts';

export interface Shipment {
  id: number;
  orderId: number;
  carrier: string;
  trackingNo: string;
  status: ShipmentStatus;
  shipBy: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  eta: Date | null;
}

export interface TrackingEvent {
  occurredAt: Date;
  status: string;
  location: string;
  description: string;
}

interface ShipmentRow {
  id: number;
  order_id: number;
  carrier: string;
  tracking_no: string;
  status: ShipmentStatus;
  ship_by: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
  eta: Date | null;
}

function toShipment(r: ShipmentRow): Shipment {
  return {
    id: r.id,
    orderId: r.order_id,
    carrier: r.carrier,
    trackingNo: r.tracking_no,
    status: r.status,
    shipBy: r.ship_by,
    shippedAt: r.shipped_at,
    deliveredAt: r.delivered_at,
    eta: r.eta,
  };
}

/** The latest shipment of each given order, keyed by order id. */
export async function latestShipments(db: Queryable, shopId: string, orderIds: readonly number[]): Promise<Map<number, Shipment>> {
  const byOrder = new Map<number, Shipment>();
  if (orderIds.length === 0) return byOrder;
  const { rows } = await db.query<ShipmentRow>(
    `SELECT DISTINCT ON (order_id) id, order_id, carrier, tracking_no, status, ship_by, shipped_at, delivered_at, eta
       FROM shipments WHERE shop_id = $1 AND order_id = ANY($2::bigint[])
      ORDER BY order_id, id DESC`,
    [shopId, orderIds],
  );
  for (const r of rows) byOrder.set(r.order_id, toShipment(r));
  return byOrder;
}

export async function latestShipment(db: Queryable, shopId: string, orderId: number): Promise<Shipment | null> {
  return (await latestShipments(db, shopId, [orderId])).get(orderId) ?? null;
}

/** The order number of the caller's most recent order that has a shipment, if any. */
export async function latestShippedOrderNo(db: Queryable, owner: OrderOwner): Promise<string | null> {
  const { rows } = await db.query<{ order_no: string }>(
    `SELECT o.order_no FROM orders o
      WHERE o.shop_id = $1 AND o.shopper_id = $2
        AND EXISTS (SELECT 1 FROM shipments s WHERE s.shop_id = o.shop_id AND s.order_id = o.id)
      ORDER BY o.created_at DESC, o.id DESC LIMIT 1`,
    [owner.shopId, owner.shopperId],
  );
  return rows[0]?.order_no ?? null;
}

/** The tracking trail of a shipment, oldest first (the order a trail is read in). */
export async function trackingTrail(db: Queryable, shopId: string, shipmentId: number): Promise<TrackingEvent[]> {
  const { rows } = await db.query<{ occurred_at: Date; status: string; location: string; description: string }>(
    `SELECT occurred_at, status, location, description FROM tracking_events
      WHERE shop_id = $1 AND shipment_id = $2 ORDER BY occurred_at, id`,
    [shopId, shipmentId],
  );
  return rows.map((r) => ({ occurredAt: r.occurred_at, status: r.status, location: r.location, description: r.description }));
}
