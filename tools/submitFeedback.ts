import { z } from 'zod';
import { submitFeedback as submit } from '../src/domain/community/feedback.ts';
import { currentRules } from '../src/domain/lifecycle/rules.ts';
import { shortYuan } from '../src/domain/orders/money.ts';
import { NotFound } from '../src/errors.ts';
import { typable } from '../src/text/typable.ts';
import { defineTool } from './defineTool.ts';

export const submitFeedback = defineTool({
  name: 'submitFeedback',
  effect: 'write',
  output: z.discriminatedUnion('submitted', [
    z.object({ submitted: z.literal(true), feedbackId: z.number(), message: z.string() }),
    z.object({ submitted: z.literal(false), reason: z.string(), message: z.string() }),
  ]),
  description:
    '把当前顾客的产品改进建议或活动创意提交到反馈中心（原话记录，商家会查看；被采纳可获现金奖励和勋章）。' +
    '顾客明确提出建议、想反馈时调用；text 用顾客自己的话，productId 是相关商品（可选）。',
  input: z.object({
    text: typable().trim().min(1).max(2000).describe('建议内容，尽量保留顾客原话'),
    productId: z.number().int().positive().optional().describe('相关商品 id（可选）'),
  }),
  async execute(ctx, { text, productId }) {
    const { shopId, shopperId } = ctx.caller;
    try {
      const f = await submit(ctx.db, shopId, shopperId, { text, productId }, ctx.clock.now());
      const range = (await currentRules(ctx.db, shopId)).rules.community.feedbackRewardFen;
      return {
        submitted: true as const,
        feedbackId: f.id,
        message: `已收到你的建议，商家会认真查看；被采纳的建议可获得 ${shortYuan(range.min)}–${shortYuan(range.max)} 元奖励。`,
      };
    } catch (e) {
      if (!(e instanceof NotFound)) throw e;
      return { submitted: false as const, reason: 'not_found', message: '没有找到这款商品，可以不指定商品再提交一次。' };
    }
  },
});
