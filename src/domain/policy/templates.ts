// The coupon templates behind the policies of docs/domain.md §5 Coupons, with their defaults. A shop that
// has no template of a trigger gets the default inserted on first use; from then on it is an ordinary
// coupon_templates row the operator edits (amounts, audience tiers, limits, validity) or switches
// off with active = false.
import type { Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { TEMPLATE_COLUMNS, toTemplate, type CouponRule, type CouponTemplate, type CouponTemplateRow } from '../coupons/templates.ts';

export type PolicyTrigger = 'second_purchase' | 'birthday' | 'discount_day' | 'points_redeem';

interface DefaultTemplate extends CouponRule {
  code: string;
  name: string;
  audienceTiers: readonly Tier[];
  /** For policy coupons: how many unused coupons of the template a shopper may hold at once. */
  perShopperLimit: number;
  pointsCost: number | null;
  validDays: number;
}

const ALL_BUYERS: readonly Tier[] = ['converted', 'potential', 'core', 'laotie'];

export const DEFAULT_POLICY_TEMPLATES: Record<PolicyTrigger, DefaultTemplate> = {
  // converted → potential: 满100减20 within 7 days of the first order.
  second_purchase: {
    code: 'second-purchase',
    name: '复购专享券',
    kind: 'threshold',
    thresholdFen: 10_000,
    amountFen: 2_000,
    percentOff: 0,
    audienceTiers: ['converted'],
    perShopperLimit: 1,
    pointsCost: null,
    validDays: 7,
  },
  // core → 老铁: birthday wishes + coupon (case 满150减50).
  birthday: {
    code: 'birthday',
    name: '生日专享券',
    kind: 'threshold',
    thresholdFen: 15_000,
    amountFen: 5_000,
    percentOff: 0,
    audienceTiers: ['core', 'laotie'],
    perShopperLimit: 1,
    pointsCost: null,
    validDays: 7,
  },
  // potential → core: the monthly exclusive discount day, 8折, valid on that day.
  discount_day: {
    code: 'discount-day',
    name: '潜力用户专属折扣日',
    kind: 'discount',
    thresholdFen: 0,
    amountFen: 0,
    percentOff: 20,
    audienceTiers: ['potential'],
    perShopperLimit: 1,
    pointsCost: null,
    validDays: 1,
  },
  // points redeem for no-threshold coupons: 100 points → 10 yuan.
  points_redeem: {
    code: 'points-10-yuan',
    name: '积分兑换无门槛券',
    kind: 'no_threshold',
    thresholdFen: 0,
    amountFen: 1_000,
    percentOff: 0,
    audienceTiers: ['new', ...ALL_BUYERS],
    perShopperLimit: 5,
    pointsCost: 100,
    validDays: 30,
  },
};

/** Inserts the default template of a trigger unless the shop already has one of that trigger. */
export async function ensurePolicyTemplate(db: Queryable, shopId: string, trigger: PolicyTrigger): Promise<void> {
  const d = DEFAULT_POLICY_TEMPLATES[trigger];
  await db.query(
    `INSERT INTO coupon_templates (shop_id, code, name, kind, threshold_fen, amount_fen, percent_off, trigger,
                                   audience_tiers, per_shopper_limit, points_cost, valid_days)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
      WHERE NOT EXISTS (SELECT 1 FROM coupon_templates WHERE shop_id = $1 AND trigger = $8)
     ON CONFLICT (shop_id, code) DO NOTHING`,
    [
      shopId,
      d.code,
      d.name,
      d.kind,
      d.thresholdFen,
      d.amountFen,
      d.percentOff,
      trigger,
      d.audienceTiers,
      d.perShopperLimit,
      d.pointsCost,
      d.validDays,
    ],
  );
}

/** The active templates of a trigger, oldest first (the first whose audience fits is used). */
export async function policyTemplates(db: Queryable, shopId: string, trigger: PolicyTrigger): Promise<CouponTemplate[]> {
  await ensurePolicyTemplate(db, shopId, trigger);
  const { rows } = await db.query<CouponTemplateRow>(
    `SELECT ${TEMPLATE_COLUMNS} FROM coupon_templates t WHERE t.shop_id = $1 AND t.trigger = $2 AND t.active ORDER BY t.id`,
    [shopId, trigger],
  );
  return rows.map(toTemplate);
}

/** The template a shopper of `tier` gets for a trigger: the first active one whose audience has the tier. */
export async function templateForTier(
  db: Queryable,
  shopId: string,
  trigger: PolicyTrigger,
  tier: Tier,
): Promise<CouponTemplate | null> {
  return (await policyTemplates(db, shopId, trigger)).find((t) => t.audienceTiers.includes(tier)) ?? null;
}

/** What a reader is told of a policy's coupon: its rule, who gets it, how long it lasts, its price in points. */
export type PolicyCoupon = CouponRule & Pick<CouponTemplate, 'name' | 'audienceTiers' | 'validDays' | 'pointsCost'>;

const POLICY_TRIGGERS = Object.keys(DEFAULT_POLICY_TEMPLATES) as PolicyTrigger[];

/**
 * The coupons each policy gives, as policyTemplates would find them, without writing: a shop that
 * has no template of a trigger yet gets the default on first use, so the default is what it offers.
 */
export async function policyCoupons(db: Queryable, shopId: string): Promise<Record<PolicyTrigger, PolicyCoupon[]>> {
  const { rows } = await db.query<CouponTemplateRow>(
    `SELECT ${TEMPLATE_COLUMNS} FROM coupon_templates t WHERE t.shop_id = $1 AND t.trigger = ANY($2::text[]) ORDER BY t.id`,
    [shopId, POLICY_TRIGGERS],
  );
  const templates = rows.map(toTemplate);
  const out = {} as Record<PolicyTrigger, PolicyCoupon[]>;
  for (const trigger of POLICY_TRIGGERS) {
    const own = templates.filter((t) => t.trigger === trigger);
    out[trigger] = own.length ? own.filter((t) => t.active) : [DEFAULT_POLICY_TEMPLATES[trigger]];
  }
  return out;
}
