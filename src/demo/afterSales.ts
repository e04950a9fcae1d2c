// After-sales requests (售后): every refund has its completed request, a return in progress is
// approved, and a few other requests were rejected, withdrawn or are still waiting. The database
// allows one open or completed request per order; each order here gets at most one request.
import type { Rng } from './rng.ts';
import { SAMPLE_BY_OPENID } from './samples.ts';
import { compactDate, DAY, HOUR } from './time.ts';
import type { AfterSaleSeed, OrderSeed } from './types.ts';

const RETURN_REASONS = ['颜色和图片不一样', '用了过敏，脸上起红疹', '包装破损，瓶子漏了', '规格买错了', '质地不喜欢，想退货'];
const REFUND_REASONS = ['拍错了，不想要了', '地址填错了', '重复下单了', '买贵了，想重新拍'];
const REJECTED = 3;
const WITHDRAWN = 2;

export function generateAfterSales(rng: Rng, now: number, orders: readonly OrderSeed[]): AfterSaleSeed[] {
  const requestNos = new Set<string>();
  const requests: AfterSaleSeed[] = [];
  const request = (order: OrderSeed, r: Pick<AfterSaleSeed, 'kind' | 'reason' | 'status' | 'createdAt' | 'updatedAt'>) =>
    requests.push({
      ...r,
      requestNo: uniqueRequestNo(rng, r.createdAt, requestNos),
      orderNo: order.orderNo,
      shopperOpenid: order.shopperOpenid,
      amountFen: r.kind === 'exchange' ? 0 : order.payFen,
    });

  for (const o of orders) {
    if (o.fate === 'refundBeforeShip' && o.paidAt !== null) {
      const createdAt = o.paidAt + Math.round((o.planned.refundedAt! - o.paidAt) * 0.4);
      if (createdAt > now) continue;
      const done = o.refundedAt !== null;
      request(o, { kind: 'refund', reason: rng.pick(REFUND_REASONS), status: done ? 'completed' : 'requested', createdAt, updatedAt: o.refundedAt ?? createdAt });
    }
    if (o.fate === 'refundAfterDelivery' && o.deliveredAt !== null) {
      // Asked for within the return window; the refund follows once the parcel is back.
      const createdAt = o.deliveredAt + Math.round(rng.between(6, 40) * HOUR);
      if (createdAt > now) continue;
      const done = o.refundedAt !== null;
      const updatedAt = done ? o.refundedAt! : Math.min(now, createdAt + 2 * HOUR);
      request(o, { kind: 'return', reason: rng.pick(RETURN_REASONS), status: done ? 'completed' : 'approved', createdAt, updatedAt });
    }
  }

  const notSample = (o: OrderSeed) => !SAMPLE_BY_OPENID.has(o.shopperOpenid);
  const settled = orders.filter((o) => o.status === 'completed' && notSample(o) && o.deliveredAt! < now - 7 * DAY);
  rng.sample(settled, REJECTED + WITHDRAWN).forEach((o, i) => {
    const createdAt = o.deliveredAt! + Math.round(rng.between(1, 5) * DAY);
    const rejected = i < REJECTED;
    request(o, {
      kind: 'return',
      reason: rejected ? '已拆封用过几次，想退货' : '买多了，想退一件',
      status: rejected ? 'rejected' : 'withdrawn',
      createdAt,
      updatedAt: createdAt + Math.round((rejected ? 20 : 3) * HOUR),
    });
  });

  const fresh = orders.filter((o) => o.status === 'delivered' && o.fate === 'normal' && notSample(o) && o.deliveredAt! > now - 3 * DAY);
  if (fresh.length > 0) {
    const o = rng.pick(fresh);
    const createdAt = o.deliveredAt! + Math.round((now - o.deliveredAt!) / 2);
    request(o, { kind: 'exchange', reason: '色号不合适，想换成自然色', status: 'requested', createdAt, updatedAt: createdAt });
  }
  return requests;
}

function uniqueRequestNo(rng: Rng, createdAt: number, taken: Set<string>): string {
  for (;;) {
    const no = `AS${compactDate(createdAt)}${rng.digits(4)}`;
    if (!taken.has(no)) {
      taken.add(no);
      return no;
    }
  }
}
