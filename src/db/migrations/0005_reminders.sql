-- Emotional reminders (docs/domain.md §8 Reminders): occasions planned once per shopper and occurrence, a
-- message written from facts, and an outbox that delivers each message exactly once per channel.

-- The shop's reminder rules (occasions, caps, quiet hours, retries) as JSON validated by
-- src/domain/reminders/settings.ts; no row = the defaults (docs/domain.md §8 Reminders). The webhook secret
-- lives in its own column so that it is never echoed back with the settings.
CREATE TABLE reminder_settings (
  shop_id text PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- optimistic concurrency for the admin page: a PUT names the version it edited
  version int NOT NULL DEFAULT 1 CHECK (version > 0),
  webhook_url text CHECK (webhook_url IS NULL OR webhook_url ~ '^https?://'),
  webhook_secret text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (webhook_url IS NULL OR webhook_secret IS NOT NULL)
);

-- One row per (shopper, occasion, occurrence), ever: the unique key is what makes a re-run of a day,
-- or two runners at once, plan nothing twice. occurrence_key says which occurrence: the year for a
-- birthday, '<product>:<order>' for a replenishment, 'mid_autumn:2026' for a holiday …
CREATE TABLE reminders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  occasion text NOT NULL CHECK (occasion IN ('birthday', 'secondPurchase', 'replenishment', 'discountDay',
    'anniversary', 'winBack', 'newProduct', 'holiday')),
  occurrence_key text NOT NULL CHECK (length(occurrence_key) BETWEEN 1 AND 100),
  -- the shop-local day the reminder belongs to (caps count by it)
  local_date date NOT NULL,
  -- when it may be delivered: the run's time moved out of the quiet hours
  scheduled_for timestamptz NOT NULL,
  -- planned → writing (message being written, leased) → queued (message fixed, outbox rows exist)
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'writing', 'queued')),
  claimed_until timestamptz,
  value_rank int NOT NULL,
  -- what the message may say: product, dates, milestone … (never free text from a model)
  facts jsonb NOT NULL DEFAULT '{}'::jsonb,
  coupon_id bigint,
  message text,
  -- 'template' or the model id that wrote the message
  written_by text,
  created_at timestamptz NOT NULL,
  UNIQUE (shop_id, shopper_id, occasion, occurrence_key),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
-- caps: a shopper's reminders around a day
CREATE INDEX reminders_shopper_day ON reminders (shop_id, shopper_id, local_date);
CREATE INDEX reminders_shop_day ON reminders (shop_id, local_date);
CREATE INDEX reminders_to_write ON reminders (shop_id, id) WHERE status <> 'queued';

-- The transactional outbox: one row per reminder and channel. A worker claims due rows with
-- FOR UPDATE SKIP LOCKED and a lease (claimed_until), so replicas share the load and a crashed
-- worker's rows come back when the lease runs out.
CREATE TABLE reminder_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  reminder_id bigint NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('in_card', 'webhook')),
  payload jsonb NOT NULL,
  -- pending → sent; failed = will retry at next_attempt_at; dead = gave up (re-drive moves it back);
  -- cancelled = the shopper opted out before it went out
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dead', 'cancelled')),
  attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  claimed_by text,
  claimed_until timestamptz,
  sent_at timestamptz,
  -- where it went: the conversation and message for in_card, the HTTP status for webhook
  result jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (reminder_id, channel),
  CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX reminder_outbox_due ON reminder_outbox (next_attempt_at, id) WHERE state IN ('pending', 'failed');
CREATE INDEX reminder_outbox_shop_state ON reminder_outbox (shop_id, state, id);

-- The planner's set-based candidate queries (planner.ts): orders paid in a window of days (second
-- purchase, win-back, anniversaries) and today's birthdays, without scanning a million-row table.
CREATE INDEX orders_shop_paid ON orders (shop_id, paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX shoppers_birthday_md ON shoppers (shop_id, (extract(month FROM birthday)), (extract(day FROM birthday)))
  WHERE birthday IS NOT NULL;

-- PIPL: a receipt that a shopper's data was erased (no personal data in it), for the operator's
-- records and to answer "was my data deleted?".
CREATE TABLE shopper_erasures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  shopper_id bigint NOT NULL,
  requested_by text NOT NULL,
  -- rows removed per table
  removed jsonb NOT NULL,
  erased_at timestamptz NOT NULL
);
CREATE INDEX shopper_erasures_shop ON shopper_erasures (shop_id, erased_at DESC);
