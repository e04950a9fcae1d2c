// Which candidate a vote goes to when the message picks it by a superlative (most or fewest votes,
// cheapest), and that a question about the ballot casts nothing.
import { type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import type { ToolOutput } from '../../../tools/defineTool.ts';
import { TOOLS } from '../../../tools/index.ts';
import { offlineChat } from '../../helpers/offlineChat.ts';

const CONTEXT = {
  shopName: '老铁美妆',
  advisorName: '小美',
  tier: 'laotie',
  today: '2026-11-24',
  categories: ['唇釉', '精华', '面膜', '眼霜'],
  handoffAvailable: true,
};

const { canned, chat: talk } = offlineChat(CONTEXT);
const chat = (user: string) => talk(BALLOT_TOOLS, user);

// Each superlative picks a different candidate, and none of them is the first listed.
const LIP_GLAZE = { productId: 301, name: '鎏金 丝绒唇釉', category: '唇釉', price: '¥129.00', votes: 40 };
const SERUM = { productId: 302, name: '青禾 修护精华', category: '精华', price: '¥219.00', votes: 88 };
const MASK = { productId: 303, name: '水漾 补水面膜', category: '面膜', price: '¥39.00', votes: 52 };
const EYE_CREAM = { productId: 304, name: '雪棠 紧致眼霜', category: '眼霜', price: '¥159.00', votes: 7 };
const CANDIDATES = [LIP_GLAZE, SERUM, MASK, EYE_CREAM];

const CAMPAIGN: ToolOutput<typeof TOOLS.listVoteCampaigns> = {
  campaigns: [
    {
      campaignId: 9,
      title: '12月新品选品投票',
      closesAt: '2026-12-01T00:00:00.000Z',
      candidates: CANDIDATES,
      top: [...CANDIDATES].sort((a, b) => b.votes - a.votes).map(({ productId, name, votes }) => ({ productId, name, votes })),
      myVotes: [],
      votesLeft: 3,
    },
  ],
};

const BALLOT_TOOLS: ToolSet = {
  listVoteCampaigns: canned(TOOLS.listVoteCampaigns, () => CAMPAIGN),
  voteProduct: canned(TOOLS.voteProduct, ({ productId }) => ({
    ...CAMPAIGN.campaigns[0]!,
    voted: true as const,
    myVotes: [productId],
    votesLeft: 2,
  })),
};

const votedFor = (r: { calls: { name: string; input: Record<string, unknown> }[] }) =>
  r.calls.filter((c) => c.name === 'voteProduct').map((c) => c.input.productId);

describe('a vote for the candidate a superlative picks', () => {
  it('"就投票数最高的那款" votes for the leader', async () => {
    const r = await chat('就投票数最高的那款');
    expect(votedFor(r)).toEqual([SERUM.productId]);
  });

  it('"给票数最少的投一票" votes for the candidate with the fewest votes', async () => {
    const r = await chat('给票数最少的投一票');
    expect(votedFor(r)).toEqual([EYE_CREAM.productId]);
  });

  it('"最便宜的那个我想投它" votes for the cheapest candidate', async () => {
    const r = await chat('最便宜的那个我想投它');
    expect(votedFor(r)).toEqual([MASK.productId]);
  });

  it('"现在哪几款票数最高" is a question about the ballot and casts no vote', async () => {
    const r = await chat('现在哪几款票数最高');
    expect(r.calls.map((c) => c.name)).toEqual(['listVoteCampaigns']);
    expect(r.text).toContain(SERUM.name);
  });
});

describe('a vote for a candidate named in part', () => {
  it('"我投修护精华" votes for the candidate whose name holds it', async () => {
    const r = await chat('选品投票 我投修护精华');
    expect(votedFor(r)).toEqual([SERUM.productId]);
  });

  it('answering the ballot just shown with part of a name votes for that candidate', async () => {
    const shown = await chat('看看投票');
    expect(votedFor(shown)).toEqual([]);
    const r = await talk(BALLOT_TOOLS, '水漾的补水面膜', shown.messages);
    expect(votedFor(r)).toEqual([MASK.productId]);
  });

  it('"修护精华现在多少票" asks about the ballot and casts nothing', async () => {
    const r = await chat('修护精华现在多少票');
    expect(votedFor(r)).toEqual([]);
  });
});
