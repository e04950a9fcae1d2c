import { z } from 'zod';
import { TIERS } from '../src/context.ts';
import { BENEFIT_KEYS } from '../src/domain/lifecycle/benefits.ts';
import { OPS } from '../src/domain/lifecycle/conditions.ts';
import { TIER_LABELS } from '../src/domain/lifecycle/labels.ts';
import { membershipOf } from '../src/domain/lifecycle/membership.ts';
import { METRICS } from '../src/domain/lifecycle/tags.ts';
import { defineTool } from './defineTool.ts';

const tier = z.enum(TIERS);
const benefit = z.object({ key: z.enum(BENEFIT_KEYS), name: z.string(), detail: z.string() });
const requirement = z.object({
  metric: z.enum(METRICS),
  label: z.string(),
  op: z.enum(OPS),
  threshold: z.number(),
  current: z.number().nullable(),
  met: z.boolean(),
  text: z.string(),
});
const requirementGroup = z.object({
  all: z.array(requirement),
  any: z.object({ atLeast: z.number(), met: z.number(), of: z.array(requirement) }).nullable(),
  met: z.boolean(),
});

export const getMembership = defineTool({
  name: 'getMembership',
  effect: 'read',
  output: z.object({
    tier: z.object({ code: tier, label: z.string(), since: z.string().nullable() }),
    history: z.array(z.object({ from: tier, fromLabel: z.string(), to: tier, toLabel: z.string(), change: z.enum(['converted', 'promoted', 'demoted']), at: z.string() })),
    benefits: z.array(benefit),
    nextTier: z
      .object({
        code: tier,
        label: z.string(),
        requirements: requirementGroup,
        blockedBy: z.array(requirement),
        ready: z.boolean(),
        gains: z.array(benefit),
      })
      .nullable(),
    demotion: z.object({ to: tier, label: z.string(), when: requirementGroup }).nullable(),
  }),
  description:
    '查看当前顾客的会员等级：tier 是现在的等级（新用户/转化用户/潜力用户/核心用户/老铁）和升到这一级的时间，history 是升降级记录，' +
    'benefits 是这个等级在本店实际享有的权益（专属顾问、人工优先、选品投票、生日券、折扣日、推荐奖励等）；' +
    'nextTier 是下一个等级和还差什么（requirements.all 每条都要满足，requirements.any 至少满足 atLeast 条；每条的 text 如"有效订单数 2/3"是顾客现在的数值对门槛），' +
    'blockedBy 是暂时挡住升级的条件，gains 是升级后多出的权益，老铁没有下一级（nextTier 为 null）；demotion 是什么情况会降级。' +
    '顾客问"我是什么等级""怎么升级""还差多少升级""我有什么权益/特权""老铁有什么好处""会不会降级"时使用。只按结果回答，不要编造门槛或权益。',
  input: z.object({}),
  async execute(ctx) {
    const m = await membershipOf(ctx.db, ctx.caller.shopId, ctx.caller.shopperId, ctx.clock.now());
    return {
      tier: { code: m.tier, label: m.label, since: m.since?.toISOString() ?? null },
      history: m.history.map((h) => ({ from: h.from, fromLabel: TIER_LABELS[h.from], to: h.to, toLabel: TIER_LABELS[h.to], change: h.change, at: h.at.toISOString() })),
      benefits: m.benefits,
      nextTier: m.next
        ? { code: m.next.tier, label: m.next.label, requirements: m.next.requirements, blockedBy: m.next.blockedBy, ready: m.next.ready, gains: m.next.gains }
        : null,
      demotion: m.demotion ? { to: m.demotion.to, label: m.demotion.label, when: m.demotion.when } : null,
    };
  },
});
