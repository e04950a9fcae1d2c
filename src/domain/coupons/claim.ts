// Claiming a coupon by hand (领券): exactly once per allowance under any concurrency, and every limit
// checked on the server from the stored template — the model names a code, never an amount.
import type { ShopperCaller, Tier } from '../../context.ts';
import type { Db } from '../../db/db.ts';
import { AppError, NotFound } from '../../errors.ts';
import { localDateTime } from '../orders/localTime.ts';
import { isUniqueViolation } from '../orders/uniqueViolation.ts';
import { getShop } from '../shops/repo.ts';
import { countIssuedTo, issueCoupon, lockTemplateByCode } from './repo.ts';
import { TIER_LABELS } from '../lifecycle/labels.ts';
import { ruleText, type CouponTemplate } from './templates.ts';

export type ClaimRefusalCode = 'not_started' | 'ended' | 'not_in_audience' | 'limit_reached' | 'sold_out';

export interface ClaimRefusal {
  code: ClaimRefusalCode;
  message: string;
}

/** A claim the rules refuse: Forbidden when the caller's tier is not the audience, Conflict otherwise. */
export class CouponClaimRefused extends AppError {
  constructor(readonly refusal: ClaimRefusal) {
    super(refusal.code === 'not_in_audience' ? 'forbidden' : 'conflict', refusal.message, { reason: refusal.code });
  }
}

export interface ClaimedCoupon {
  name: string;
  rule: string;
  validFrom: Date;
  validUntil: Date;
}

const DAY_MS = 86_400_000;

/** Why `tier`, already holding `held` coupons of the template, may not claim it at `now`; null if it may. */
export function claimRefusal(t: CouponTemplate, tier: Tier, held: number, now: Date, timezone: string): ClaimRefusal | null {
  if (!t.active || (t.endsAt && now >= t.endsAt)) return { code: 'ended', message: '这张券的领取活动已经结束了。' };
  if (t.startsAt && now < t.startsAt) {
    return { code: 'not_started', message: `这张券 ${localDateTime(t.startsAt, timezone)} 开始领取，到时候再来哦。` };
  }
  if (!t.audienceTiers.includes(tier)) {
    const who = t.audienceTiers.map((x) => TIER_LABELS[x]).join('、');
    return { code: 'not_in_audience', message: `这张券仅限${who}领取，你目前的等级还不能领。` };
  }
  if (held >= t.perShopperLimit) return limitReached(t.perShopperLimit);
  if (t.totalQuantity !== null && t.issuedCount >= t.totalQuantity) return { code: 'sold_out', message: '这张券已经被领完了。' };
  return null;
}

export async function claimCoupon(db: Db, caller: ShopperCaller, code: string, now: Date): Promise<ClaimedCoupon> {
  const { timezone } = await getShop(db, caller.shopId);
  try {
    return await db.transaction(async (tx) => {
      const template = await lockTemplateByCode(tx, caller.shopId, code);
      // Policy coupons (birthday, points …) are issued by their rules, never claimed by code.
      if (!template || template.trigger !== 'claimable') throw new NotFound('coupon');
      const held = await countIssuedTo(tx, caller, template.id);
      const refusal = claimRefusal(template, caller.tier, held, now, timezone);
      if (refusal) throw new CouponClaimRefused(refusal);
      const validUntil = new Date(now.getTime() + template.validDays * DAY_MS);
      await issueCoupon(tx, caller, {
        templateId: template.id,
        issueKey: `claim:${template.id}:${caller.shopperId}:${held + 1}`,
        issuedAt: now,
        validUntil,
      });
      return { name: template.name, rule: ruleText(template), validFrom: now, validUntil };
    });
  } catch (e) {
    // The issue key is the last guard: a racing claim of the same allowance cannot insert twice.
    if (isUniqueViolation(e)) throw new CouponClaimRefused(limitReached());
    throw e;
  }
}

function limitReached(limit?: number): ClaimRefusal {
  return { code: 'limit_reached', message: limit ? `这张券你已经领过了（每人限领 ${limit} 张）。` : '这张券你已经领过了。' };
}
