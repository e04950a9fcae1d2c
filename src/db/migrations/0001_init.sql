-- The commerce data of the AI card. Every shop-owned row carries shop_id (S2B2C: one supplier
-- catalog, many shops). Money is bigint fen; time is timestamptz.
CREATE EXTENSION IF NOT EXISTS vector;

-- Shops and their AI business card (名片).
CREATE TABLE shops (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  name text NOT NULL,
  intro text NOT NULL DEFAULT '',
  timezone text NOT NULL DEFAULT 'Asia/Shanghai',
  advisor_name text NOT NULL,
  advisor_photo_url text NOT NULL DEFAULT '',
  advisor_title text NOT NULL DEFAULT '',
  persona text NOT NULL DEFAULT '',
  advisor_persona text NOT NULL DEFAULT '',
  tone text NOT NULL DEFAULT '',
  contact text NOT NULL DEFAULT '',
  -- shop-configurable policy numbers (defaults filled in by the domain layer, docs/domain.md §1 S2B2C shop)
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Suppliers own the shared catalog (the S of S2B2C); shops list their products.
CREATE TABLE suppliers (
  id text PRIMARY KEY,
  name text NOT NULL,
  warehouse text NOT NULL DEFAULT '',
  shipping_promise_hours int NOT NULL DEFAULT 48 CHECK (shipping_promise_hours > 0),
  after_sales_contact text NOT NULL DEFAULT ''
);

CREATE TABLE shop_suppliers (
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  supplier_id text NOT NULL REFERENCES suppliers(id),
  PRIMARY KEY (shop_id, supplier_id)
);

CREATE TABLE products (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  supplier_id text NOT NULL REFERENCES suppliers(id),
  sku text NOT NULL,
  name text NOT NULL,
  brand text NOT NULL DEFAULT '',
  category text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- skin_types[], colors[], effects[], spec …
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  price_fen bigint NOT NULL CHECK (price_fen >= 0),
  stock int NOT NULL DEFAULT 0 CHECK (stock >= 0),
  usage_cycle_days int CHECK (usage_cycle_days > 0),
  origin text NOT NULL DEFAULT '',
  qc_report_ref text NOT NULL DEFAULT '',
  batch_no text NOT NULL DEFAULT '',
  is_activation boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'on_sale' CHECK (status IN ('on_sale', 'off_shelf')),
  -- words of name/brand/category/attributes, segmented by the embedder's tokenizer, for lexical match
  search_terms text[] NOT NULL DEFAULT '{}',
  launched_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (shop_id, sku)
);
CREATE INDEX products_shop_category ON products (shop_id, category);
CREATE INDEX products_shop_price ON products (shop_id, price_fen);
CREATE INDEX products_search_terms ON products USING gin (search_terms);
CREATE INDEX products_attributes ON products USING gin (attributes jsonb_path_ops);

-- One vector per product and embedder. The column has no fixed dimension so that another embedder
-- can be switched to; each dimension in use gets its own partial HNSW index over a typed cast
-- (created by the catalog's data access when vectors of a new dimension are first written).
CREATE TABLE product_embeddings (
  product_id bigint PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
  shop_id text NOT NULL,
  embedder text NOT NULL,
  dim int NOT NULL CHECK (dim > 0),
  embedding vector NOT NULL,
  content_hash text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_embeddings_shop ON product_embeddings (shop_id, dim);
CREATE INDEX product_embeddings_hnsw_256 ON product_embeddings
  USING hnsw ((embedding::vector(256)) vector_cosine_ops) WHERE dim = 256;

CREATE TABLE shoppers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  openid text NOT NULL,
  nickname text NOT NULL,
  -- stored for delivery and verification; never shown or logged in full (see domain/shoppers mask)
  phone text,
  birthday date,
  gender text CHECK (gender IN ('f', 'm', 'u')),
  skin_type text,
  -- 'new' = registered, no order yet; then the lifecycle tiers of docs/domain.md §3 Tiers
  tier text NOT NULL DEFAULT 'new' CHECK (tier IN ('new', 'converted', 'potential', 'core', 'laotie')),
  potential_score text CHECK (potential_score IN ('high', 'mid', 'low')),
  -- 链动2+1 identity (docs/domain.md §4 Referral)
  referral_identity text NOT NULL DEFAULT 'member' CHECK (referral_identity IN ('member', 'agent', 'boss')),
  referrer_id bigint REFERENCES shoppers(id) ON DELETE SET NULL,
  referral_bound_at timestamptz,
  -- {"marketing": bool, "reminders": {"birthday": bool, …}}
  consent jsonb NOT NULL DEFAULT '{"marketing": true, "reminders": {}}'::jsonb,
  tags jsonb NOT NULL DEFAULT '{}'::jsonb,
  profile_summary text NOT NULL DEFAULT '',
  registered_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (shop_id, openid),
  UNIQUE (shop_id, id)
);
CREATE INDEX shoppers_shop_tier ON shoppers (shop_id, tier);
CREATE INDEX shoppers_referrer ON shoppers (referrer_id);

CREATE TABLE behaviour_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  shopper_id bigint NOT NULL REFERENCES shoppers(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('view', 'favourite', 'follow', 'share', 'consult', 'search', 'dwell')),
  product_id bigint REFERENCES products(id) ON DELETE SET NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX behaviour_events_shopper ON behaviour_events (shop_id, shopper_id, occurred_at DESC);

CREATE TABLE coupon_templates (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  code text NOT NULL,
  name text NOT NULL,
  -- threshold: 满 threshold_fen 减 amount_fen; no_threshold: 减 amount_fen; discount: percent_off (8折 = 20)
  kind text NOT NULL CHECK (kind IN ('threshold', 'no_threshold', 'discount')),
  threshold_fen bigint NOT NULL DEFAULT 0 CHECK (threshold_fen >= 0),
  amount_fen bigint NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
  percent_off int NOT NULL DEFAULT 0 CHECK (percent_off BETWEEN 0 AND 90),
  -- how a shopper gets it: claimable by hand, or issued by a policy of docs/domain.md §5 Coupons
  trigger text NOT NULL CHECK (trigger IN ('claimable', 'second_purchase', 'birthday', 'discount_day', 'points_redeem', 'replenishment', 'referral')),
  audience_tiers text[] NOT NULL DEFAULT '{new,converted,potential,core,laotie}',
  per_shopper_limit int NOT NULL DEFAULT 1 CHECK (per_shopper_limit > 0),
  total_quantity int CHECK (total_quantity > 0),
  issued_count int NOT NULL DEFAULT 0,
  points_cost int CHECK (points_cost > 0),
  valid_days int NOT NULL DEFAULT 30 CHECK (valid_days > 0),
  starts_at timestamptz,
  ends_at timestamptz,
  active boolean NOT NULL DEFAULT true,
  UNIQUE (shop_id, code),
  UNIQUE (shop_id, id)
);

CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  order_no text NOT NULL,
  shopper_id bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('created', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded')),
  items_fen bigint NOT NULL CHECK (items_fen >= 0),
  discount_fen bigint NOT NULL DEFAULT 0 CHECK (discount_fen >= 0),
  shipping_fen bigint NOT NULL DEFAULT 0 CHECK (shipping_fen >= 0),
  pay_fen bigint NOT NULL CHECK (pay_fen >= 0),
  coupon_id bigint,
  -- receiver name, phone, region, detail: shown to the owner only, phone masked
  address jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  paid_at timestamptz,
  shipped_at timestamptz,
  delivered_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  refunded_at timestamptz,
  UNIQUE (shop_id, order_no),
  UNIQUE (shop_id, id),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX orders_shopper ON orders (shop_id, shopper_id, created_at DESC);

CREATE TABLE order_items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  order_id bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id bigint NOT NULL REFERENCES products(id),
  product_name text NOT NULL,
  unit_price_fen bigint NOT NULL CHECK (unit_price_fen >= 0),
  quantity int NOT NULL CHECK (quantity > 0)
);
CREATE INDEX order_items_order ON order_items (order_id);
CREATE INDEX order_items_product ON order_items (shop_id, product_id);

CREATE TABLE shipments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  order_id bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  carrier text NOT NULL,
  tracking_no text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'in_transit', 'out_for_delivery', 'delivered', 'exception')),
  -- paid_at + the supplier's shipping promise (48 h by default)
  ship_by timestamptz,
  shipped_at timestamptz,
  delivered_at timestamptz,
  eta timestamptz,
  UNIQUE (shop_id, tracking_no)
);
CREATE INDEX shipments_order ON shipments (order_id);

