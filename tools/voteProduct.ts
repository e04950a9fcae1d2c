import { z } from 'zod';
import { AppError } from '../src/errors.ts';
import { castVote, myVotes, openCampaigns, voteRefusal, type Campaign } from '../src/domain/community/votes.ts';
import type { ToolContext } from '../src/context.ts';
import { currentRules, type LifecycleRules } from '../src/domain/lifecycle/rules.ts';
import { defineTool } from './defineTool.ts';
import { campaignView, viewCampaign, voteRefused } from './voteCampaign.ts';

export const voteProduct = defineTool({
  name: 'voteProduct',
  effect: 'write',
  // A vote cannot be taken back: cast only once the shopper has confirmed the product.
  confirm: {
    async describe(ctx, { campaignId, productId }) {
      const found = await ballotFor(ctx, campaignId, productId);
      if ('voted' in found) return { refusal: found };
      const { campaign } = found;
      const product = campaign.candidates.find((p) => p.productId === productId)!;
      const mine = await myVotes(ctx.db, ctx.caller.shopId, ctx.caller.shopperId, campaign.id);
      if (mine.includes(productId)) return { refusal: { voted: false as const, reason: 'conflict', message: `你已经给「${product.name}」投过票了。` } };
      if (mine.length >= campaign.votesPerShopper) {
        return { refusal: { voted: false as const, reason: 'conflict', message: `这次投票每人最多投 ${campaign.votesPerShopper} 款，你的票已经投完了。` } };
      }
      return { summary: `在「${campaign.title}」里给「${product.name}」投一票（投出后不能撤回，本期还剩 ${campaign.votesPerShopper - mine.length} 票）` };
    },
  },
  description:
    '老铁选品投票：为当前顾客给一款候选新品投一票（每款每人一票，投出后不能撤回），返回最新前 5。productId 取自 listVoteCampaigns 的 candidates[].productId。' +
    '只有老铁可以投票；不能投时返回 voted=false 和可以转述给顾客的原因。',
  input: z.object({
    campaignId: z.number().int().positive().optional().describe('投票活动 id；只有一个进行中的投票时可不填'),
    productId: z.number().int().positive().describe('要投的候选商品 id，取自 listVoteCampaigns 的 candidates[].productId'),
  }),
  output: z.union([campaignView.extend({ voted: z.literal(true) }), voteRefused]),
  async execute(ctx, { campaignId, productId }) {
    const found = await ballotFor(ctx, campaignId, productId);
    if ('voted' in found) return found;
    try {
      const { shopId, shopperId } = ctx.caller;
      const updated = await castVote(ctx.db, shopId, shopperId, { campaignId: found.campaign.id, productId }, found.rules, ctx.clock.now());
      return { voted: true as const, ...(await viewCampaign(ctx, updated)) };
    } catch (e) {
      if (!(e instanceof AppError) || !['conflict', 'forbidden', 'not_found'].includes(e.code)) throw e;
      return { voted: false as const, reason: e.code, message: e.code === 'not_found' ? '这款商品不在这次投票的候选里。' : e.message };
    }
  },
});

/** The open campaign a vote for this product goes to, or why there is none for this shopper. */
async function ballotFor(
  ctx: ToolContext,
  campaignId: number | undefined,
  productId: number,
): Promise<z.infer<typeof voteRefused> | { campaign: Campaign; rules: LifecycleRules['community']['vote'] }> {
  const { shopId, tier } = ctx.caller;
  const { vote } = (await currentRules(ctx.db, shopId)).rules.community;
  const refused = voteRefusal(tier, vote);
  if (refused) return { voted: false as const, reason: 'not_allowed', message: refused };
  const open = await openCampaigns(ctx.db, shopId, ctx.clock.now());
  const campaign =
    campaignId !== undefined ? open.find((c) => c.id === campaignId) : open.find((c) => c.candidates.some((p) => p.productId === productId));
  if (!campaign || !campaign.candidates.some((p) => p.productId === productId)) {
    return { voted: false as const, reason: 'not_found', message: '没有找到包含这款商品的进行中投票。' };
  }
  return { campaign, rules: vote };
}
