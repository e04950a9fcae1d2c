// PIPL erasure of a shopper (个人信息保护法 art. 47: delete on request) that keeps the shop's money
// trail. Erase the person, keep the transactions de-identified:
//
// - The shoppers row stays as a tombstone (erased_at set, migration 0008): nickname → 已注销用户,
//   openid → an unguessable 'erased:<uuid>' (the mall cannot map it back, and a new registration with
//   the old openid is a new shopper), phone, birthday, gender, skin type, potential score, tags and
//   profile summary cleared, consent switched off. It keeps id, tier, referral identity, registration
//   time and its own referrer link: the kept orders and ledger rows point at it, and the reports'
//   referral GMV attributes its orders to the referrer who earned from them. A tombstone cannot sign
//   in (resolveShopperCaller), is not found by the mall's events, is never reminded, and is not
//   counted as a person in the lifecycle reports (its orders still count).
// - Kept, because 电子商务法 art. 31 makes the shop keep transaction records for 3 years, and because the
//   referrers earned their rewards (even settled ones) from these orders:
//   orders (address emptied), order items, shipments (carrier, number, status, times — no address),
//   after-sales requests (amounts and statuses; the shopper's free-text reason emptied),
//   reward_ledger rows where they are the buyer or the beneficiary (unchanged: their own pending
//   rewards settle as booked, the payout of an erased beneficiary is the merchant's off-line call),
//   referral_help, points_ledger and coupons (amounts a shop accounts for as liabilities; unused
//   coupons are revoked so nobody can spend them), referral_identity_changes (why the ledger paid what
//   it paid), adopted feedback (a cash reward was paid: the text becomes 已删除, the credit line goes).
// - Deleted: every other row of a table with shop_id and shopper_id columns — found in the catalog,
//   so a table added later is erased unless it is declared kept below — behaviour events, profile
//   embedding, tier history, conversations with their messages and handoff tickets (and the tickets'
//   actions), reminders with their outbox rows, referral links and trials, votes, badges, feedback not
//   adopted; live events of them, their conversations or tickets; tracking events of their shipments
//   (courier free text such as "签收人" names people).
// - Shoppers they referred keep their accounts; their link to the erased shopper is cleared, so no
//   future reward is booked to a person who no longer exists (past rewards stay in the ledger).
//
// A second erasure of the same shopper is a NotFound (the API answers 404): the person is already
// gone, and the first receipt is the record. The receipt (shopper_erasures) holds counts per table
// and no personal data; remainingRows is the auditor's check that nothing personal is left.
import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';

export const ERASED_NICKNAME = '已注销用户';
const ERASED_TEXT = '已删除';
const NO_CONSENT = { marketing: false, reminders: { all: false } };

export interface ErasureReceipt {
  shopperId: number;
  /** Rows deleted, per table. */
  removed: Record<string, number>;
  /** Rows kept with their personal data replaced, per table. */
  deidentified: Record<string, number>;
  /** Rows kept unchanged for the records (no personal data in them), per table. */
  kept: Record<string, number>;
  erasedAt: Date;
}

// Tables with shop_id and shopper_id whose rows outlive the person (see the header); the receipts
// themselves are not theirs.
const KEPT = new Set(['orders', 'after_sales', 'coupons', 'points_ledger', 'referral_identity_changes', 'feedback', 'shopper_erasures']);
// Swept by its own wider condition (conversation and ticket too).
const SPECIAL = new Set(['live_events']);

async function tablesToDelete(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND c.column_name = 'shopper_id' AND t.table_type = 'BASE TABLE'
        AND EXISTS (SELECT 1 FROM information_schema.columns s WHERE s.table_schema = c.table_schema
                      AND s.table_name = c.table_name AND s.column_name = 'shop_id')
      ORDER BY c.table_name`,
  );
  return rows.map((r) => r.table_name).filter((t) => !KEPT.has(t) && !SPECIAL.has(t));
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

// Conditions over ($1 shop, $2 shopper): rows naming the shopper, rows of the shopper's orders.
const OWN = 'shop_id = $1 AND shopper_id = $2';
const OWN_ORDER = 'order_id IN (SELECT id FROM orders WHERE shop_id = $1 AND shopper_id = $2)';

// Rows that hang off the shopper's rows rather than naming the shopper: table → condition.
const DEPENDENTS: Record<string, string> = {
  messages: 'conversation_id IN (SELECT id FROM conversations WHERE shop_id = $1 AND shopper_id = $2)',
  reminder_outbox: 'reminder_id IN (SELECT id FROM reminders WHERE shop_id = $1 AND shopper_id = $2)',
  ticket_actions: 'ticket_id IN (SELECT id FROM handoff_tickets WHERE shop_id = $1 AND shopper_id = $2)',
  tracking_events: `shipment_id IN (SELECT s.id FROM shipments s JOIN orders o ON o.id = s.order_id
                      WHERE o.shop_id = $1 AND o.shopper_id = $2)`,
  live_events: `shop_id = $1 AND (shopper_id = $2
                  OR conversation_id IN (SELECT id FROM conversations WHERE shop_id = $1 AND shopper_id = $2)
                  OR ticket_id IN (SELECT id FROM handoff_tickets WHERE shop_id = $1 AND shopper_id = $2))`,
};

// Rows of kept tables that would still carry personal data, and how erasure clears it.
const PERSONAL: Record<string, { where: string; clear: string }> = {
  orders: { where: `address <> '{}'::jsonb`, clear: `address = '{}'::jsonb` },
  after_sales: { where: `reason <> ''`, clear: `reason = ''` },
  feedback: { where: `(text <> '${ERASED_TEXT}' OR credit IS NOT NULL)`, clear: `text = '${ERASED_TEXT}', credit = NULL` },
};

// The records kept unchanged, counted for the receipt.
const KEPT_COUNTS: Record<string, string> = {
  reward_ledger: 'shop_id = $1 AND (buyer_id = $2 OR beneficiary_id = $2)',
  referral_help: 'shop_id = $1 AND (boss_id = $2 OR agent_id = $2)',
  order_items: OWN_ORDER,
  shipments: OWN_ORDER,
  coupons: OWN,
  points_ledger: OWN,
  referral_identity_changes: OWN,
};

async function count(db: Queryable, table: string, where: string, shopId: string, shopperId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(table)} WHERE ${where}`, [shopId, shopperId]);
  return rows[0]?.n ?? 0;
}