CREATE TABLE tracking_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  shipment_id bigint NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
  occurred_at timestamptz NOT NULL,
  status text NOT NULL,
  location text NOT NULL DEFAULT '',
  description text NOT NULL
);
CREATE INDEX tracking_events_shipment ON tracking_events (shipment_id, occurred_at);

CREATE TABLE after_sales (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  request_no text NOT NULL,
  order_id bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  shopper_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('return', 'exchange', 'refund')),
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'rejected', 'completed', 'withdrawn')),
  amount_fen bigint NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (shop_id, request_no),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
-- At most one open or completed request per order: a second one is refused by the database itself.
CREATE UNIQUE INDEX after_sales_one_per_order ON after_sales (order_id) WHERE status IN ('requested', 'approved', 'completed');

CREATE TABLE coupons (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  template_id bigint NOT NULL,
  shopper_id bigint NOT NULL,
  status text NOT NULL DEFAULT 'unused' CHECK (status IN ('unused', 'used', 'expired', 'revoked')),
  -- why it was issued, unique per shop: 'claim:<template>:<shopper>:<n>', 'birthday:<shopper>:<year>' …
  issue_key text NOT NULL,
  issued_at timestamptz NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_until timestamptz NOT NULL,
  used_order_id bigint,
  used_at timestamptz,
  UNIQUE (shop_id, issue_key),
  FOREIGN KEY (shop_id, template_id) REFERENCES coupon_templates (shop_id, id),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX coupons_shopper ON coupons (shop_id, shopper_id, status);

CREATE TABLE points_ledger (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  delta int NOT NULL CHECK (delta <> 0),
  reason text NOT NULL,
  -- what earned or spent the points, unique per shop so a replay never counts twice
  ref_key text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (shop_id, ref_key),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX points_ledger_shopper ON points_ledger (shop_id, shopper_id);

-- Share links a shopper hands out (链动2+1); the binding itself is shoppers.referrer_id.
CREATE TABLE referral_links (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  code text NOT NULL,
  product_id bigint REFERENCES products(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (shop_id, code),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);

CREATE TABLE conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  shop_id text NOT NULL,
  shopper_id bigint NOT NULL,
  channel text NOT NULL DEFAULT 'card',
  -- who answers the shopper now: the AI, or a person after a handoff
  mode text NOT NULL DEFAULT 'ai' CHECK (mode IN ('ai', 'human')),
  summary text NOT NULL DEFAULT '',
  -- slots the agent keeps between turns (filters, items shown) — data, never instructions
  state jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (shop_id, shopper_id) REFERENCES shoppers (shop_id, id) ON DELETE CASCADE
);
CREATE INDEX conversations_shopper ON conversations (shop_id, shopper_id, updated_at DESC);

CREATE TABLE messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('user', 'assistant', 'tool', 'staff', 'system')),
  content text NOT NULL,
  -- [{name, input, output}] for assistant turns that used tools
  tool_calls jsonb NOT NULL DEFAULT '[]'::jsonb,
  meta jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);
