// The peer of the retrieval benchmark: LangChain's PGVectorStore on the same server, over the same
// vectors, used as its documentation shows (its own table, addVectors, createHnswIndex, and
// similaritySearchWithScore through an Embeddings). The Embeddings wraps our Embedder, so a query
// text becomes the very vector searchProducts gets for it.
import { Embeddings } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import pg from 'pg';
import type { Embedder } from '../../src/embed/embedder.ts';

/** Any Embedder of ours as a LangChain Embeddings. */
export class EmbedderEmbeddings extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }
  embedDocuments(texts: string[]): Promise<number[][]> {
    return this.embedder.embed(texts);
  }
  async embedQuery(text: string): Promise<number[]> {
    return (await this.embedder.embed([text]))[0]!;
  }
}

export interface PeerOptions {
  url: string;
  schema: string;
  embedder: Embedder;
  /** hnsw.ef_search for the peer's connections; PostgreSQL's default (40) when omitted. */
  efSearch?: number;
}

export interface Peer {
  store: PGVectorStore;
  /** The last statement the store sent, with its parameters (to EXPLAIN it). */
  lastQuery(): { sql: string; params: unknown[] } | undefined;
  close(): Promise<void>;
}

const TABLE = 'langchain_vectors';

/** A store on its own pool; the table is created by the first `open` of a schema. */
export async function openPeer({ url, schema, embedder, efSearch }: PeerOptions): Promise<Peer> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 3, // initialize() keeps one client checked out
    // Its index is built with the memory ours gets (bench/lib/searchCatalog.ts): at the server's
    // default (64 MB) the 100k graph does not fit and the build takes many times longer.
    options: ['-c maintenance_work_mem=1GB', ...(efSearch ? [`-c hnsw.ef_search=${efSearch}`] : [])].join(' '),
  });
  let last: { sql: string; params: unknown[] } | undefined;
  const query = pool.query.bind(pool) as (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: typeof query }).query = (sql, params) => {
    last = { sql, params: params ?? [] };
    return query(sql, params);
  };
  const store = await PGVectorStore.initialize(new EmbedderEmbeddings(embedder), {
    pool,
    schemaName: schema,
    tableName: TABLE,
    dimensions: embedder.dim,
    distanceStrategy: 'cosine',
  });
  return {
    store,
    lastQuery: () => last,
    async close() {
      // initialize() checked out a client it never releases; end() closes it with the pool.
      await store.end();
    },
  };
}

/** addVectors in the store's own chunks; the product id travels in the metadata. */
export async function loadPeer(store: PGVectorStore, vectors: Float32Array[], ids: number[], names: (i: number) => string) {
  const BATCH = 5_000;
  for (let i = 0; i < vectors.length; i += BATCH) {
    const chunk = vectors.slice(i, i + BATCH);
    await store.addVectors(
      chunk.map((v) => Array.from(v)),
      chunk.map((_, j) => new Document({ pageContent: names(i + j), metadata: { productId: ids[i + j] } })),
    );
  }
}
