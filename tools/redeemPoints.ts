import { z } from 'zod';
import { AppError } from '../src/errors.ts';
import { previewRedemption, redeemPoints as redeem } from '../src/domain/policy/points.ts';
import { typable } from '../src/text/typable.ts';
import { defineTool } from './defineTool.ts';

export const redeemPoints = defineTool({
  name: 'redeemPoints',
  effect: 'write',
  output: z.discriminatedUnion('redeemed', [
    z.object({
      redeemed: z.literal(true),
      name: z.string(),
      rule: z.string(),
      pointsSpent: z.number(),
      balance: z.number(),
      validUntil: z.string(),
    }),
    z.object({ redeemed: z.literal(false), reason: z.string(), message: z.string() }),
  ]),
  description:
    '用当前顾客的积分兑换一张无门槛券（默认 100 积分换 10 元）。顾客明确要兑换时才调用；templateCode 来自 listTasks 的 redeem[].templateCode，' +
    '不填则兑换最便宜的那张。每次只兑换一张。积分不够、已持有上限或不在可兑换等级时返回 redeemed=false 和可以转述给顾客的说明。',
  input: z.object({
    templateCode: typable().trim().min(1).max(64).optional().describe('积分券代码，取自 listTasks 的 redeem[].templateCode'),
    times: z.literal(1).optional().describe('兑换张数，只能是 1'),
  }),
  confirm: {
    async describe(ctx, { templateCode }) {
      try {
        const r = await previewRedemption(ctx.db, ctx.caller.shopId, ctx.caller.shopperId, { templateCode, now: ctx.clock.now() });
        return { summary: `用 ${r.pointsCost} 积分兑换「${r.name}」（${r.rule}），你现有 ${r.balance} 积分，兑换后剩余 ${r.balance - r.pointsCost} 积分` };
      } catch (e) {
        const refusal = refusalOf(e);
        if (!refusal) throw e;
        return { refusal };
      }
    },
  },
  async execute(ctx, { templateCode }) {
    try {
      const r = await redeem(ctx.db, ctx.caller.shopId, ctx.caller.shopperId, { templateCode, now: ctx.clock.now() });
      return {
        redeemed: true as const,
        name: r.name,
        rule: r.rule,
        pointsSpent: r.pointsSpent,
        balance: r.balance,
        validUntil: r.validUntil.toISOString(),
      };
    } catch (e) {
      const refusal = refusalOf(e);
      if (!refusal) throw e;
      return refusal;
    }
  },
});

/** Not enough points, not for this tier, holding the limit: answers for the shopper, not failures. */
function refusalOf(e: unknown) {
  if (!(e instanceof AppError) || !['conflict', 'forbidden', 'not_found'].includes(e.code)) return null;
  const message = e.code === 'not_found' ? '现在没有可以用积分兑换的券。' : e.message;
  return { redeemed: false as const, reason: e.code, message };
}
