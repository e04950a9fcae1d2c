// Removing a shop with everything it owns. Some tables reach the shop only through orders or
// shoppers, and a few references (order_items → products, coupons → coupon_templates) do not
// cascade, so one DELETE on shops is not enough. Rather than a hand-kept list, which every new
// migration could silently break, the tables are read from the catalog: every table of the current
// schema with a shop_id column, deleted from children to parents along their foreign keys.
import type { Queryable } from '../db/db.ts';

interface ShopTable {
  name: string;
  /** The other shop tables it references. */
  parents: string[];
}

export async function deleteShop(tx: Queryable, shopId: string): Promise<void> {
  const { rows } = await tx.query<ShopTable>(
    `SELECT c.relname::text AS name,
            coalesce(array_agg(DISTINCT p.relname::text) FILTER (WHERE p.relname IS NOT NULL AND p.oid <> c.oid), '{}') AS parents
       FROM pg_class c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'shop_id' AND NOT a.attisdropped
       LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'f'
       LEFT JOIN pg_class p ON p.oid = k.confrelid
      WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
      GROUP BY c.relname`,
  );
  for (const table of childrenFirst(rows)) {
    await tx.query(`DELETE FROM "${table}" WHERE shop_id = $1`, [shopId]);
  }
  await tx.query('DELETE FROM shops WHERE id = $1', [shopId]);
}

/** Tables ordered so that each comes before every table it references. */
function childrenFirst(tables: readonly ShopTable[]): string[] {
  const names = new Set(tables.map((t) => t.name));
  const children = new Map<string, string[]>(tables.map((t) => [t.name, []]));
  for (const t of tables) for (const p of t.parents) if (names.has(p)) children.get(p)!.push(t.name);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (ordered.includes(name)) return;
    if (visiting.has(name)) throw new Error(`seed reset: foreign keys form a cycle through ${name}`);
    visiting.add(name);
    for (const child of children.get(name)!) visit(child);
    visiting.delete(name);
    ordered.push(name);
  };
  for (const name of [...names].sort()) visit(name);
  return ordered;
}
