import { z } from 'zod';
import { claimableTemplates, usableCoupons } from '../src/domain/coupons/repo.ts';
import { minSpendFen, ruleText } from '../src/domain/coupons/templates.ts';
import { defineTool } from './defineTool.ts';

export const listCoupons = defineTool({
  name: 'listCoupons',
  effect: 'read',
  output: z.object({
    usable: z.array(
      z.object({
        name: z.string(),
        rule: z.string(),
        /** The order amount the coupon needs, in fen (0: no threshold): "能用吗" is answered from it. */
        minSpendFen: z.number(),
        validUntil: z.string(),
      }),
    ),
    claimable: z.array(
      z.object({
        couponCode: z.string(),
        name: z.string(),
        rule: z.string(),
        minSpendFen: z.number(),
        validDays: z.number().nullable(),
        claimUntil: z.string().nullable(),
        remaining: z.number().nullable(),
      }),
    ),
  }),
  description:
    '查看当前顾客的优惠券：usable 是已领取、现在可用的券（规则如"满120减30"、使用门槛 minSpendFen（分，0 为无门槛）和有效期），claimable 是现在可以领取的券（用 couponCode 调用 claimCoupon 领取）。' +
    '顾客问"有什么优惠""我有券吗""能领券吗"时使用。',
  input: z.object({}),
  async execute(ctx) {
    const now = ctx.clock.now();
    const [usable, claimable] = await Promise.all([
      usableCoupons(ctx.db, ctx.caller, now),
      claimableTemplates(ctx.db, ctx.caller, now),
    ]);
    return {
      usable: usable.map((c) => ({ name: c.name, rule: ruleText(c), minSpendFen: minSpendFen(c), validUntil: c.validUntil.toISOString() })),
      claimable: claimable.map((t) => ({
        couponCode: t.code,
        name: t.name,
        rule: ruleText(t),
        minSpendFen: minSpendFen(t),
        validDays: t.validDays,
        claimUntil: t.endsAt?.toISOString() ?? null,
        remaining: t.totalQuantity === null ? null : t.totalQuantity - t.issuedCount,
      })),
    };
  },
});
