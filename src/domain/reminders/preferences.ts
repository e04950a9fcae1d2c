// A shopper's own reminder switches (docs/domain.md §8.2 Consent): one row per occasion they turned
// off or back on in the card. The planner (occasion.ts) and the outbox honour them; switching costs
// nothing and is undone by switching back, so it needs no confirmation.
//
// The consent record (shoppers.consent.reminders) could already hold opt-outs. The first switch a
// shopper makes carries those into rows and clears them from the record, so that from then on the
// rows alone say what the shopper chose — and switching an occasion back on really turns it on.
import type { Db, Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';
import { OCCASIONS, type OccasionName } from './settings.ts';

/** One occasion, or every occasion at once. */
export type PreferenceTarget = OccasionName | 'all';

/** Whether the shopper switched each occasion off, by a row or in their consent record (as the planner reads them). */
export async function switchedOff(db: Queryable, shopId: string, shopperId: number): Promise<Record<OccasionName, boolean>> {
  const { rows } = await db.query<{ occasion: OccasionName; off: boolean }>(
    `SELECT o.occasion,
            coalesce(NOT p.enabled, false) OR coalesce(s.consent->'reminders'->o.occasion = 'false'::jsonb, false)
              OR coalesce(s.consent->'reminders'->'all' = 'false'::jsonb, false) AS off
       FROM shoppers s
      CROSS JOIN unnest($3::text[]) AS o(occasion)
       LEFT JOIN reminder_preferences p ON p.shop_id = s.shop_id AND p.shopper_id = s.id AND p.occasion = o.occasion
      WHERE s.shop_id = $1 AND s.id = $2`,
    [shopId, shopperId, OCCASIONS],
  );
  const out = Object.fromEntries(OCCASIONS.map((o) => [o, false])) as Record<OccasionName, boolean>;
  for (const r of rows) out[r.occasion] = r.off;
  return out;
}

/**
 * Switches one occasion (or all) on or off for the shopper, at once. NotFound when the shop has no
 * such shopper or they were erased.
 */
export async function setReminderPreference(
  db: Db,
  shopId: string,
  shopperId: number,
  target: PreferenceTarget,
  enabled: boolean,
  now: Date,
): Promise<void> {
  const occasions = target === 'all' ? [...OCCASIONS] : [target];
  await db.transaction(async (tx) => {
    // The row lock orders two switches of one shopper, so the carry-over below runs once.
    const { rows } = await tx.query<{ legacy: boolean }>(
      `SELECT coalesce(consent->'reminders', '{}'::jsonb) <> '{}'::jsonb AS legacy FROM shoppers
        WHERE shop_id = $1 AND id = $2 AND erased_at IS NULL FOR NO KEY UPDATE`,
      [shopId, shopperId],
    );
    if (!rows[0]) throw new NotFound('shopper');
    if (rows[0].legacy) await carryOverConsent(tx, shopId, shopperId, now);
    await tx.query(
      `INSERT INTO reminder_preferences (shop_id, shopper_id, occasion, enabled, updated_at)
       SELECT $1, $2, o, $4, $5 FROM unnest($3::text[]) AS o
       ON CONFLICT (shop_id, shopper_id, occasion) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
      [shopId, shopperId, occasions, enabled, now],
    );
  });
}

/** The consent record's opt-outs ('all' meaning every occasion) become rows; the record keeps marketing only. */
async function carryOverConsent(tx: Queryable, shopId: string, shopperId: number, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO reminder_preferences (shop_id, shopper_id, occasion, enabled, updated_at)
     SELECT s.shop_id, s.id, o, false, $4 FROM shoppers s CROSS JOIN unnest($3::text[]) AS o
      WHERE s.shop_id = $1 AND s.id = $2
        AND (s.consent->'reminders'->o = 'false'::jsonb OR s.consent->'reminders'->'all' = 'false'::jsonb)
     ON CONFLICT (shop_id, shopper_id, occasion) DO NOTHING`,
    [shopId, shopperId, OCCASIONS, now],
  );
  await tx.query(`UPDATE shoppers SET consent = jsonb_set(consent, '{reminders}', '{}'::jsonb) WHERE shop_id = $1 AND id = $2`, [
    shopId,
    shopperId,
  ]);
}
