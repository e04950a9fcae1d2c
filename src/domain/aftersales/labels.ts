// After-sales kinds and statuses as stored, with the words a shopper reads.
export const AFTER_SALES_KINDS = ['return', 'exchange', 'refund'] as const;
export type AfterSalesKind = (typeof AFTER_SALES_KINDS)[number];

export const AFTER_SALES_KIND_LABELS: Record<AfterSalesKind, string> = {
  return: '退货退款',
  exchange: '换货',
  refund: '退款',
};

export const AFTER_SALES_STATUSES = ['requested', 'approved', 'rejected', 'completed', 'withdrawn'] as const;
export type AfterSalesStatus = (typeof AFTER_SALES_STATUSES)[number];

export const AFTER_SALES_STATUS_LABELS: Record<AfterSalesStatus, string> = {
  requested: '已提交，待商家处理',
  approved: '商家已同意',
  rejected: '商家已拒绝',
  completed: '已完成',
  withdrawn: '已撤回',
};

/** Statuses that block a new request: the same set as the after_sales_one_per_order index. */
export const BLOCKING_STATUSES: readonly AfterSalesStatus[] = ['requested', 'approved', 'completed'];
