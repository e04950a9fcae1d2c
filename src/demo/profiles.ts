// What the lifecycle module would have computed by now, so the demo reads right before its first
// refresh: the potential score of converted shoppers and a one-line profile summary.
import type { Rng } from './rng.ts';
import { SAMPLE_BY_OPENID } from './samples.ts';
import { DAY } from './time.ts';
import type { OrderSeed, PotentialScore, ShopperSeed } from './types.ts';

// docs/domain.md §3.4 Potential score: high = a first order of ≥ 80 yuan (the shop's average is 65) AND
// ≥ 8 minutes of browsing AND ≥ 3 favourites. The browsing part is drawn here ("engaged") and the
// behaviour events are generated to match it (engagement.ts).
const HIGH_FIRST_ORDER_FEN = 8_000;
const AVERAGE_ORDER_FEN = 6_500;
const ENGAGED_SHARE = 0.25;

export function withProfiles(rng: Rng, shoppers: readonly ShopperSeed[], orders: readonly OrderSeed[], now: number): ShopperSeed[] {
  const paidBy = new Map<string, OrderSeed[]>();
  for (const o of orders) {
    if (o.paidAt === null) continue;
    const paid = paidBy.get(o.shopperOpenid);
    if (paid) paid.push(o);
    else paidBy.set(o.shopperOpenid, [o]);
  }
  return shoppers.map((s) => {
    const paid = paidBy.get(s.openid) ?? [];
    const score = s.tier === 'converted' ? (SAMPLE_BY_OPENID.get(s.openid)?.potentialScore ?? potentialScore(rng, paid[0])) : null;
    return { ...s, potentialScore: score, profileSummary: summary(s, paid, now) };
  });
}

function potentialScore(rng: Rng, first: OrderSeed | undefined): PotentialScore {
  const bigFirstOrder = (first?.payFen ?? 0) >= HIGH_FIRST_ORDER_FEN;
  const engaged = rng.chance(ENGAGED_SHARE);
  if (bigFirstOrder && engaged) return 'high';
  return engaged || (first?.payFen ?? 0) >= AVERAGE_ORDER_FEN ? 'mid' : 'low';
}

/** '干皮, 偏好精华, 近90天下单3次' */
function summary(s: ShopperSeed, paid: readonly OrderSeed[], now: number): string {
  if (paid.length === 0) return `${s.skinType}, 新注册, 尚未下单`;
  const byCategory = new Map<string, number>();
  for (const item of paid.flatMap((o) => o.items)) byCategory.set(item.category, (byCategory.get(item.category) ?? 0) + 1);
  const [favourite] = [...byCategory].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const recent = paid.filter((o) => o.createdAt > now - 90 * DAY).length;
  return `${s.skinType}, 偏好${favourite![0]}, 近90天下单${recent}次`;
}
