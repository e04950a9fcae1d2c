// PIPL erasure of a shopper (个人信息保护法 art. 47: delete on request). The shoppers row is deleted
// and the foreign keys cascade to everything that hangs off it: orders (with addresses), coupons,
// points, profile vector, tags, conversations and their messages, reminders and their outbox rows,
// referral records, votes, feedback, badges. A table that names the shopper without such a foreign
// key (live_events, say) is swept by its shopper_id column, so a table added later is not missed.
// What each table lost is counted first, from the catalog (every table of the schema with shop_id
// and shopper_id columns, plus messages through their conversation), and kept in shopper_erasures
// as a receipt without personal data.
import type { Db, Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';

export interface ErasureReceipt {
  shopperId: number;
  removed: Record<string, number>;
  erasedAt: Date;
}

// The receipts themselves are kept (an id and counts, no personal data).
const NOT_THEIRS = new Set(['shopper_erasures']);

async function tablesWithShopper(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND c.column_name = 'shopper_id' AND t.table_type = 'BASE TABLE'
        AND EXISTS (SELECT 1 FROM information_schema.columns s WHERE s.table_schema = c.table_schema
                      AND s.table_name = c.table_name AND s.column_name = 'shop_id')
      ORDER BY c.table_name`,
  );
  return rows.map((r) => r.table_name).filter((t) => !NOT_THEIRS.has(t));
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function countRows(tx: Queryable, tables: readonly string[], shopId: string, shopperId: number): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${ident(t)} WHERE shop_id = $1 AND shopper_id = $2`, [shopId, shopperId]);
    if (rows[0]?.n) removed[t] = rows[0].n;
  }
  const extra = await tx.query<{ messages: number; outbox: number }>(
    `SELECT (SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
              WHERE c.shop_id = $1 AND c.shopper_id = $2) AS messages,
            (SELECT count(*) FROM reminder_outbox o JOIN reminders r ON r.id = o.reminder_id
              WHERE r.shop_id = $1 AND r.shopper_id = $2) AS outbox`,
    [shopId, shopperId],
  );
  if (extra.rows[0]?.messages) removed.messages = extra.rows[0].messages;
  if (extra.rows[0]?.outbox) removed.reminder_outbox = extra.rows[0].outbox;
  return removed;
}

/** Erases a shopper of the shop; NotFound when the shop has no such shopper (another shop's too). */
export async function eraseShopper(db: Db, shopId: string, shopperId: number, requestedBy: string, now: Date): Promise<ErasureReceipt> {
  const tables = await tablesWithShopper(db);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query('SELECT id FROM shoppers WHERE shop_id = $1 AND id = $2 FOR UPDATE', [shopId, shopperId]);
    if (!rows[0]) throw new NotFound('shopper');
    const removed = await countRows(tx, tables, shopId, shopperId);
    // Referred shoppers keep their account; their referrer link is cleared by ON DELETE SET NULL.
    await tx.query('DELETE FROM shoppers WHERE shop_id = $1 AND id = $2', [shopId, shopperId]);
    removed.shoppers = 1;
    for (const t of tables) await tx.query(`DELETE FROM ${ident(t)} WHERE shop_id = $1 AND shopper_id = $2`, [shopId, shopperId]);
    await tx.query(
      `INSERT INTO shopper_erasures (shop_id, shopper_id, requested_by, removed, erased_at) VALUES ($1, $2, $3, $4::jsonb, $5)`,
      [shopId, shopperId, requestedBy, JSON.stringify(removed), now],
    );
    return { shopperId, removed, erasedAt: now };
  });
}

/** Rows still naming the shopper after erasure, per table (a test's and an auditor's check). */
export async function remainingRows(db: Queryable, shopId: string, shopperId: number): Promise<Record<string, number>> {
  const tables = await tablesWithShopper(db);
  const left = await countRows(db, tables, shopId, shopperId);
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM shoppers WHERE shop_id = $1 AND id = $2', [shopId, shopperId]);
  if (rows[0]?.n) left.shoppers = rows[0].n;
  return left;
}
