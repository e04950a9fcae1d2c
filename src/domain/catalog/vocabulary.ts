import type { Queryable } from '../../db/db.ts';

/** The words a shop's catalog uses (categories, colours, skin types), for understanding shoppers. */
export interface CatalogVocabulary {
  categories: string[];
  colors: string[];
  skinTypes: string[];
}

export async function catalogVocabulary(db: Queryable, shopId: string): Promise<CatalogVocabulary> {
  const { rows } = await db.query<{ kind: string; value: string }>(
    `SELECT DISTINCT 'category' AS kind, category AS value FROM products WHERE shop_id = $1 AND status = 'on_sale'
     UNION SELECT DISTINCT 'color', jsonb_array_elements_text(attributes->'colors') FROM products
       WHERE shop_id = $1 AND status = 'on_sale' AND jsonb_typeof(attributes->'colors') = 'array'
     UNION SELECT DISTINCT 'skin', jsonb_array_elements_text(attributes->'skin_types') FROM products
       WHERE shop_id = $1 AND status = 'on_sale' AND jsonb_typeof(attributes->'skin_types') = 'array'
     ORDER BY 1, 2`,
    [shopId],
  );
  const pick = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  return { categories: pick('category'), colors: pick('color'), skinTypes: pick('skin') };
}
