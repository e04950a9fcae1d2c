-- What the card could not answer: every AI turn that fell short is kept here once, with why and how
-- the model understood the message, so the operator sees the questions to write answers for
-- (GET /v1/admin/reports/gaps groups them by meaning). Reasons:
--   fallback      the reply said it did not understand (an unknown or low-confidence message, a failed turn)
--   no_knowledge  the shop's documents had no passage for the question
--   handoff       a person was called because the card could not answer (unresolved, not understood)
--   thumbs_down   the shopper rated the reply down
-- A turn's own reasons are written by the statement that stores its reply; a rating adds or takes
-- away thumbs_down later. Erasure deletes the rows with the shopper's other data (shop_id and
-- shopper_id), and they go with their messages.
CREATE TABLE answer_gaps (
  -- the AI reply that fell short: at most one row per turn
  message_id bigint PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  shop_id text NOT NULL,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  shopper_id bigint NOT NULL,
  -- the shopper's message the reply answered (its text is read from there, never copied)
  question_id bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  reasons text[] NOT NULL CHECK (cardinality(reasons) > 0
    AND reasons <@ ARRAY['fallback', 'no_knowledge', 'handoff', 'thumbs_down']::text[]),
  -- the model's guess of what was asked; null for a model that reports none
  intent text,
  confidence real,
  -- when the reply was written (a later rating does not move it)
  created_at timestamptz NOT NULL,
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX answer_gaps_shop_time ON answer_gaps (shop_id, created_at);

-- The shopper's thumbs up or down on an AI reply: one per reply, a second rating replaces the first.
CREATE TABLE answer_ratings (
  message_id bigint PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  rating text NOT NULL CHECK (rating IN ('up', 'down')),
  rated_at timestamptz NOT NULL,
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);

-- The gaps report counts a shop's turns per day.
CREATE INDEX messages_shop_time ON messages (shop_id, created_at);
