// Order and shipment statuses as the schema stores them, with the words a shopper reads, and the
// groups a shopper asks in ("还没发货的", "在路上的").
export const ORDER_STATUSES = ['created', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  created: '待付款',
  paid: '已付款',
  shipped: '已发货',
  delivered: '已签收',
  completed: '已完成',
  cancelled: '已取消',
  refunded: '已退款',
};

export const ORDER_STATUS_GROUPS = {
  to_pay: ['created'],
  to_ship: ['paid'],
  in_transit: ['shipped'],
  received: ['delivered', 'completed'],
  // "还没收到的": paid or on its way, whether it has left yet or not.
  not_received: ['paid', 'shipped'],
  closed: ['cancelled', 'refunded'],
} as const satisfies Record<string, readonly OrderStatus[]>;
export type OrderStatusGroup = keyof typeof ORDER_STATUS_GROUPS;

export const ORDER_STATUS_FILTERS = [...ORDER_STATUSES, ...(Object.keys(ORDER_STATUS_GROUPS) as OrderStatusGroup[])] as const;
export type OrderStatusFilter = OrderStatus | OrderStatusGroup;

export function statusesFor(filter: OrderStatusFilter): readonly OrderStatus[] {
  return filter in ORDER_STATUS_GROUPS ? ORDER_STATUS_GROUPS[filter as OrderStatusGroup] : [filter as OrderStatus];
}

export const SHIPMENT_STATUSES = ['pending', 'in_transit', 'out_for_delivery', 'delivered', 'exception'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const SHIPMENT_STATUS_LABELS: Record<ShipmentStatus, string> = {
  pending: '待揽收',
  in_transit: '运输中',
  out_for_delivery: '派送中',
  delivered: '已签收',
  exception: '物流异常',
};
