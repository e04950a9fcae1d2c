// The words a shop's search can match: the union of its on-sale products' search_terms, read at a
// catalog version (migration 0016) and kept per database handle and shop. A query none of whose words
// is among them matches no product by words, so search skips its word-match statement (a round trip
// and a plan) and sends only the nearest-neighbour one, which reads the current version beside its
// hits: when that differs from the kept one (a product indexed here or on another replica), the
// word-match statement runs after all and the words are read again in the background.
import type { Queryable } from '../../db/db.ts';

export interface CatalogTerms {
  /** The catalog version the words were read at. */
  version: number;
  /** null when the shop has more than TERMS_MAX distinct words: then any query may match. */
  terms: ReadonlySet<string> | null;
}

// Enough for a very large catalog (100k generated product names have ≈ 100k); a shop past it is
// searched as before, with the word-match statement every time, rather than held in memory.
const TERMS_MAX = 200_000;
// Shops kept per handle; the one used longest ago is forgotten first.
const SHOPS_KEPT = 1_000;

const byDb = new WeakMap<Queryable, Map<string, CatalogTerms>>();
const loading = new WeakMap<Queryable, Map<string, Promise<CatalogTerms>>>();

function entries<T>(map: WeakMap<Queryable, Map<string, T>>, db: Queryable): Map<string, T> {
  let m = map.get(db);
  if (!m) map.set(db, (m = new Map()));
  return m;
}

export function cachedTerms(db: Queryable, shopId: string): CatalogTerms | undefined {
  const kept = byDb.get(db);
  const entry = kept?.get(shopId);
  if (entry) {
    // Re-inserted: the Map's order is then the order of use.
    kept!.delete(shopId);
    kept!.set(shopId, entry);
  }
  return entry;
}

/** Whether a product of the shop can match any of `words` by its terms (true when unsure). */
export function mayMatch(kept: CatalogTerms, words: readonly string[]): boolean {
  const { terms } = kept;
  return terms === null || words.some((w) => terms.has(w));
}

/** The shop's current version, the version an answer was read at as the statement returns it (null: no row yet). */
export const catalogVersion = (v: number | string | null | undefined) => Number(v ?? 0);

/** Reads the shop's words and version in one statement (one snapshot) and keeps them; one read per shop at a time. */
export function loadCatalogTerms(db: Queryable, shopId: string): Promise<CatalogTerms> {
  const inFlight = entries(loading, db);
  const running = inFlight.get(shopId);
  if (running) return running;
  const load = (async () => {
    const { rows } = await db.query<{ version: string | number | null; terms: string[] }>(
      `SELECT (SELECT version FROM catalog_versions WHERE shop_id = $1) AS version,
              ARRAY(SELECT DISTINCT t FROM products p, unnest(p.search_terms) AS t
                     WHERE p.shop_id = $1 AND p.status = 'on_sale' LIMIT ${TERMS_MAX + 1}) AS terms`,
      [shopId],
    );
    const r = rows[0]!;
    const loaded: CatalogTerms = {
      version: catalogVersion(r.version),
      terms: r.terms.length > TERMS_MAX ? null : new Set(r.terms),
    };
    const kept = entries(byDb, db);
    kept.delete(shopId);
    kept.set(shopId, loaded);
    if (kept.size > SHOPS_KEPT) kept.delete(kept.keys().next().value!);
    return loaded;
  })();
  inFlight.set(shopId, load);
  void load.finally(() => inFlight.delete(shopId)).catch(() => {});
  return load;
}

/** Reads them again without waiting: a failed read leaves the old (outdated, so unused) entry. */
export function refreshCatalogTerms(db: Queryable, shopId: string): void {
  loadCatalogTerms(db, shopId).catch(() => {});
}
