// The status history of an order, read from its *_at columns, in time order.
import type { Order } from './repo.ts';
import { ORDER_STATUS_LABELS, type OrderStatus } from './status.ts';

export interface TimelineStep {
  status: OrderStatus;
  label: string;
  at: Date;
}

export function orderTimeline(order: Order): TimelineStep[] {
  const steps: [OrderStatus, Date | null][] = [
    ['created', order.createdAt],
    ['paid', order.paidAt],
    ['shipped', order.shippedAt],
    ['delivered', order.deliveredAt],
    ['completed', order.completedAt],
    ['cancelled', order.cancelledAt],
    ['refunded', order.refundedAt],
  ];
  return steps
    .filter((s): s is [OrderStatus, Date] => s[1] !== null)
    .map(([status, at]) => ({ status, label: ORDER_STATUS_LABELS[status], at }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}
