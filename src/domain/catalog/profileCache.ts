// A shop's search profile (its categories; whether its vectors are another embedder's) changes
// only when its catalog does, yet reading it was a good part of a search's cost. It is kept a few
// seconds per database handle, shop and embedder; the indexer forgets a shop's entry when it writes
// vectors, so a switch of embedder in this process is seen at once (another process's reindex, or a
// new category, within PROFILE_TTL_MS). Only a clean profile is kept: a Conflict is re-checked on
// every search, so it clears as soon as the shop is reindexed.
import type { Queryable } from '../../db/db.ts';
import type { ShopProfile } from './searchQueries.ts';

export const PROFILE_TTL_MS = 5_000;

interface Entry {
  until: number;
  profile: ShopProfile;
}

// Keyed by the handle itself, so each database (and each test's) has its own entries and a closed
// one's are collected with it.
const byDb = new WeakMap<Queryable, Map<string, Entry>>();

const key = (shopId: string, embedderId: string, dim: number) => JSON.stringify([shopId, embedderId, dim]);

export function cachedProfile(db: Queryable, shopId: string, embedderId: string, dim: number): ShopProfile | undefined {
  const entry = byDb.get(db)?.get(key(shopId, embedderId, dim));
  return entry && entry.until > performance.now() ? entry.profile : undefined;
}

export function keepProfile(db: Queryable, shopId: string, embedderId: string, dim: number, profile: ShopProfile): void {
  if (profile.foreign) return;
  let entries = byDb.get(db);
  if (!entries) byDb.set(db, (entries = new Map()));
  entries.set(key(shopId, embedderId, dim), { until: performance.now() + PROFILE_TTL_MS, profile });
}

/** Forgets every embedder's profile of the shop on this handle (its vectors or products changed). */
export function forgetShopProfiles(db: Queryable, shopId: string): void {
  const entries = byDb.get(db);
  if (!entries) return;
  for (const k of entries.keys()) if ((JSON.parse(k) as unknown[])[0] === shopId) entries.delete(k);
}
