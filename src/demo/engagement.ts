// What shoppers did besides ordering: share links of agents and bosses, and browsing behaviour
// (views with dwell time, favourites, follows, shares, searches, consults) over the last 60 days.
// The numbers are shaped so that the lifecycle tags come out plausibly: high-potential converted
// shoppers favourited ≥ 3 products and browsed ≥ 8 minutes; 老铁 looked at the new launches.
import { CATEGORIES } from './catalogData.ts';
import type { Rng } from './rng.ts';
import { DAY } from './time.ts';
import type { BehaviourEventSeed, OrderSeed, ProductSeed, ReferralLinkSeed, ShopperSeed } from './types.ts';

const WINDOW_DAYS = 60;
const NEW_LAUNCH_DAYS = 14;
const SEARCHES = ['干皮 粉底液', '控油洁面', '敏感肌 面霜', '美白精华', '豆沙色口红', '清爽防晒', '洗衣液', '黑眼圈 眼霜', '卸妆油', '补水面膜'];
const CONSULT_TOPICS = ['肤质推荐', '物流进度', '退换货', '优惠券', '代理怎么开通'];
const SHARE_CHANNELS = ['微信好友', '微信群', '朋友圈'];

export function referralLinks(shoppers: readonly ShopperSeed[], orders: readonly OrderSeed[], products: readonly ProductSeed[]): ReferralLinkSeed[] {
  const activationSku = products.find((p) => p.isActivation)!.sku;
  return shoppers
    .filter((s) => s.identity !== 'member')
    .flatMap((s) => {
      const suffix = s.openid.slice(-4);
      // The link exists since the activation purchase made them an agent.
      const since = orders.find((o) => o.shopperOpenid === s.openid)?.paidAt ?? s.registeredAt;
      const own = { shopperOpenid: s.openid, code: `R${suffix}`, productSku: null, createdAt: since };
      // Bosses also share the activation kit itself, to grow their team.
      return s.identity === 'boss' ? [own, { shopperOpenid: s.openid, code: `R${suffix}A`, productSku: activationSku, createdAt: since }] : [own];
    });
}

export function behaviourEvents(rng: Rng, now: number, shoppers: readonly ShopperSeed[], products: readonly ProductSeed[]): BehaviourEventSeed[] {
  const onSale = products.filter((p) => p.status === 'on_sale' && !p.isActivation);
  const byCategory = new Map(CATEGORIES.map((c) => [c.name, onSale.filter((p) => p.category === c.name)]));
  const newLaunches = onSale.filter((p) => p.launchedAt > now - NEW_LAUNCH_DAYS * DAY);
  return shoppers.flatMap((s) => {
    const from = Math.max(s.registeredAt, now - WINDOW_DAYS * DAY);
    const at = (after = from) => after + Math.round(rng.next() * (now - after));
    const pick = (t: number): ProductSeed => {
      const shelf = rng.chance(0.75) ? (byCategory.get(rng.pick(s.favouriteCategories)) ?? onSale) : onSale;
      const visible = shelf.filter((p) => p.launchedAt <= t);
      return rng.pick(visible.length > 0 ? visible : onSale.filter((p) => p.launchedAt <= t));
    };
    const event = (kind: BehaviourEventSeed['kind'], t: number, product: ProductSeed | null, payload: BehaviourEventSeed['payload'] = {}) => ({
      shopperOpenid: s.openid,
      kind,
      productSku: product?.sku ?? null,
      payload,
      occurredAt: t,
    });
    const high = s.potentialScore === 'high';
    const loyal = s.tier === 'core' || s.tier === 'laotie';
    const events: BehaviourEventSeed[] = [];

    const views = s.tier === 'new' ? rng.int(2, 6) : high ? rng.int(5, 8) : rng.int(4, 10);
    for (let i = 0; i < views; i++) {
      const t = at();
      events.push(event('view', t, pick(t), { dwellSeconds: high ? rng.int(100, 240) : rng.int(15, 240) }));
    }
    if (s.tier === 'laotie') {
      for (const p of rng.sample(newLaunches, 3)) events.push(event('view', at(Math.max(from, p.launchedAt)), p, { dwellSeconds: rng.int(30, 180) }));
    }
    const favourites = new Set<ProductSeed>();
    for (let n = high ? rng.int(3, 4) : rng.int(0, 2); favourites.size < n; ) favourites.add(pick(now));
    for (const p of favourites) events.push(event('favourite', at(Math.max(from, p.launchedAt)), p));
    if (loyal || high || rng.chance(0.3)) events.push(event('follow', at(), null, { account: '悦颜美妆服务号' }));
    const shares = s.identity !== 'member' ? rng.int(2, 5) : s.tier === 'laotie' ? rng.int(1, 3) : 0;
    for (let i = 0; i < shares; i++) {
      const t = at();
      events.push(event('share', t, pick(t), { channel: rng.pick(SHARE_CHANNELS) }));
    }
    for (let i = rng.int(0, 2); i > 0; i--) events.push(event('search', at(), null, { query: rng.pick(SEARCHES) }));
    if (rng.chance(0.2)) events.push(event('consult', at(), null, { topic: rng.pick(CONSULT_TOPICS) }));
    return events;
  });
}
