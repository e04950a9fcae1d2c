-- Each shop its own embedding model. A switch re-embeds the shop's catalog and knowledge in the
-- background while search keeps reading the old vectors, then flips to the new ones at once: so a
-- product (and a knowledge chunk) may hold a vector of each of two embedders for a while, and its
-- vectors are keyed by the embedder and dimension too. The partial HNSW indexes (`WHERE dim = <d>`,
-- migrations 0007 and 0009) stay as they are: search filters on the shop's embedder beside the dim
-- predicate, and the iterative scan (src/db/pglite.ts) goes on past the other embedder's rows.
ALTER TABLE product_embeddings DROP CONSTRAINT product_embeddings_pkey;
ALTER TABLE product_embeddings ADD PRIMARY KEY (product_id, embedder, dim);
ALTER TABLE knowledge_chunks DROP CONSTRAINT knowledge_chunks_shop_id_doc_key_ordinal_key;
ALTER TABLE knowledge_chunks ADD UNIQUE (shop_id, doc_key, ordinal, embedder, dim);

-- The embedder a shop's search uses, and the switch under way or last made (src/domain/shops/embedding.ts).
-- model NULL: the environment's embedder (src/embed/index.ts); otherwise the shop's own model at
-- base_url, its key sealed like shop_models.api_key_enc. generation grows with every flip, so the
-- per-shop caches of every replica notice it on the next turn. target_model NULL with a target set
-- (has_target) means back to the environment's embedder; job counts the switches asked for, so a
-- runner whose switch was replaced meanwhile stops writing progress. The job's state lives here, so a restart
-- resumes it; lease_owner and lease_until let one replica run it, and another take it over when the
-- first stops renewing.
CREATE TABLE shop_embedders (
  shop_id text PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
  model text,
  base_url text,
  api_key_enc text,
  dim int CHECK (dim > 0),
  generation int NOT NULL DEFAULT 0,
  has_target boolean NOT NULL DEFAULT false,
  job int NOT NULL DEFAULT 0,
  target_model text,
  target_base_url text,
  target_api_key_enc text,
  state text NOT NULL DEFAULT 'ready' CHECK (state IN ('reembedding', 'ready', 'failed')),
  done int NOT NULL DEFAULT 0,
  total int NOT NULL DEFAULT 0,
  attempts int NOT NULL DEFAULT 0,
  started_at timestamptz,
  finished_at timestamptz,
  error text,
  lease_owner text,
  lease_until timestamptz,
  CHECK ((model IS NULL) = (base_url IS NULL) AND (model IS NULL) = (api_key_enc IS NULL)),
  CHECK ((target_model IS NULL) = (target_base_url IS NULL) AND (target_model IS NULL) = (target_api_key_enc IS NULL))
);
CREATE INDEX shop_embedders_due ON shop_embedders (lease_until) WHERE state = 'reembedding';
