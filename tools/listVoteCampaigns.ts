import { z } from 'zod';
import { openCampaigns, voteRefusal } from '../src/domain/community/votes.ts';
import { currentRules } from '../src/domain/lifecycle/rules.ts';
import { defineTool } from './defineTool.ts';
import { campaignView, viewCampaign, voteRefused } from './voteCampaign.ts';

export const listVoteCampaigns = defineTool({
  name: 'listVoteCampaigns',
  effect: 'read',
  description:
    '老铁选品投票：列出正在进行的投票（10–20 款候选新品、当前票数前 5、自己已投的款和剩余票数）。顾客问"有什么投票""投票投到哪了"时使用；' +
    '要投票时再用 voteProduct。只有老铁可以投票；不能投时返回 voted=false 和可以转述给顾客的原因。',
  input: z.object({}),
  output: z.union([z.object({ campaigns: z.array(campaignView) }), voteRefused]),
  async execute(ctx) {
    const { shopId, tier } = ctx.caller;
    const { vote } = (await currentRules(ctx.db, shopId)).rules.community;
    const refused = voteRefusal(tier, vote);
    if (refused) return { voted: false as const, reason: 'not_allowed', message: refused };
    const open = await openCampaigns(ctx.db, shopId, ctx.clock.now());
    return { campaigns: await Promise.all(open.map((c) => viewCampaign(ctx, c))) };
  },
});
