-- The lifecycle (docs/domain.md §3 Tiers, §11 Community): events from the mall in, exactly once;
-- versioned tier rules and every tier change with its reason; profile vectors; the 老铁 community
-- (votes, feedback, badges).

-- Keys that let the mall's back end push events without a user token. Only a hash is stored: the
-- key is shown once, when it is created (src/domain/events/integrationKeys.ts).
CREATE TABLE shop_integration_keys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  key_hash text NOT NULL UNIQUE,
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX shop_integration_keys_shop ON shop_integration_keys (shop_id);

-- One row per applied event, written in the same transaction as the event's effects: the primary key
-- is what makes a replayed or concurrently re-sent event a no-op.
CREATE TABLE ingested_events (
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 100),
  kind text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  -- what the event did (order status, tier change, coupons, points), for support and debugging
  result jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (shop_id, event_id)
);

-- The shop's lifecycle rules (potential scoring, tier promotion/demotion, points tasks, community),
-- one row per version; the highest version is in force. No row = the defaults (docs/domain.md §3 Tiers).
CREATE TABLE tier_rules (
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  version int NOT NULL CHECK (version > 0),
  rules jsonb NOT NULL,
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, version)
);

-- Every promotion and demotion with its reason (docs/domain.md §3 Tiers); rule_version 0 = the defaults.
CREATE TABLE tier_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  from_tier text NOT NULL,
  to_tier text NOT NULL,
  reason text NOT NULL,
  rule_version int NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  changed_at timestamptz NOT NULL,
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX tier_changes_shop_time ON tier_changes (shop_id, changed_at);
CREATE INDEX tier_changes_shopper ON tier_changes (shop_id, shopper_id, changed_at);

-- A vector of each shopper's profile summary + preference tags, for "shoppers like this one".
-- Same layout as product_embeddings: untyped column, one partial HNSW index per dimension in use.
CREATE TABLE shopper_profile_embeddings (
  shopper_id bigint PRIMARY KEY REFERENCES shoppers(id) ON DELETE CASCADE,
  shop_id text NOT NULL,
  embedder text NOT NULL,
  dim int NOT NULL CHECK (dim > 0),
  embedding vector NOT NULL,
  content_hash text NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX shopper_profile_embeddings_shop ON shopper_profile_embeddings (shop_id, embedder, dim);
CREATE INDEX shopper_profile_embeddings_hnsw_256 ON shopper_profile_embeddings
  USING hnsw ((embedding::vector(256)) vector_cosine_ops) WHERE dim = 256;

-- 老铁选品 (docs/domain.md §11 Community): 10–20 candidate products, 老铁 vote, the top 5 launch.
CREATE TABLE vote_campaigns (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  title text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  -- how many different candidates one shopper may vote for
  votes_per_shopper int NOT NULL CHECK (votes_per_shopper > 0),
  top_n int NOT NULL CHECK (top_n > 0),
  opens_at timestamptz NOT NULL,
  closes_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (shop_id, id)
);

CREATE TABLE vote_candidates (
  shop_id text NOT NULL,
  campaign_id bigint NOT NULL,
  product_id bigint NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  PRIMARY KEY (campaign_id, product_id),
  FOREIGN KEY (shop_id, campaign_id) REFERENCES vote_campaigns (shop_id, id) ON DELETE CASCADE
);

CREATE TABLE votes (
  shop_id text NOT NULL,
  campaign_id bigint NOT NULL,
  product_id bigint NOT NULL,
  shopper_id bigint NOT NULL,
  voted_at timestamptz NOT NULL,
  -- one vote per shopper per candidate, guarded by the database itself
  PRIMARY KEY (campaign_id, product_id, shopper_id),
  FOREIGN KEY (campaign_id, product_id) REFERENCES vote_candidates (campaign_id, product_id) ON DELETE CASCADE,
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX votes_shopper ON votes (shop_id, shopper_id, campaign_id);

-- 反馈中心: suggestions from shoppers; an adopted one earns a cash reward and credit
-- (docs/domain.md §11 Community).
CREATE TABLE feedback (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  product_id bigint REFERENCES products(id) ON DELETE SET NULL,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'adopted')),
  reward_fen bigint CHECK (reward_fen >= 0),
  credit text,
  adopted_by text,
  adopted_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (shop_id, id),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX feedback_shop_status ON feedback (shop_id, status, created_at DESC);
CREATE INDEX feedback_shopper ON feedback (shop_id, shopper_id);

-- Badges (首席体验官, 裂变先锋, 首席创意官 …): one row per shopper and badge.
CREATE TABLE shopper_badges (
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  badge text NOT NULL,
  reason text NOT NULL DEFAULT '',
  awarded_by text NOT NULL DEFAULT '',
  awarded_at timestamptz NOT NULL,
  PRIMARY KEY (shop_id, shopper_id, badge),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
