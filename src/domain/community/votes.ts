// 老铁选品 (docs/domain.md §11 Community): the supplier's 10–20 candidate products, voted on by 老铁, top 5
// launched. One vote per shopper per candidate is the votes table's primary key; the per-campaign allowance
// is checked under the voter's row lock, so parallel votes of one shopper cannot exceed it.
import type { Tier } from '../../context.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors.ts';
import { TIER_LABELS } from '../lifecycle/labels.ts';
import type { LifecycleRules } from '../lifecycle/rules.ts';

type VoteRules = LifecycleRules['community']['vote'];

export interface Candidate {
  productId: number;
  name: string;
  category: string;
  /** The product's price now, in fen: shoppers weigh it when they choose. */
  priceFen: number;
  votes: number;
}

export interface Campaign {
  id: number;
  title: string;
  status: 'open' | 'closed';
  votesPerShopper: number;
  topN: number;
  closesAt: Date | null;
  candidates: Candidate[];
  /** The first topN candidates by votes (ties: the earlier-listed product first). */
  top: Candidate[];
}

export async function createVoteCampaign(
  db: Db,
  shopId: string,
  input: { title: string; productIds: readonly number[]; closesAt?: Date | null },
  rules: VoteRules,
  now: Date,
): Promise<Campaign> {
  const ids = [...new Set(input.productIds)];
  if (ids.length < rules.minCandidates || ids.length > rules.maxCandidates) {
    throw new Invalid(`a vote needs ${rules.minCandidates}–${rules.maxCandidates} different candidate products, got ${ids.length}`);
  }
  if (input.closesAt && input.closesAt <= now) throw new Invalid('closesAt must be in the future');
  const id = await db.transaction(async (tx) => {
    const { rows: found } = await tx.query<{ id: number }>('SELECT id FROM products WHERE shop_id = $1 AND id = ANY($2::bigint[])', [
      shopId,
      ids,
    ]);
    if (found.length !== ids.length) throw new Invalid('every candidate must be a product of this shop');
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO vote_campaigns (shop_id, title, votes_per_shopper, top_n, opens_at, closes_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $5) RETURNING id`,
      [shopId, input.title, rules.votesPerShopper, rules.topN, now, input.closesAt ?? null],
    );
    const campaignId = rows[0]!.id;
    await tx.query(
      `INSERT INTO vote_candidates (shop_id, campaign_id, product_id) SELECT $1, $2, unnest($3::bigint[])`,
      [shopId, campaignId, ids],
    );
    return campaignId;
  });
  return (await getCampaign(db, shopId, id))!;
}

export async function getCampaign(db: Queryable, shopId: string, campaignId: number): Promise<Campaign | null> {
  const { rows } = await db.query<{ id: number; title: string; status: 'open' | 'closed'; votes_per_shopper: number; top_n: number; closes_at: Date | null }>(
    'SELECT id, title, status, votes_per_shopper, top_n, closes_at FROM vote_campaigns WHERE shop_id = $1 AND id = $2',
    [shopId, campaignId],
  );
  const c = rows[0];
  if (!c) return null;
  const { rows: cands } = await db.query<{ product_id: number; name: string; category: string; price_fen: number; votes: number }>(
    `SELECT vc.product_id, p.name, p.category, p.price_fen,
            (SELECT count(*) FROM votes v WHERE v.campaign_id = vc.campaign_id AND v.product_id = vc.product_id) AS votes
       FROM vote_candidates vc JOIN products p ON p.id = vc.product_id
      WHERE vc.shop_id = $1 AND vc.campaign_id = $2 ORDER BY vc.product_id`,
    [shopId, campaignId],
  );
  const candidates = cands.map((r) => ({ productId: r.product_id, name: r.name, category: r.category, priceFen: Number(r.price_fen), votes: Number(r.votes) }));
  const top = [...candidates].sort((a, b) => b.votes - a.votes || a.productId - b.productId).slice(0, c.top_n);
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    votesPerShopper: c.votes_per_shopper,
    topN: c.top_n,
    closesAt: c.closes_at,
    candidates,
    top,
  };
}

/** Campaigns open for votes at `now`, newest first. */
export async function openCampaigns(db: Queryable, shopId: string, now: Date): Promise<Campaign[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM vote_campaigns
      WHERE shop_id = $1 AND status = 'open' AND opens_at <= $2 AND (closes_at IS NULL OR closes_at > $2)
      ORDER BY id DESC`,
    [shopId, now],
  );
  const out: Campaign[] = [];
  for (const r of rows) out.push((await getCampaign(db, shopId, r.id))!);
  return out;
}

/** The candidates a shopper has voted for in a campaign. */
export async function myVotes(db: Queryable, shopId: string, shopperId: number, campaignId: number): Promise<number[]> {
  const { rows } = await db.query<{ product_id: number }>(
    'SELECT product_id FROM votes WHERE shop_id = $1 AND shopper_id = $2 AND campaign_id = $3 ORDER BY product_id',
    [shopId, shopperId, campaignId],
  );
  return rows.map((r) => r.product_id);
}

export function voteRefusal(tier: Tier, rules: VoteRules): string | null {
  if (rules.voterTiers.includes(tier)) return null;
  return `选品投票是${rules.voterTiers.map((t) => TIER_LABELS[t]).join('、')}专属的权益，你目前是${TIER_LABELS[tier]}，继续下单、分享和反馈就能升级哦。`;
}

export async function castVote(
  db: Db,
  shopId: string,
  shopperId: number,
  vote: { campaignId: number; productId: number },
  rules: VoteRules,
  now: Date,
): Promise<Campaign> {
  await db.transaction(async (tx) => {
    const { rows: me } = await tx.query<{ tier: Tier }>('SELECT tier FROM shoppers WHERE shop_id = $1 AND id = $2 FOR NO KEY UPDATE', [
      shopId,
      shopperId,
    ]);
    if (!me[0]) throw new NotFound('shopper');
    const refused = voteRefusal(me[0].tier, rules);
    if (refused) throw new Forbidden(refused);
    const campaign = (await openCampaigns(tx, shopId, now)).find((c) => c.id === vote.campaignId);
    if (!campaign) throw new NotFound('open vote');
    if (!campaign.candidates.some((c) => c.productId === vote.productId)) throw new NotFound('candidate');
    const mine = await myVotes(tx, shopId, shopperId, campaign.id);
    if (mine.includes(vote.productId)) throw new Conflict('这款你已经投过票了，每款只能投一次。');
    if (mine.length >= campaign.votesPerShopper) {
      throw new Conflict(`这次选品每人最多投 ${campaign.votesPerShopper} 款，你已经投满了。`);
    }
    const { rows } = await tx.query(
      `INSERT INTO votes (shop_id, campaign_id, product_id, shopper_id, voted_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [shopId, campaign.id, vote.productId, shopperId, now],
    );
    if (rows.length === 0) throw new Conflict('这款你已经投过票了，每款只能投一次。');
  });
  return (await getCampaign(db, shopId, vote.campaignId))!;
}

export async function closeCampaign(db: Queryable, shopId: string, campaignId: number, now: Date): Promise<Campaign> {
  const { rowCount } = await db.query(
    `UPDATE vote_campaigns SET status = 'closed', closes_at = coalesce(least(closes_at, $3), $3) WHERE shop_id = $1 AND id = $2`,
    [shopId, campaignId, now],
  );
  if (rowCount === 0) throw new NotFound('vote');
  return (await getCampaign(db, shopId, campaignId))!;
}
