-- Writes that spend or cannot be undone (an after-sales request, a points redemption, a vote) wait for
-- the shopper's yes (docs/domain.md §14 Confirmation): the exact action the card stated is kept here
-- until the shopper confirms it, declines it, moves on, or it expires. A confirmation flips the row
-- from 'pending' once (one statement, so two "确认" sent at once run the action once); the action's
-- result is kept with it. A conversation has at most one pending action: a newer one drops the older.
-- conversation_id is empty for an action asked over MCP, confirmed by its id.

CREATE TABLE pending_actions (
  id uuid PRIMARY KEY,
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  conversation_id uuid REFERENCES conversations(id) ON DELETE CASCADE,
  tool text NOT NULL,
  input jsonb NOT NULL,
  -- the action in the words the shopper confirmed: order number and items, kind and reason, coupon and cost …
  summary text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'declined', 'dropped', 'expired')),
  result jsonb,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  resolved_at timestamptz,
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX pending_actions_one_per_conversation ON pending_actions (conversation_id) WHERE state = 'pending';
CREATE INDEX pending_actions_shopper ON pending_actions (shop_id, shopper_id, created_at DESC);
