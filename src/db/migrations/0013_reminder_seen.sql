-- What the shopper has seen of the reminders delivered to their card (docs/domain.md §8 Reminders): an
-- in-card reminder is written to the shopper's latest conversation, but the card may open on a new
-- one; it asks for the deliveries not seen yet (GET /v1/reminders/unseen), shows them with their
-- coupon, and marks them seen (POST /v1/reminders/seen). One mark per delivery, set once: a second
-- mark keeps the first time, so marking is idempotent and a page open twice at once shows no reminder
-- twice after both have marked it.
ALTER TABLE reminder_outbox ADD COLUMN seen_at timestamptz;
ALTER TABLE reminder_outbox ADD CONSTRAINT reminder_outbox_seen_after_sent
  CHECK (seen_at IS NULL OR (channel = 'in_card' AND state = 'sent'));
