// Many rows in one statement: PGlite runs every statement through WASM, so a few large
// INSERT … SELECT FROM unnest(…) beat thousands of small ones, on both drivers. Every column travels
// as a text[] (which both drivers pass the same way) and is cast back to its type in the SELECT.
import type { Queryable } from '../db/db.ts';

type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/**
 * Inserts `rows` with the statement `sql` builds around the FROM clause
 * `unnest($2::text[], …) AS u(col, …)`; $1 is the shop id, the columns are u.col. Fails unless every
 * row was inserted: a business key that joins nothing would otherwise drop its row silently.
 */
export async function insertRows(tx: Queryable, shopId: string, rows: readonly Row[], sql: (from: string) => string): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const from = `unnest(${columns.map((_, i) => `$${i + 2}::text[]`).join(', ')}) AS u(${columns.map((c) => `"${c}"`).join(', ')})`;
  const params = columns.map((c) => rows.map((r) => (r[c] === null || r[c] === undefined ? null : String(r[c]))));
  const { rowCount } = await tx.query(sql(from), [shopId, ...params]);
  if (rowCount !== rows.length) throw new Error(`seed: inserted ${rowCount} of ${rows.length} rows`);
}