async function counts(db: Queryable, wheres: Record<string, string>, shopId: string, shopperId: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [table, where] of Object.entries(wheres)) {
    const n = await count(db, table, where, shopId, shopperId);
    if (n) out[table] = n;
  }
  return out;
}

/** What erasure deletes: table → condition over ($1 shop, $2 shopper). */
async function deletions(db: Queryable): Promise<Record<string, string>> {
  const wheres: Record<string, string> = {};
  for (const t of await tablesToDelete(db)) wheres[t] = OWN;
  wheres.feedback = `${OWN} AND status <> 'adopted'`;
  return { ...wheres, ...DEPENDENTS };
}

/** Erases a shopper of the shop; NotFound when the shop has no such shopper (another shop's too) or they are already erased. */
export async function eraseShopper(db: Db, shopId: string, shopperId: number, requestedBy: string, now: Date): Promise<ErasureReceipt> {
  const toDelete = await deletions(db);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query('SELECT id FROM shoppers WHERE shop_id = $1 AND id = $2 AND erased_at IS NULL FOR UPDATE', [
      shopId,
      shopperId,
    ]);
    if (!rows[0]) throw new NotFound('shopper');
    const removed = await counts(tx, toDelete, shopId, shopperId);

    // Dependents first (they are found through the rows deleted after them), then the rest.
    for (const [table, where] of Object.entries(toDelete).reverse()) {
      await tx.query(`DELETE FROM ${ident(table)} WHERE ${where}`, [shopId, shopperId]);
    }

    const deidentified: Record<string, number> = { shoppers: 1 };
    for (const [table, p] of Object.entries(PERSONAL)) {
      const r = await tx.query(`UPDATE ${ident(table)} SET ${p.clear} WHERE ${OWN} AND ${p.where}`, [shopId, shopperId]);
      if (r.rowCount) deidentified[table] = r.rowCount;
    }
    const unlinked = await tx.query(
      'UPDATE shoppers SET referrer_id = NULL, referral_bound_at = NULL WHERE shop_id = $1 AND referrer_id = $2',
      [shopId, shopperId],
    );
    if (unlinked.rowCount) deidentified.referred_shoppers = unlinked.rowCount;
    await tx.query(`UPDATE coupons SET status = 'revoked' WHERE ${OWN} AND status = 'unused'`, [shopId, shopperId]);
    await tx.query(
      `UPDATE shoppers SET nickname = $3, openid = $4, phone = NULL, birthday = NULL, gender = NULL, skin_type = NULL,
              potential_score = NULL, consent = $5::jsonb, tags = '{}'::jsonb, profile_summary = '', erased_at = $6
        WHERE shop_id = $1 AND id = $2`,
      [shopId, shopperId, ERASED_NICKNAME, `erased:${randomUUID()}`, JSON.stringify(NO_CONSENT), now],
    );
    const kept = await counts(tx, KEPT_COUNTS, shopId, shopperId);

    await tx.query(
      `INSERT INTO shopper_erasures (shop_id, shopper_id, requested_by, removed, deidentified, kept, erased_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7)`,
      [shopId, shopperId, requestedBy, JSON.stringify(removed), JSON.stringify(deidentified), JSON.stringify(kept), now],
    );
    return { shopperId, removed, deidentified, kept, erasedAt: now };
  });
}

/**
 * Personal data of the shopper still stored, per table: rows erasure deletes, kept rows still
 * carrying personal fields, the shopper row if it is not a clean tombstone, and shoppers still linked
 * to them as their referrer. Empty after an erasure (a test's and an auditor's check).
 */
export async function remainingRows(db: Queryable, shopId: string, shopperId: number): Promise<Record<string, number>> {
  const left = await counts(db, await deletions(db), shopId, shopperId);
  for (const [table, p] of Object.entries(PERSONAL)) {
    const n = await count(db, table, `${OWN} AND ${p.where}`, shopId, shopperId);
    if (n) left[table] = n;
  }
  const person = await count(
    db,
    'shoppers',
    `shop_id = $1 AND id = $2 AND NOT (erased_at IS NOT NULL AND nickname = '${ERASED_NICKNAME}' AND openid LIKE 'erased:%'
       AND phone IS NULL AND birthday IS NULL AND gender IS NULL AND skin_type IS NULL AND potential_score IS NULL
       AND tags = '{}'::jsonb AND profile_summary = '' AND consent = '${JSON.stringify(NO_CONSENT)}'::jsonb)`,
    shopId,
    shopperId,
  );
  if (person) left.shoppers = person;
  const referred = await count(db, 'shoppers', 'shop_id = $1 AND referrer_id = $2', shopId, shopperId);
  if (referred) left['shoppers.referrer_id'] = referred;
  return left;
}
