-- A shopper's own choice, per occasion, to receive the shop's reminders or not (docs/domain.md §8.2
-- Consent), made in the card ("别再提醒我补货了") and undone the same way. No row = the shop's setting
-- decides. The planner leaves out a shopper whose row says off, and the outbox cancels a reminder that
-- was already planned when the shopper switched its occasion off. Erasure deletes the rows with the
-- shopper's other data (a table with shop_id and shopper_id).
CREATE TABLE reminder_preferences (
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  occasion text NOT NULL CHECK (occasion IN ('birthday', 'secondPurchase', 'replenishment', 'discountDay',
    'anniversary', 'winBack', 'newProduct', 'holiday')),
  enabled boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (shop_id, shopper_id, occasion),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
