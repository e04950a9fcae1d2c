import { z } from 'zod';
import { claimCoupon as claim, CouponClaimRefused } from '../src/domain/coupons/claim.ts';
import { typable } from '../src/text/typable.ts';
import { defineTool } from './defineTool.ts';

export const claimCoupon = defineTool({
  name: 'claimCoupon',
  effect: 'write',
  output: z.discriminatedUnion('claimed', [
    z.object({ claimed: z.literal(true), name: z.string(), rule: z.string(), validFrom: z.string(), validUntil: z.string() }),
    z.object({ claimed: z.literal(false), reason: z.string(), message: z.string() }),
  ]),
  description:
    '为当前顾客领取一张可领取的优惠券。couponCode 来自 listCoupons 返回的 claimable[].couponCode；顾客明确想领时才调用。' +
    '领取资格（等级、每人限领、总量、活动时间）由系统判断；不能领时返回 claimed=false、原因代码（not_started / ended / not_in_audience / limit_reached / sold_out）和可以转述给顾客的说明。',
  input: z.object({
    couponCode: typable().trim().min(1).max(64).describe('券的代码，取自 listCoupons 的 claimable[].couponCode'),
  }),
  async execute(ctx, { couponCode }) {
    try {
      const coupon = await claim(ctx.db, ctx.caller, couponCode, ctx.clock.now());
      return {
        claimed: true as const,
        name: coupon.name,
        rule: coupon.rule,
        validFrom: coupon.validFrom.toISOString(),
        validUntil: coupon.validUntil.toISOString(),
      };
    } catch (e) {
      // A refusal is an answer for the shopper, not a failure: give the agent the reason to say.
      if (!(e instanceof CouponClaimRefused)) throw e;
      return { claimed: false as const, reason: e.refusal.code, message: e.refusal.message };
    }
  },
});
