// A running 老铁 vote as the card shows it: shared by listVoteCampaigns (what is on the ballot) and
// voteProduct (the ballot after a vote).
import { z } from 'zod';
import type { ToolContext } from '../src/context.ts';
import { formatPrice } from '../src/domain/catalog/price.ts';
import { myVotes, type Campaign } from '../src/domain/community/votes.ts';

export const campaignView = z.object({
  campaignId: z.number(),
  title: z.string(),
  closesAt: z.string().nullable(),
  candidates: z.array(z.object({ productId: z.number(), name: z.string(), category: z.string(), price: z.string(), votes: z.number() })),
  top: z.array(z.object({ productId: z.number(), name: z.string(), votes: z.number() })),
  myVotes: z.array(z.number()),
  votesLeft: z.number(),
});

export async function viewCampaign(ctx: ToolContext, c: Campaign): Promise<z.infer<typeof campaignView>> {
  const mine = await myVotes(ctx.db, ctx.caller.shopId, ctx.caller.shopperId, c.id);
  return {
    campaignId: c.id,
    title: c.title,
    closesAt: c.closesAt?.toISOString() ?? null,
    candidates: c.candidates.map((p) => ({ productId: p.productId, name: p.name, category: p.category, price: formatPrice(p.priceFen), votes: p.votes })),
    top: c.top.map((p) => ({ productId: p.productId, name: p.name, votes: p.votes })),
    myVotes: mine,
    votesLeft: Math.max(c.votesPerShopper - mine.length, 0),
  };
}

/** A vote that cannot be cast, in words the card can pass on. */
export const voteRefused = z.object({ voted: z.literal(false), reason: z.string(), message: z.string() });
