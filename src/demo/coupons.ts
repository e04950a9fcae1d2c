// Coupon templates of docs/domain.md §5 Coupons with the case's numbers, the coupons used on past orders, and
// the ones shoppers hold now. Issue keys are unique per shop: 'seed:<template>:<openid>' for a coupon a
// shopper gets once, 'seed:<template>:<order_no | openid:date>' for repeatable ones.
import { applyDiscount } from './orders.ts';
import { lowestBalanceFrom, orderPointsEntry, REDEEM_POINTS, redemption } from './points.ts';
import type { Rng } from './rng.ts';
import { compactDate, DAY, MINUTE, shanghaiDate, shanghaiDayStart, shanghaiTime } from './time.ts';
import type { CouponSeed, CouponTemplateSeed, OrderSeed, PointsEntrySeed, ShopperSeed } from './types.ts';

const BUYERS = ['converted', 'potential', 'core', 'laotie'] as const;
// The shop's default discount day (shop settings: discountDay).
const DISCOUNT_DAY = 15;

type TemplateSpec = Partial<CouponTemplateSeed> & Pick<CouponTemplateSeed, 'code' | 'name' | 'kind' | 'trigger' | 'validDays'>;

const template = (t: TemplateSpec): CouponTemplateSeed => ({
  thresholdFen: 0,
  amountFen: 0,
  percentOff: 0,
  audienceTiers: [...BUYERS],
  perShopperLimit: 1,
  totalQuantity: null,
  pointsCost: null,
  ...t,
});

export const COUPON_TEMPLATES: readonly CouponTemplateSeed[] = [
  // converted → potential: within 7 days of the first order (case 满120减30).
  template({
    code: 'second-purchase',
    name: '复购专享券',
    kind: 'threshold',
    thresholdFen: 12_000,
    amountFen: 3_000,
    trigger: 'second_purchase',
    audienceTiers: ['converted'],
    validDays: 7,
  }),
  // core → 老铁: birthday wishes + 满150减50.
  template({
    code: 'birthday',
    name: '生日专享券',
    kind: 'threshold',
    thresholdFen: 15_000,
    amountFen: 5_000,
    trigger: 'birthday',
    audienceTiers: ['core', 'laotie'],
    validDays: 7,
  }),
  // potential → core: the monthly discount day, 8折 on that day.
  template({
    code: 'discount-day',
    name: '潜力用户专属折扣日',
    kind: 'discount',
    percentOff: 20,
    trigger: 'discount_day',
    audienceTiers: ['potential'],
    validDays: 1,
  }),
  // 100 points → a 10-yuan coupon without threshold.
  template({
    code: 'points-10-yuan',
    name: '积分兑换无门槛券',
    kind: 'no_threshold',
    amountFen: 1_000,
    trigger: 'points_redeem',
    audienceTiers: ['new', ...BUYERS],
    perShopperLimit: 5,
    pointsCost: REDEEM_POINTS,
    validDays: 30,
  }),
  template({
    code: 'welcome',
    name: '新人券',
    kind: 'threshold',
    thresholdFen: 9_900,
    amountFen: 1_000,
    trigger: 'claimable',
    audienceTiers: ['new', 'converted'],
    totalQuantity: 1_000,
    validDays: 30,
  }),
  template({
    code: 'laotie-exclusive',
    name: '老铁专享券',
    kind: 'threshold',
    thresholdFen: 20_000,
    amountFen: 4_000,
    trigger: 'claimable',
    audienceTiers: ['laotie'],
    validDays: 30,
  }),
  // "你上次买的洗衣液快用完了" comes with a small coupon.
  template({ code: 'replenish', name: '补货券', kind: 'threshold', thresholdFen: 8_000, amountFen: 1_000, trigger: 'replenishment', validDays: 14 }),
];

