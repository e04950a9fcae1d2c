import { beforeAll, expect, it } from 'vitest';
import { adoptFeedback } from '../../src/domain/community/feedback.ts';
import { castVote, createVoteCampaign } from '../../src/domain/community/votes.ts';
import { DEFAULT_RULES } from '../../src/domain/lifecycle/rules.ts';
import { runTool } from '../../tools/defineTool.ts';
import { listBadges } from '../../tools/listBadges.ts';
import { submitFeedback } from '../../tools/submitFeedback.ts';
import { listVoteCampaigns } from '../../tools/listVoteCampaigns.ts';
import { voteProduct } from '../../tools/voteProduct.ts';
import { describeDb } from '../helpers/db.ts';
import { createShopper } from '../helpers/fixtures.ts';
import { shopperContext } from '../helpers/toolContext.ts';
import { addProduct, lifecycleShop } from './lifecycleFixtures.ts';

const NOW = '2026-03-15T02:00:00Z';
const { vote: VOTE, ...COMMUNITY } = DEFAULT_RULES.community;

describeDb('the 老铁 community', (db) => {
  let shop: string;
  let candidates: number[];
  let campaignId: number;
  let laotie: number;
  let core: number;

  beforeAll(async () => {
    shop = await lifecycleShop(db());
    candidates = [];
    for (let i = 1; i <= 12; i++) candidates.push(await addProduct(db(), shop, { sku: `CAND-${i}`, category: '彩妆' }));
    laotie = (await createShopper(db(), { shopId: shop, tier: 'laotie' })).id;
    core = (await createShopper(db(), { shopId: shop, tier: 'core' })).id;
    campaignId = (await createVoteCampaign(db(), shop, { title: '下期上新投票', productIds: candidates }, VOTE, new Date(NOW))).id;
  });

  it('opens a vote only on 10–20 candidate products of the shop', async () => {
    const now = new Date(NOW);
    await expect(createVoteCampaign(db(), shop, { title: '太少', productIds: candidates.slice(0, 9) }, VOTE, now)).rejects.toThrow(/10–20/);
    await expect(createVoteCampaign(db(), shop, { title: '别家', productIds: [...candidates.slice(0, 9), 999_999] }, VOTE, now)).rejects.toThrow(
      /product of this shop/,
    );
  });

  it('lets only 老铁 vote, and tells the others why', async () => {
    const refused = await runTool(voteProduct, await shopperContext(db(), shop, core, NOW), { productId: candidates[0] });
    expect(refused).toMatchObject({ voted: false, reason: 'not_allowed', message: expect.stringContaining('老铁专属') });
    expect(await runTool(listVoteCampaigns, await shopperContext(db(), shop, core, NOW), {})).toMatchObject({ voted: false, reason: 'not_allowed' });
    const listed = (await runTool(listVoteCampaigns, await shopperContext(db(), shop, laotie, NOW), {})) as {
      campaigns: { campaignId: number; candidates: unknown[]; votesLeft: number }[];
    };
    expect(listed.campaigns).toHaveLength(1);
    expect(listed.campaigns[0]).toMatchObject({ campaignId, votesLeft: 5 });
    expect(listed.campaigns[0]!.candidates).toHaveLength(12);
  });

  it('counts one vote per shopper per candidate, even when sent twice at once', async () => {
    const ctx = await shopperContext(db(), shop, laotie, NOW);
    const twice = await Promise.all([
      runTool(voteProduct, ctx, { productId: candidates[3] }),
      runTool(voteProduct, ctx, { productId: candidates[3] }),
    ]);
    expect(twice.map((r) => (r as { voted: boolean }).voted).sort()).toEqual([false, true]);
    expect(twice.find((r) => !(r as { voted: boolean }).voted)).toMatchObject({ reason: 'conflict', message: expect.stringContaining('投过') });
    const { rows } = await db().query<{ n: number }>('SELECT count(*) AS n FROM votes WHERE campaign_id = $1 AND product_id = $2', [
      campaignId,
      candidates[3],
    ]);
    expect(rows[0]!.n).toBe(1);
  });

  it('reports the top 5 and caps each shopper at the campaign allowance', async () => {
    // Six more 老铁: candidate c gets 6 - c of their votes (candidate 3 one less: it has one from above).
    const voters = [];
    for (let i = 0; i < 6; i++) voters.push((await createShopper(db(), { shopId: shop, tier: 'laotie' })).id);
    const now = new Date(NOW);
    for (let c = 0; c < 6; c++) {
      for (const v of voters.slice(0, 6 - c)) {
        if (c === 3 && v === voters[0]) continue;
        await castVote(db(), shop, v, { campaignId, productId: candidates[c]! }, VOTE, now);
      }
    }
    const ctx = await shopperContext(db(), shop, laotie, NOW);
    const r = (await runTool(voteProduct, ctx, { campaignId, productId: candidates[0] })) as {
      voted: boolean;
      top: { productId: number; votes: number }[];
      votesLeft: number;
    };
    expect(r.voted).toBe(true);
    expect(r.top.map((t) => [t.productId, t.votes])).toEqual([
      [candidates[0], 7],
      [candidates[1], 5],
      [candidates[2], 4],
      [candidates[3], 3],
      [candidates[4], 2],
    ]);
    expect(r.votesLeft).toBe(3);
    for (const c of [6, 7, 8]) await runTool(voteProduct, ctx, { productId: candidates[c] });
    const over = await runTool(voteProduct, ctx, { productId: candidates[9] });
    expect(over).toMatchObject({ voted: false, reason: 'conflict', message: expect.stringContaining('最多投 5 款') });
  });

  it('stores feedback, and adopting it pays a reward in the shop range and awards the badge once', async () => {
    const ctx = await shopperContext(db(), shop, core, NOW);
    const sent = (await runTool(submitFeedback, ctx, { text: '建议出一个闺蜜拼团活动', productId: candidates[0] })) as { submitted: boolean; feedbackId: number };
    expect(sent).toMatchObject({ submitted: true, message: expect.stringContaining('500–2000') });
    expect(await runTool(submitFeedback, ctx, { text: '  ' })).toMatchObject({ error: { code: 'invalid' } });
    expect(await runTool(submitFeedback, ctx, { text: 'x'.repeat(2001) })).toMatchObject({ error: { code: 'invalid' } });
    const tags = await db().query<{ tags: { interaction: { feedbacks: number } } }>('SELECT tags FROM shoppers WHERE id = $1', [core]);
    expect(tags.rows[0]!.tags.interaction.feedbacks).toBe(1);

    const community = { ...COMMUNITY, vote: VOTE };
    const now = new Date(NOW);
    await expect(adoptFeedback(db(), shop, sent.feedbackId, { rewardFen: 10_000 }, community, 'staff-1', now)).rejects.toThrow(/500–2000/);
    const adopted = await adoptFeedback(db(), shop, sent.feedbackId, { rewardFen: 150_000, credit: '闺蜜拼团创意发起人' }, community, 'staff-1', now);
    expect(adopted).toMatchObject({ status: 'adopted', rewardFen: 150_000, badge: 'chief_creative_officer' });
    await expect(adoptFeedback(db(), shop, sent.feedbackId, { rewardFen: 150_000 }, community, 'staff-1', now)).rejects.toThrow(/already adopted/);
    await expect(adoptFeedback(db(), 'another-shop', sent.feedbackId, { rewardFen: 150_000 }, community, 'staff-1', now)).rejects.toThrow(/not found/);

    const badges = (await runTool(listBadges, ctx, {})) as { earned: { name: string; reason: string }[]; toEarn: { name: string }[] };
    expect(badges.earned).toEqual([expect.objectContaining({ name: '首席创意官', reason: `建议被采纳（#${sent.feedbackId}）` })]);
    expect(badges.toEarn.map((b) => b.name)).toEqual(['首席体验官', '裂变先锋']);
  });
});
