import { z } from 'zod';
import { ruleText } from '../src/domain/coupons/templates.ts';
import { TIER_LABELS } from '../src/domain/lifecycle/labels.ts';
import { currentRules } from '../src/domain/lifecycle/rules.ts';
import { pointsBalance } from '../src/domain/points/ledger.ts';
import { taskProgress } from '../src/domain/policy/tasks.ts';
import { policyTemplates } from '../src/domain/policy/templates.ts';
import { defineTool } from './defineTool.ts';

const PERIOD_LABELS = { once: '一次性', day: '每天', week: '每周', month: '每月' } as const;

export const listTasks = defineTool({
  name: 'listTasks',
  effect: 'read',
  output: z.object({
    balance: z.number(),
    tasks: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        progress: z.number(),
        target: z.number(),
        points: z.number(),
        done: z.boolean(),
        repeats: z.string(),
      }),
    ),
    redeem: z.array(z.object({ templateCode: z.string(), name: z.string(), rule: z.string(), pointsCost: z.number(), affordable: z.boolean() })),
    message: z.string().optional(),
  }),
  description:
    '查看当前顾客的积分成长任务（如浏览新品、分享商品）和本期进度、积分余额，以及积分可兑换的券（templateCode 可交给 redeemPoints）。' +
    '顾客问"怎么赚积分""任务做到哪了""积分能换什么"时使用。',
  input: z.object({}),
  async execute(ctx) {
    const { shopId, shopperId, tier } = ctx.caller;
    const now = ctx.clock.now();
    const { rules } = await currentRules(ctx.db, shopId);
    const mine = rules.tasks.filter((t) => t.audienceTiers.includes(tier));
    const tasks = [];
    for (const t of mine) {
      const p = await taskProgress(ctx.db, shopId, shopperId, t, now);
      tasks.push({
        code: p.code,
        name: p.name,
        progress: p.progress,
        target: p.target,
        points: p.points,
        done: p.done,
        repeats: PERIOD_LABELS[p.period],
      });
    }
    const balance = await pointsBalance(ctx.db, ctx.caller);
    const redeem = (await policyTemplates(ctx.db, shopId, 'points_redeem'))
      .filter((t) => t.pointsCost !== null && t.audienceTiers.includes(tier))
      .map((t) => ({ templateCode: t.code, name: t.name, rule: ruleText(t), pointsCost: t.pointsCost!, affordable: balance >= t.pointsCost! }));
    return {
      balance,
      tasks,
      redeem,
      ...(tasks.length === 0 && { message: `${TIER_LABELS[tier]}目前没有可做的积分任务，完成首单后就能参加成长任务。` }),
    };
  },
});
