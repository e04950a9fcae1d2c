import { z } from 'zod';
import { badgesOf } from '../src/domain/community/badges.ts';
import { currentRules } from '../src/domain/lifecycle/rules.ts';
import { defineTool } from './defineTool.ts';

export const listBadges = defineTool({
  name: 'listBadges',
  effect: 'read',
  output: z.object({
    earned: z.array(z.object({ name: z.string(), description: z.string(), reason: z.string(), awardedAt: z.string() })),
    toEarn: z.array(z.object({ name: z.string(), howToEarn: z.string() })),
  }),
  description: '查看当前顾客已获得的勋章（如首席体验官、裂变先锋、首席创意官）和还可以争取的勋章及获得方式。顾客问"我有什么勋章""怎么拿勋章"时使用。',
  input: z.object({}),
  async execute(ctx) {
    const { shopId, shopperId } = ctx.caller;
    const { badges } = (await currentRules(ctx.db, shopId)).rules.community;
    const { earned, toEarn } = await badgesOf(ctx.db, shopId, shopperId, badges);
    return {
      earned: earned.map((b) => ({ name: b.name, description: b.description, reason: b.reason, awardedAt: b.awardedAt.toISOString() })),
      toEarn: toEarn.map((b) => ({ name: b.name, howToEarn: b.description })),
    };
  },
});
