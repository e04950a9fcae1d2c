// Points (积分): 1 point per yuan paid once an order completes (demo history only), growth tasks of
// docs/domain.md §6 Points, and redemptions of 100 points for a 10-yuan coupon. A balance never goes
// below zero.
import type { Rng } from './rng.ts';
import { compactDate, DAY } from './time.ts';
import type { OrderSeed, PointsEntrySeed, ShopperSeed } from './types.ts';

export const REDEEM_POINTS = 100;

// The shop's default growth tasks (lifecycle rules): once a month each.
const TASKS = [
  { code: 'browse-new-products', points: 50, reason: '成长任务：浏览3个新品' },
  { code: 'share-product', points: 100, reason: '成长任务：分享1个商品' },
] as const;

/** 1 point per yuan paid, earned when the order completes; null for an order that never did. */
export function orderPointsEntry(order: OrderSeed): PointsEntrySeed | null {
  const points = Math.floor(order.payFen / 100);
  if (order.completedAt === null || points === 0) return null;
  return {
    shopperOpenid: order.shopperOpenid,
    delta: points,
    reason: '订单完成奖励（每消费1元得1积分）',
    refKey: `seed:order:${order.orderNo}`,
    createdAt: order.completedAt,
  };
}

export function generateTaskPoints(rng: Rng, now: number, shoppers: readonly ShopperSeed[]): PointsEntrySeed[] {
  const entries: PointsEntrySeed[] = [];
  for (const s of shoppers) {
    if (s.tier === 'new' || (s.tier === 'converted' && !rng.chance(0.4))) continue;
    const from = Math.max(s.registeredAt, now - 180 * DAY);
    const keys = new Set<string>();
    for (let n = rng.int(1, 5); n > 0; n--) {
      const task = rng.pick(TASKS);
      const at = from + Math.round(rng.next() * (now - from));
      const refKey = `seed:task:${task.code}:${s.openid}:${compactDate(at).slice(0, 6)}`;
      if (keys.has(refKey)) continue;
      keys.add(refKey);
      entries.push({ shopperOpenid: s.openid, delta: task.points, reason: task.reason, refKey, createdAt: at });
    }
  }
  return entries;
}

/** The redemption of 100 points behind a points coupon. */
export function redemption(shopperOpenid: string, issueKey: string, at: number): PointsEntrySeed {
  return { shopperOpenid, delta: -REDEEM_POINTS, reason: '积分兑换10元无门槛券', refKey: `seed:redeem:${issueKey}`, createdAt: at };
}

/** The lowest balance from `from` on (inclusive), given every entry of one shopper. */
export function lowestBalanceFrom(entries: readonly PointsEntrySeed[], from: number): number {
  const sorted = [...entries].sort((a, b) => a.createdAt - b.createdAt);
  let balance = 0;
  let lowest = Infinity;
  for (const e of sorted) {
    if (e.createdAt > from) lowest = Math.min(lowest, balance);
    balance += e.delta;
  }
  return Math.min(lowest, balance);
}
