-- Product search reads a half-precision graph (the search target: searchProducts faster at p95 than
-- LangChain's PGVectorStore at recall@10 ≥ 0.95). The vectors stay full precision in the table; only
-- the HNSW index keeps them as halfvec: 2 bytes a dimension instead of 4, so the 256-d graph of
-- 100k products is 98 MB instead of 156 MB, a scan touches fewer pages and more of the graph stays
-- in memory. Measured on the bench's 100k vectors at the same graph (m = 32, ef_construction = 200),
-- halfvec scanned ≈ 10% faster at equal depth with no loss of recall (0.962 vs 0.946 at
-- ef_search 100, both against the exact float answer). halfvec's HNSW limit is also higher: 4,000
-- dimensions instead of 2,000, so 3,072-d embeddings get an index too.
-- Every dimension's index is rebuilt (src/domain/catalog/vectorIndex.ts made the ones past 256).
DO $$
DECLARE
  r record;
  d int;
BEGIN
  FOR r IN
    SELECT i.relname AS name
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = 'product_embeddings'
       AND t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
       AND i.relname ~ '^product_embeddings_hnsw_[0-9]+$'
  LOOP
    d := substring(r.name FROM '[0-9]+$')::int;
    EXECUTE format('DROP INDEX %I', r.name);
    EXECUTE format(
      'CREATE INDEX %I ON product_embeddings USING hnsw ((embedding::halfvec(%s)) halfvec_cosine_ops) '
      'WITH (m = 32, ef_construction = 200) WHERE dim = %s', r.name, d, d);
  END LOOP;
END
$$;
