-- The shop's knowledge base: the rules documents customer service answers from (return policy,
-- shipping, coupons, points, tiers, 链动2+1, traceability, skincare guides), split into chunks that
-- are searched by vector and by words. Written by src/domain/knowledge/ingest.ts.

-- One row per document. content_hash says whether a re-import changed anything (same hash → no-op);
-- version counts the changes that replaced the chunks.
CREATE TABLE knowledge_documents (
  shop_id text NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
  doc_key text NOT NULL CHECK (doc_key ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  source text NOT NULL DEFAULT '',
  content_hash text NOT NULL,
  version int NOT NULL DEFAULT 1 CHECK (version > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, doc_key)
);

-- A chunk carries its own vector (no separate table as for products: a chunk never exists without
-- one). Like product_embeddings, the vector column has no fixed dimension so that the embedder can
-- be switched; each dimension in use gets its own partial HNSW index over a typed cast.
CREATE TABLE knowledge_chunks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  shop_id text NOT NULL,
  doc_key text NOT NULL,
  -- the Markdown heading path of the chunk ('奖励规则 > 团队奖'), '' before the first heading
  heading text NOT NULL DEFAULT '',
  ordinal int NOT NULL CHECK (ordinal >= 0),
  content text NOT NULL,
  -- distinct words of title, heading and content, cut by src/embed/tokenize.ts, for lexical match
  search_terms text[] NOT NULL DEFAULT '{}',
  embedder text NOT NULL,
  dim int NOT NULL CHECK (dim > 0),
  embedding vector NOT NULL,
  UNIQUE (shop_id, doc_key, ordinal),
  FOREIGN KEY (shop_id, doc_key) REFERENCES knowledge_documents (shop_id, doc_key) ON DELETE CASCADE
);
CREATE INDEX knowledge_chunks_shop_dim ON knowledge_chunks (shop_id, dim);
CREATE INDEX knowledge_chunks_search_terms ON knowledge_chunks USING gin (search_terms);
CREATE INDEX knowledge_chunks_hnsw_256 ON knowledge_chunks
  USING hnsw ((embedding::vector(256)) vector_cosine_ops) WHERE dim = 256;