const TEMPLATES = new Map(COUPON_TEMPLATES.map((t) => [t.code, t]));
const validUntil = (code: string, issuedAt: number) => issuedAt + TEMPLATES.get(code)!.validDays * DAY;

interface Use {
  code: string;
  issueKey: string;
  issuedAt: number;
  discountFen: number;
}

interface ShopperHistory {
  shopper: ShopperSeed;
  orders: OrderSeed[];
  /** Points entries known so far: tasks, completed earlier orders, redemptions. */
  points: PointsEntrySeed[];
}

export interface IssuedCoupons {
  coupons: CouponSeed[];
  redemptions: PointsEntrySeed[];
}

/**
 * Decides which past orders used a coupon, applying the discount to them (in place), then issues the
 * coupons shoppers hold now. Runs through each shopper's orders oldest first, so a points coupon is
 * only redeemed when the balance at that moment covers it.
 */
export function issueCoupons(
  rng: Rng,
  now: number,
  shoppers: readonly ShopperSeed[],
  orders: readonly OrderSeed[],
  taskPoints: readonly PointsEntrySeed[],
): IssuedCoupons {
  const coupons: CouponSeed[] = [];
  const redemptions: PointsEntrySeed[] = [];
  const keys = new Set<string>();
  const add = (coupon: CouponSeed, points: PointsEntrySeed[]): void => {
    if (keys.has(coupon.issueKey)) return;
    keys.add(coupon.issueKey);
    coupons.push(coupon);
    if (coupon.templateCode !== 'points-10-yuan') return;
    const spent = redemption(coupon.shopperOpenid, coupon.issueKey, coupon.issuedAt);
    redemptions.push(spent);
    points.push(spent);
  };

  const ordersBy = groupBy(orders);
  const tasksBy = groupBy(taskPoints);
  for (const shopper of shoppers) {
    const history: ShopperHistory = { shopper, orders: ordersBy.get(shopper.openid) ?? [], points: [...(tasksBy.get(shopper.openid) ?? [])] };
    history.orders.forEach((order, index) => {
      // An unpaid order never locked a coupon.
      const use = order.paidAt === null ? null : couponForOrder(rng, history, order, index, keys);
      if (use) {
        applyDiscount(order, use.discountFen, use.issueKey);
        add(
          {
            templateCode: use.code,
            shopperOpenid: shopper.openid,
            status: 'used',
            issueKey: use.issueKey,
            issuedAt: use.issuedAt,
            validUntil: validUntil(use.code, use.issuedAt),
            usedOrderNo: order.orderNo,
            usedAt: order.paidAt,
          },
          history.points,
        );
      }
      const earned = orderPointsEntry(order);
      if (earned) history.points.push(earned);
    });
    for (const coupon of heldCoupons(rng, now, history)) add(coupon, history.points);
  }
  return { coupons, redemptions };
}

function groupBy<T extends { shopperOpenid: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.shopperOpenid);
    if (group) group.push(row);
    else groups.set(row.shopperOpenid, [row]);
  }
  return groups;
}

