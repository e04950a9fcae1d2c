import { z } from 'zod';
import { ruleText } from '../src/domain/coupons/templates.ts';
import { pointsOverview } from '../src/domain/points/overview.ts';
import { defineTool } from './defineTool.ts';

const RECENT_ENTRIES = 10;

export const getPoints = defineTool({
  name: 'getPoints',
  effect: 'read',
  output: z.object({
    balance: z.number(),
    recent: z.array(z.object({ delta: z.number(), reason: z.string(), at: z.string() })),
    redeemable: z.array(z.object({ templateCode: z.string(), name: z.string(), rule: z.string(), pointsCost: z.number().nullable(), affordable: z.boolean() })),
  }),
  description:
    '查看当前顾客的积分：余额、最近 10 条积分变动（最新在前）、以及积分可以兑换的优惠券（templateCode 为兑换时用的券代码，pointsCost 为所需积分，affordable 表示现在够不够）。' +
    '顾客问"我有多少积分""积分能换什么"时使用。',
  input: z.object({}),
  async execute(ctx) {
    const { balance, recent: entries, redeemable } = await pointsOverview(ctx.db, ctx.caller, ctx.clock.now(), RECENT_ENTRIES);
    return {
      balance,
      recent: entries.map((e) => ({ delta: e.delta, reason: e.reason, at: e.at.toISOString() })),
      redeemable: redeemable.map((t) => ({
        templateCode: t.code,
        name: t.name,
        rule: ruleText(t),
        pointsCost: t.pointsCost,
        affordable: t.pointsCost !== null && balance >= t.pointsCost,
      })),
    };
  },
});
