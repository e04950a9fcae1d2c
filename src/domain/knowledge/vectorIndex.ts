// knowledge_chunks.embedding has no fixed dimension, like product_embeddings: each dimension in use
// gets a partial HNSW index over a typed cast, made the first time vectors of that dimension are
// written (the migration made 256's). The dimension reaches SQL text only through checkedDim.
import type { Queryable } from '../../db/db.ts';
import { checkedDim } from '../catalog/vectorIndex.ts';

/** pgvector's limit for an HNSW index on vector; larger vectors are searched by exact scan. */
const HNSW_MAX_DIM = 2_000;
// Any fixed number (the catalog's is 72_410_101): two imports meeting a new dimension at once
// create its index only once.
const INDEX_DDL_LOCK = 72_410_102;

export async function ensureKnowledgeVectorIndex(tx: Queryable, dim: number): Promise<void> {
  const d = checkedDim(dim);
  if (d > HNSW_MAX_DIM) return;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [INDEX_DDL_LOCK]);
  await tx.exec(
    `CREATE INDEX IF NOT EXISTS knowledge_chunks_hnsw_${d} ON knowledge_chunks ` +
      `USING hnsw ((embedding::vector(${d})) vector_cosine_ops) WHERE dim = ${d}`,
  );
}
