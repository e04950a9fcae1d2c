// The 老铁 community of the demo shop (docs/domain.md §11 Community): a running 选品 vote with 12
// candidate new products and the votes other 老铁 have cast, and a feedback centre holding one
// adopted suggestion and a few waiting ones — so a fresh demo shows the community working. The
// sample 老铁 (小雨, demo-openid-0001) has not voted yet: every vote of hers is still to give.
import type { Rng } from './rng.ts';
import { DAY } from './time.ts';
import type { CommunitySeed, ProductSeed, ShopperSeed } from './types.ts';

const CANDIDATES = 12;
const SAMPLE_PREFIX = 'demo-openid-';

const SUGGESTIONS = [
  { text: '建议出一个旅行装组合，洁面+水乳+防晒，出差带着方便', adopted: true },
  { text: '面膜能不能出个不含香精的版本，敏感肌想用', adopted: false },
  { text: '希望老铁群每月搞一次新品试用，名额可以抽签', adopted: false },
  { text: '洗衣液想要更大的补充装，家里用得快', adopted: false },
];

export function generateCommunity(rng: Rng, now: number, shoppers: readonly ShopperSeed[], products: readonly ProductSeed[]): CommunitySeed {
  // One candidate per category where possible: a ballot of different kinds of new products.
  const byCategory = new Map<string, ProductSeed>();
  for (const p of rng.shuffle(products.filter((p) => p.status === 'on_sale'))) if (!byCategory.has(p.category)) byCategory.set(p.category, p);
  const candidates = [...byCategory.values()].slice(0, CANDIDATES);
  const voters = shoppers.filter((s) => s.tier === 'laotie' && !s.openid.startsWith(SAMPLE_PREFIX));
  const opensAt = now - 3 * DAY;
  const votes = voters.flatMap((v) =>
    rng.sample(candidates, rng.int(1, 3)).map((p) => ({ shopperOpenid: v.openid, productSku: p.sku, votedAt: opensAt + rng.int(1, 3 * 24 - 1) * 3_600_000 })),
  );
  const authors = rng.shuffle(shoppers.filter((s) => s.tier === 'laotie' || s.tier === 'core'));
  const feedback = SUGGESTIONS.map((s, i) => ({
    shopperOpenid: authors[i % authors.length]!.openid,
    text: s.text,
    createdAt: now - (20 - i * 4) * DAY,
    adopted: s.adopted ? { rewardFen: 8_800, credit: '旅行装组合已排进下季度新品', adoptedAt: now - 10 * DAY } : null,
  }));
  return {
    campaign: { title: '老铁选品·冬季新品投票', opensAt, closesAt: now + 11 * DAY, candidateSkus: candidates.map((p) => p.sku), votesPerShopper: 5, topN: 5 },
    votes,
    feedback,
  };
}
