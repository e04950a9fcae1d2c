// The whole demo shop as data, from `now` alone. Each generator draws from its own random stream.
import { generateAfterSales } from './afterSales.ts';
import { generateCatalog } from './catalog.ts';
import { generateCommunity } from './community.ts';
import { COUPON_TEMPLATES, issueCoupons } from './coupons.ts';
import { behaviourEvents, referralLinks } from './engagement.ts';
import { generateShipments } from './logistics.ts';
import { generateOrders } from './orders.ts';
import { generateTaskPoints, orderPointsEntry } from './points.ts';
import { withProfiles } from './profiles.ts';
import { assignReferrals } from './referral.ts';
import { rngFor } from './rng.ts';
import { SAMPLE_SHOPPERS } from './samples.ts';
import { demoShop, SUPPLIERS } from './shop.ts';
import { generateShoppers } from './shoppers.ts';
import type { PointsEntrySeed, SeedPlan } from './types.ts';

export function buildSeedPlan(shopId: string, now: Date): SeedPlan {
  const at = now.getTime();
  const products = generateCatalog(rngFor('catalog'), at);
  const registered = generateShoppers(rngFor('shoppers'), at);
  assignReferrals(rngFor('referrals'), registered);
  const orders = generateOrders(rngFor('orders'), at, registered, products);
  const tasks = generateTaskPoints(rngFor('points'), at, registered);
  // Applies the discounts to the orders that used a coupon: money is final from here on.
  const { coupons, redemptions } = issueCoupons(rngFor('coupons'), at, registered, orders, tasks);
  const shoppers = withProfiles(rngFor('profiles'), registered, orders, at);
  const points: PointsEntrySeed[] = [...orders.flatMap((o) => orderPointsEntry(o) ?? []), ...tasks, ...redemptions];
  return {
    shop: demoShop(shopId, at),
    suppliers: [...SUPPLIERS],
    products,
    shoppers,
    samples: SAMPLE_SHOPPERS.map(({ openid, note }) => ({ openid, note })),
    couponTemplates: [...COUPON_TEMPLATES],
    orders,
    shipments: generateShipments(rngFor('logistics'), at, orders, SUPPLIERS),
    afterSales: generateAfterSales(rngFor('after-sales'), at, orders),
    coupons,
    points,
    referralLinks: referralLinks(shoppers, orders, products),
    behaviourEvents: behaviourEvents(rngFor('engagement'), at, shoppers, products),
    community: generateCommunity(rngFor('community'), at, shoppers, products),
  };
}
