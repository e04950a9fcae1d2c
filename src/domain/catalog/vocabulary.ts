import type { Queryable } from '../../db/db.ts';

/** The words a shop's catalog uses (categories, colours, skin types, product names), for understanding shoppers. */
export interface CatalogVocabulary {
  categories: string[];
  colors: string[];
  skinTypes: string[];
  /**
   * The names of the products on sale without brand and size ("澜汐 水光舒缓精粹水 150ml" →
   * "水光舒缓精粹水"): a shopper names a product by a piece of this ("精粹水", "那个小金管").
   */
  productNames: string[];
}

// Enough for any shop's catalog at once; a larger catalog is still searched, only not named by heart.
const PRODUCT_NAMES_MAX = 3000;
const HAN_RUN = /\p{Script=Han}{2,}/gu;

/** The Han-character runs of a product's name that are not its brand: what a shopper could call it. */
export function productNameCores(name: string, brand: string): string[] {
  const withoutBrand = brand ? name.split(brand).join(' ') : name;
  return withoutBrand.match(HAN_RUN) ?? [];
}

export async function catalogVocabulary(db: Queryable, shopId: string): Promise<CatalogVocabulary> {
  const [{ rows }, { rows: products }] = await Promise.all([
    db.query<{ kind: string; value: string }>(
      `SELECT DISTINCT 'category' AS kind, category AS value FROM products WHERE shop_id = $1 AND status = 'on_sale'
       UNION SELECT DISTINCT 'color', jsonb_array_elements_text(attributes->'colors') FROM products
         WHERE shop_id = $1 AND status = 'on_sale' AND jsonb_typeof(attributes->'colors') = 'array'
       UNION SELECT DISTINCT 'skin', jsonb_array_elements_text(attributes->'skin_types') FROM products
         WHERE shop_id = $1 AND status = 'on_sale' AND jsonb_typeof(attributes->'skin_types') = 'array'
       ORDER BY 1, 2`,
      [shopId],
    ),
    db.query<{ name: string; brand: string }>(
      `SELECT name, brand FROM products WHERE shop_id = $1 AND status = 'on_sale' ORDER BY id LIMIT ${PRODUCT_NAMES_MAX}`,
      [shopId],
    ),
  ]);
  const pick = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  const productNames = [...new Set(products.flatMap((p) => productNameCores(p.name, p.brand)))].sort();
  // Frozen: a shop's card is shared by every turn of the shop, and readers keep what they derive
  // from these lists by the array (agent/offline/contract.ts).
  return {
    categories: Object.freeze(pick('category')) as string[],
    colors: Object.freeze(pick('color')) as string[],
    skinTypes: Object.freeze(pick('skin')) as string[],
    productNames: Object.freeze(productNames) as string[],
  };
}