/** The coupon an order used, if any: the first that applies, can be issued and used then, and whose dice say yes. */
function couponForOrder(rng: Rng, h: ShopperHistory, order: OrderSeed, index: number, issued: ReadonlySet<string>): Use | null {
  const { shopper } = h;
  const { openid, tier } = shopper;
  const items = order.itemsFen;
  const firstPaid = h.orders[0]!.paidAt;
  const day = shanghaiDate(order.createdAt);
  const loyal = tier === 'core' || tier === 'laotie';
  const redeemAt = order.createdAt - 10 * MINUTE;
  const use = (code: string, key: string, issuedAt: number, discountFen: number): Use => ({
    code,
    issueKey: `seed:${code}:${key}`,
    issuedAt,
    discountFen,
  });
  const candidates: Array<readonly [Use | null, number]> = [
    [index === 0 && items >= 9_900 ? use('welcome', openid, shopper.registeredAt + 10 * MINUTE, 1_000) : null, 0.5],
    [index === 1 && firstPaid !== null && items >= 12_000 ? use('second-purchase', openid, firstPaid, 3_000) : null, 0.7],
    [
      tier === 'potential' && day.day === DISCOUNT_DAY
        ? use('discount-day', `${openid}:${compactDate(order.createdAt)}`, shanghaiDayStart(order.createdAt), Math.floor((items * 20) / 100))
        : null,
      0.8,
    ],
    [loyal && items >= 15_000 ? use('birthday', `${openid}:${day.year}`, birthdayMorning(shopper, day.year), 5_000) : null, 0.8],
    [tier === 'laotie' && items >= 20_000 ? use('laotie-exclusive', openid, order.createdAt - 2 * DAY, 4_000) : null, 0.3],
    [items >= 8_000 && order.items.some((i) => i.category === '家居日用') ? use('replenish', order.orderNo, order.createdAt - DAY, 1_000) : null, 0.3],
    [
      loyal && items >= 2_000 && lowestBalanceFrom(h.points, redeemAt) >= REDEEM_POINTS
        ? use('points-10-yuan', order.orderNo, redeemAt, 1_000)
        : null,
      0.12,
    ],
  ];
  for (const [candidate, chance] of candidates) {
    // Not issued already (a once-per-shopper coupon), issued before the order, still valid when it is paid.
    const usable =
      candidate !== null &&
      !issued.has(candidate.issueKey) &&
      candidate.issuedAt <= order.createdAt &&
      order.paidAt! <= validUntil(candidate.code, candidate.issuedAt);
    if (usable && rng.chance(chance)) return candidate;
  }
  return null;
}

/** Coupons a shopper holds at `now`, or let expire unused. */
function heldCoupons(rng: Rng, now: number, h: ShopperHistory): CouponSeed[] {
  const { shopper } = h;
  const { openid, tier } = shopper;
  const held: CouponSeed[] = [];
  const hold = (code: string, key: string, issuedAt: number) => {
    const until = validUntil(code, issuedAt);
    held.push({
      templateCode: code,
      shopperOpenid: openid,
      status: until > now ? 'unused' : 'expired',
      issueKey: `seed:${code}:${key}`,
      issuedAt,
      validUntil: until,
      usedOrderNo: null,
      usedAt: null,
    });
  };
  // Shoppers who came through a share link get the welcome coupon on sign-up; others may claim it.
  if (tier === 'new' && (shopper.referrerOpenid !== null || rng.chance(0.5))) hold('welcome', openid, shopper.registeredAt + 10 * MINUTE);
  const firstPaid = h.orders[0]?.paidAt ?? null;
  if (tier === 'converted' && firstPaid !== null) hold('second-purchase', openid, firstPaid);
  const year = shanghaiDate(now).year;
  const birthdayAt = birthdayMorning(shopper, year);
  if ((tier === 'core' || tier === 'laotie') && birthdayAt <= now && birthdayAt > now - 10 * DAY) hold('birthday', `${openid}:${year}`, birthdayAt);
  if (tier === 'laotie' && rng.chance(0.5)) hold('laotie-exclusive', openid, now - Math.round(rng.between(1, 10) * DAY));
  const redeemAt = now - Math.round(rng.between(1, 20) * DAY);
  if ((tier === 'core' || tier === 'laotie') && rng.chance(0.2) && lowestBalanceFrom(h.points, redeemAt) >= REDEEM_POINTS) {
    hold('points-10-yuan', `${openid}:${compactDate(redeemAt)}`, redeemAt);
  }
  return held;
}

/** 09:00 on the shopper's birthday in `year`, when the birthday coupon goes out. */
function birthdayMorning(shopper: ShopperSeed, year: number): number {
  const [, month, day] = shopper.birthday.split('-').map(Number);
  return shanghaiTime({ year, month: month!, day: day! }, 9);
}
