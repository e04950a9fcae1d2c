-- PIPL erasure keeps the money trail (docs/domain.md §12 Privacy; src/domain/shoppers/erasure.ts):
-- an erased shopper's row stays as a tombstone so that their orders (电子商务法 art. 31: transaction
-- records kept 3 years) and the referral rewards others earned from them still have the row their
-- foreign keys point at. erased_at marks the tombstone: it cannot sign in, be resolved by the mall's
-- events, be reminded or be counted as a person.
ALTER TABLE shoppers ADD COLUMN erased_at timestamptz;

-- The receipt also counts the rows that were de-identified in place or kept for the records.
ALTER TABLE shopper_erasures ADD COLUMN deidentified jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE shopper_erasures ADD COLUMN kept jsonb NOT NULL DEFAULT '{}'::jsonb;

-- A shopper who bought, or earned a reward, can no longer be hard-deleted by mistake: deleting the
-- row used to cascade through orders into reward_ledger and silently take the referrers' earned
-- rewards with it. NO ACTION (checked at the end of the statement) still lets a whole shop go at
-- once (src/demo/reset.ts), where the orders and the ledger are deleted by the same cascade.
ALTER TABLE orders DROP CONSTRAINT orders_shop_id_shopper_id_fkey;
ALTER TABLE orders ADD CONSTRAINT orders_shop_id_shopper_id_fkey
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id);
ALTER TABLE reward_ledger DROP CONSTRAINT reward_ledger_shop_id_beneficiary_id_fkey;
ALTER TABLE reward_ledger ADD CONSTRAINT reward_ledger_shop_id_beneficiary_id_fkey
  FOREIGN KEY (shop_id, beneficiary_id) REFERENCES shoppers (shop_id, id);
