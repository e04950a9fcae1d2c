// The 链动2+1 referral forest (docs/domain.md §4 Referral). Every referrer registered before the shopper it
// referred, so the links can only point back in time and never close a cycle. Each boss has directly
// referred at least 2 agents (the rule that made them boss); an agent has referred no agent, or it
// would be a boss already. About 45 % of the other shoppers came through someone's share link
// (case: share of new users from referrals).
import type { Rng } from './rng.ts';
import { SAMPLE_BY_OPENID } from './samples.ts';
import type { ShopperSeed } from './types.ts';

const EXTRA_BOSSES = 10;
const FREE_AGENTS = 12;
const PEER_BOSSES = 3;
const REFERRED_SHARE = 0.45;

/** Sets identity, referrer and binding time on the shoppers, in place. */
export function assignReferrals(rng: Rng, shoppers: ShopperSeed[]): void {
  const byOpenid = new Map(shoppers.map((s) => [s.openid, s]));
  const fixed = (s: ShopperSeed) => SAMPLE_BY_OPENID.has(s.openid);
  const buyers = shoppers.filter((s) => s.tier !== 'new');
  const bossCandidates = rng.shuffle(buyers.filter((s) => !fixed(s) && s.tier !== 'converted'));
  for (const boss of bossCandidates.slice(0, EXTRA_BOSSES)) boss.identity = 'boss';

  const bosses = shoppers.filter((s) => s.identity === 'boss');
  for (const boss of bosses) {
    const direct = shoppers.filter((s) => s.referrerOpenid === boss.openid && s.identity === 'agent').length;
    const recruits = rng
      .shuffle(buyers.filter((s) => !fixed(s) && s.identity === 'member' && s.referrerOpenid === null && s.registeredAt > boss.registeredAt))
      .slice(0, Math.max(0, rng.int(2, 3) - direct));
    for (const agent of recruits) {
      agent.identity = 'agent';
      agent.referrerOpenid = boss.openid;
    }
  }

  // A few bosses came in through an earlier boss's link (the 平级奖 case).
  for (const boss of rng.shuffle(bosses.filter((b) => !fixed(b))).slice(0, PEER_BOSSES)) {
    const earlier = bosses.filter((b) => b.registeredAt < boss.registeredAt);
    if (earlier.length > 0) boss.referrerOpenid = rng.pick(earlier).openid;
  }

  // Agents outside any team: they bought the activation product on their own or via a boss's link.
  for (const agent of rng.shuffle(buyers.filter((s) => !fixed(s) && s.identity === 'member' && s.referrerOpenid === null)).slice(0, FREE_AGENTS)) {
    agent.identity = 'agent';
    const earlierBosses = bosses.filter((b) => b.registeredAt < agent.registeredAt);
    if (earlierBosses.length > 0 && rng.chance(0.5)) agent.referrerOpenid = rng.pick(earlierBosses).openid;
  }

  for (const member of shoppers.filter((s) => !fixed(s) && s.identity === 'member' && s.referrerOpenid === null)) {
    if (!rng.chance(REFERRED_SHARE)) continue;
    const earlier = shoppers.filter((s) => s.registeredAt < member.registeredAt);
    const sharers = earlier.filter((s) => s.identity !== 'member');
    const pool = sharers.length > 0 && rng.chance(0.85) ? sharers : earlier;
    if (pool.length > 0) member.referrerOpenid = rng.pick(pool).openid;
  }

  for (const s of shoppers) {
    if (s.referrerOpenid === null) continue;
    const referrer = byOpenid.get(s.referrerOpenid);
    if (!referrer || referrer.registeredAt >= s.registeredAt) throw new Error(`seed: ${s.openid} registered before its referrer`);
    // Bound when they registered through the share link.
    s.referralBoundAt = s.registeredAt;
  }
}
