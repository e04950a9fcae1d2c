// What every chat turn reads about its shop before the model is called: the card (persona, timezone,
// settings), the handoff rules and the catalog's vocabulary. They were three of a turn's queries, the
// vocabulary one a scan of the shop's products, for facts that change a few times a day. Nothing in
// this process writes them after start-up (the seed runs before the app; products and the card come
// from the mall's side or an operator), so a short time to live alone bounds how stale a turn's
// copy can be, on every replica alike.
import type { Queryable } from '../../db/db.ts';
import { catalogVocabulary, type CatalogVocabulary } from '../catalog/vocabulary.ts';
import { loadHandoffRules, type ShopHandoffRules } from '../handoff/settings.ts';
import { getShop, type Shop } from './repo.ts';

export interface ShopCard {
  shop: Shop;
  handoffRules: ShopHandoffRules;
  vocabulary: CatalogVocabulary;
}

export async function loadShopCard(db: Queryable, shopId: string): Promise<ShopCard> {
  const [shop, handoffRules, vocabulary] = await Promise.all([
    getShop(db, shopId),
    loadHandoffRules(db, shopId),
    catalogVocabulary(db, shopId),
  ]);
  return { shop, handoffRules, vocabulary };
}

/** Shop cards kept per shop for `ttlMs`: an edit of the card or the catalog shows within that time. */
export interface ShopCards {
  get(shopId: string): Promise<ShopCard>;
}

export const SHOP_CARD_TTL_MS = 10_000;

export function createShopCards(db: Queryable, opts: { ttlMs?: number; now?: () => number } = {}): ShopCards {
  const ttlMs = opts.ttlMs ?? SHOP_CARD_TTL_MS;
  const now = opts.now ?? (() => performance.now());
  // The promise is kept, so turns arriving together while a card loads share the one load.
  const entries = new Map<string, { loadedAt: number; card: Promise<ShopCard> }>();
  return {
    get(shopId) {
      const hit = entries.get(shopId);
      if (hit && now() - hit.loadedAt < ttlMs) return hit.card;
      const entry = { loadedAt: now(), card: loadShopCard(db, shopId) };
      entries.set(shopId, entry);
      // A failed load (an unknown shop, the database away) is not kept: the next turn reads again.
      entry.card.catch(() => {
        if (entries.get(shopId) === entry) entries.delete(shopId);
      });
      return entry.card;
    },
  };
}
