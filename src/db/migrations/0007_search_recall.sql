-- Product search recall (the search quality bar: recall@10 ≥ 0.95 against the exact answer at 100k products).
-- With pgvector's default graph (m = 16, ef_construction = 64) about 5% of the benchmark's queries
-- found none of their 10 nearest at all, however deep the scan (ef_search 200: recall 0.92): the
-- greedy search could not reach their small, tight clusters. A denser graph built with a wider
-- candidate list links them (m = 32, ef_construction = 200: 0.957 at ef_search 100, 0.969 at 200;
-- npm run bench:search). The rebuild costs its build time once (100k products: a few minutes on the
-- server). The search depth is set per connection by both drivers (SEARCH_SESSION in
-- src/db/pglite.ts); new dimensions get the same graph (src/domain/catalog/vectorIndex.ts).
DROP INDEX IF EXISTS product_embeddings_hnsw_256;
CREATE INDEX product_embeddings_hnsw_256 ON product_embeddings
  USING hnsw ((embedding::vector(256)) vector_cosine_ops) WITH (m = 32, ef_construction = 200) WHERE dim = 256;

-- Search checks that every vector of the shop was made by the current embedder by reading the
-- lowest and highest (embedder, dim): two probes of this index instead of a read of every vector.
CREATE INDEX product_embeddings_shop_embedder ON product_embeddings (shop_id, embedder, dim);
