// product_embeddings.embedding has no fixed dimension (an embedder can be switched), and pgvector
// can only index a typed column: each dimension in use gets a partial HNSW index over a typed cast,
// `(embedding::halfvec(<dim>)) WHERE dim = <dim>`. Queries repeat that cast and predicate literally,
// so the dimension is written into the SQL text — always through checkedDim, never from input.
// The index holds the vectors in half precision (migration 0009): a 256-d graph of 100k products
// is 98 MB instead of 156 MB, so more of it stays in memory and a scan reads fewer pages, for the
// same recall (bench:search). The stored vectors stay full precision, and so do the distances
// search reports and ranks by.
import type { Queryable } from '../../db/db.ts';
import { Invalid } from '../../errors.ts';

/** pgvector's limit for a vector column. */
const VECTOR_MAX_DIM = 16_000;
/** pgvector's limit for an HNSW index on halfvec; larger vectors are searched by exact scan. */
const HNSW_MAX_DIM = 4_000;
// Any fixed number: two indexers meeting a new dimension at once create its index only once.
const INDEX_DDL_LOCK = 72_410_101;

/** The dimension as a safe SQL literal. */
export function checkedDim(dim: number): number {
  if (!Number.isInteger(dim) || dim < 1 || dim > VECTOR_MAX_DIM) {
    throw new Invalid(`embedding dimension must be an integer from 1 to ${VECTOR_MAX_DIM}, got ${dim}`);
  }
  return dim;
}

/** The `vector(<dim>)` type of that dimension, for casts that must match a partial index over vector. */
export function vectorType(dim: number): string {
  return `vector(${checkedDim(dim)})`;
}

/** The `halfvec(<dim>)` type the product index is built over: the ORDER BY of a search repeats it. */
export function indexedType(dim: number): string {
  return `halfvec(${checkedDim(dim)})`;
}

/** The graph of every product index: denser than pgvector's default, for recall (migration 0007). */
export const PRODUCT_HNSW_WITH = 'WITH (m = 32, ef_construction = 200)';

/** Creates the partial HNSW index of a dimension if it does not exist yet (the migrations made 256's). */
export async function ensureVectorIndex(tx: Queryable, dim: number): Promise<void> {
  const d = checkedDim(dim);
  if (d > HNSW_MAX_DIM) return;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [INDEX_DDL_LOCK]);
  await tx.exec(
    `CREATE INDEX IF NOT EXISTS product_embeddings_hnsw_${d} ON product_embeddings ` +
      `USING hnsw ((embedding::${indexedType(d)}) halfvec_cosine_ops) ${PRODUCT_HNSW_WITH} WHERE dim = ${d}`,
  );
}
