// Whether an order may get an after-sales request (售后), and if not, why — in words the agent can
// say. Pure: the caller passes the order, the blocking request if any, the shop's window and now.
import { localDate } from '../orders/localTime.ts';
import type { Order } from '../orders/repo.ts';
import type { AfterSalesKind } from './labels.ts';

export type RefusalCode = 'not_eligible_status' | 'window_closed' | 'already_requested';

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** For window_closed: when the window closed. */
  windowClosedAt?: Date;
}

export type Eligibility =
  | { eligible: true; kinds: readonly AfterSalesKind[]; windowClosesAt: Date | null; message: string }
  | { eligible: false; refusal: Refusal };

export interface EligibilityInput {
  order: Pick<Order, 'status' | 'deliveredAt' | 'completedAt'>;
  hasBlockingRequest: boolean;
  returnWindowDays: number;
  timezone: string;
  now: Date;
}

const DAY_MS = 86_400_000;

export const ALREADY_REQUESTED: Refusal = {
  code: 'already_requested',
  message: '这个订单已经有售后申请了，不能重复提交，可以问我申请的进度。',
};

const STATUS_REFUSALS: Partial<Record<Order['status'], string>> = {
  created: '订单还没有付款，不需要售后；不想要的话直接取消订单就可以。',
  shipped: '包裹还在路上，签收后才能申请退货、换货或退款；着急的话可以转人工客服。',
  cancelled: '订单已取消，无法申请售后。',
  refunded: '订单已退款，无法再申请售后。',
};

export function afterSalesEligibility(input: EligibilityInput): Eligibility {
  const { order } = input;
  const statusMessage = STATUS_REFUSALS[order.status];
  if (statusMessage) return refuse('not_eligible_status', statusMessage);
  if (input.hasBlockingRequest) return { eligible: false, refusal: ALREADY_REQUESTED };
  // Paid but not shipped: nothing to send back, so the only remedy is an immediate refund.
  if (order.status === 'paid') {
    return { eligible: true, kinds: ['refund'], windowClosesAt: null, message: '订单还没有发货，可以直接申请退款。' };
  }
  // delivered / completed: the window runs from delivery (docs/domain.md §7 After-sales).
  const receivedAt = order.deliveredAt ?? order.completedAt;
  if (!receivedAt) return refuse('not_eligible_status', '订单还没有签收记录，暂时无法申请售后，可以转人工客服核实。');
  const closesAt = new Date(receivedAt.getTime() + input.returnWindowDays * DAY_MS);
  if (input.now.getTime() > closesAt.getTime()) {
    return {
      eligible: false,
      refusal: {
        code: 'window_closed',
        message: `售后期已于 ${localDate(closesAt, input.timezone)} 结束（签收后 ${input.returnWindowDays} 天内可申请）。`,
        windowClosedAt: closesAt,
      },
    };
  }
  return {
    eligible: true,
    kinds: ['return', 'exchange', 'refund'],
    windowClosesAt: closesAt,
    message: `可以申请退货、换货或退款，售后期到 ${localDate(closesAt, input.timezone)} 为止。`,
  };
}

/** The refusal for one kind of request, or null when that kind may be requested. */
export function refusalFor(eligibility: Eligibility, kind: AfterSalesKind): Refusal | null {
  if (!eligibility.eligible) return eligibility.refusal;
  if (eligibility.kinds.includes(kind)) return null;
  return { code: 'not_eligible_status', message: '订单还没有发货，不能退货或换货，可以直接申请退款。' };
}

function refuse(code: RefusalCode, message: string): Eligibility {
  return { eligible: false, refusal: { code, message } };
}
