-- 链动2+1 referral engine (docs/domain.md §4 Referral): versioned policy, identity history, help and trial
-- records, and the reward ledger. Money is bigint fen; time is timestamptz; every table has shop_id.

-- The configurable numbers of the scheme, one row per version. A ledger entry records the version it
-- was computed under, so a merchant changing a rate never rewrites the past.
CREATE TABLE referral_policies (
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  version int NOT NULL CHECK (version > 0),
  policy jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, version)
);

-- Every change of shoppers.referral_identity with its reason (docs/domain.md §4 Referral: every
-- change is recorded with its reason). policy_version 0 = the built-in defaults.
CREATE TABLE referral_identity_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  from_identity text NOT NULL CHECK (from_identity IN ('member', 'agent', 'boss')),
  to_identity text NOT NULL CHECK (to_identity IN ('member', 'agent', 'boss')),
  reason text NOT NULL,
  policy_version int NOT NULL CHECK (policy_version >= 0),
  -- the order that caused it, when one did
  order_id bigint,
  changed_at timestamptz NOT NULL,
  CHECK (from_identity <> to_identity),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX referral_identity_changes_shopper ON referral_identity_changes (shop_id, shopper_id, changed_at DESC);

-- 帮扶奖: a boss helped a low-activity agent of the team complete this order (e.g. with an exclusive
-- coupon). One help per order.
CREATE TABLE referral_help (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  boss_id bigint NOT NULL,
  agent_id bigint NOT NULL,
  order_id bigint NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (shop_id, order_id),
  FOREIGN KEY (shop_id, boss_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE,
  FOREIGN KEY (shop_id, agent_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE,
  FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX referral_help_boss ON referral_help (shop_id, boss_id);

-- 代理体验权 (docs/domain.md §4.3 Agent trial): a potential shopper's agent trial, once per shopper.
-- rewarded_order_id is the order whose buyer earned the one-time trial reward.
CREATE TABLE referral_trials (
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  started_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  policy_version int NOT NULL CHECK (policy_version >= 0),
  rewarded_order_id bigint,
  rewarded_at timestamptz,
  PRIMARY KEY (shop_id, shopper_id),
  CHECK (ends_at > started_at),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);

-- Orders the engine has priced: onOrderPaid and the batch path claim an order here first, so a replay —
-- even after identities changed since — computes nothing again.
CREATE TABLE referral_paid_orders (
  shop_id text NOT NULL,
  order_id bigint NOT NULL,
  policy_version int NOT NULL CHECK (policy_version >= 0),
  processed_at timestamptz NOT NULL,
  PRIMARY KEY (shop_id, order_id),
  FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
);

-- The reward ledger. Credits are positive; a claw-back of a settled credit is its own negative row
-- (reverses_id, key '<credit key>:reversal'); a claw-back of a pending credit only flips its state.
CREATE TABLE reward_ledger (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  order_id bigint NOT NULL,
  buyer_id bigint NOT NULL,
  beneficiary_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('direct', 'team', 'peer', 'help', 'laotie_lifetime', 'trial')),
  -- Legal guard rail (docs/domain.md §4.6 Legal guard): 1 = the buyer's referrer, 2 = that referrer's
  -- referrer. Nothing deeper can be stored, whatever the code or the policy says.
  level smallint NOT NULL CHECK (level IN (1, 2)),
  amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
  state text NOT NULL CHECK (state IN ('pending', 'settled', 'reversed')),
  -- '<order>:<beneficiary>:<kind>' for credits, '…:reversal' for claw-backs: a replay inserts nothing,
  -- and a credit has at most one reversal
  entry_key text NOT NULL,
  reverses_id bigint REFERENCES reward_ledger(id),
  policy_version int NOT NULL CHECK (policy_version >= 0),
  created_at timestamptz NOT NULL,
  -- delivered_at + the shop's return window; null until delivered
  settle_after timestamptz,
  settled_at timestamptz,
  reversed_at timestamptz,
  UNIQUE (shop_id, entry_key),
  CHECK ((amount_fen < 0) = (reverses_id IS NOT NULL)),
  CHECK (amount_fen > 0 OR state = 'reversed'),
  CHECK (state <> 'settled' OR settled_at IS NOT NULL),
  -- which level each kind may reach: only the team reward exists on both
  CHECK (kind = 'team' OR level = CASE WHEN kind = 'peer' THEN 2 ELSE 1 END),
  FOREIGN KEY (shop_id, beneficiary_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE,
  FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX reward_ledger_order ON reward_ledger (shop_id, order_id);
CREATE INDEX reward_ledger_beneficiary ON reward_ledger (shop_id, beneficiary_id);
CREATE INDEX reward_ledger_due ON reward_ledger (shop_id, settle_after) WHERE state = 'pending';
