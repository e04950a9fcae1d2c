import { z } from 'zod';
import { AppError } from '../src/errors.ts';
import { castVote, myVotes, openCampaigns, voteRefusal, type Campaign } from '../src/domain/community/votes.ts';
import { currentRules } from '../src/domain/lifecycle/rules.ts';
import type { ToolContext } from '../src/context.ts';
import { defineTool } from './defineTool.ts';

async function view(ctx: ToolContext, c: Campaign) {
  const mine = await myVotes(ctx.db, ctx.caller.shopId, ctx.caller.shopperId, c.id);
  return {
    campaignId: c.id,
    title: c.title,
    closesAt: c.closesAt?.toISOString() ?? null,
    candidates: c.candidates.map((p) => ({ productId: p.productId, name: p.name, category: p.category, votes: p.votes })),
    top: c.top.map((p) => ({ productId: p.productId, name: p.name, votes: p.votes })),
    myVotes: mine,
    votesLeft: Math.max(c.votesPerShopper - mine.length, 0),
  };
}

export const voteProduct = defineTool({
  name: 'voteProduct',
  description:
    '老铁选品投票：不带 productId 时列出正在进行的投票（10–20 款候选新品、当前票数前 5、自己已投的款）；带 productId 时为当前顾客投一票（每款每人一票），并返回最新前 5。' +
    '只有老铁可以投票；不能投时返回 voted=false 和可以转述给顾客的原因。',
  input: z.object({
    campaignId: z.number().int().positive().optional().describe('投票活动 id；只有一个进行中的投票时可不填'),
    productId: z.number().int().positive().optional().describe('要投的候选商品 id，取自 candidates[].productId'),
  }),
  async execute(ctx, { campaignId, productId }) {
    const { shopId, shopperId, tier } = ctx.caller;
    const { vote } = (await currentRules(ctx.db, shopId)).rules.community;
    const refused = voteRefusal(tier, vote);
    if (refused) return { voted: false as const, reason: 'not_allowed', message: refused };
    const now = ctx.clock.now();
    const open = await openCampaigns(ctx.db, shopId, now);
    if (productId === undefined) return { campaigns: await Promise.all(open.map((c) => view(ctx, c))) };
    const target =
      campaignId !== undefined
        ? open.find((c) => c.id === campaignId)
        : open.find((c) => c.candidates.some((p) => p.productId === productId));
    if (!target) return { voted: false as const, reason: 'not_found', message: '没有找到包含这款商品的进行中投票。' };
    try {
      const updated = await castVote(ctx.db, shopId, shopperId, { campaignId: target.id, productId }, vote, now);
      return { voted: true as const, ...(await view(ctx, updated)) };
    } catch (e) {
      if (!(e instanceof AppError) || !['conflict', 'forbidden', 'not_found'].includes(e.code)) throw e;
      return { voted: false as const, reason: e.code, message: e.code === 'not_found' ? '这款商品不在这次投票的候选里。' : e.message };
    }
  },
});
