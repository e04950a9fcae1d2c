// A shop's knowledge chunks embedded again by another embedder, beside the ones search still reads:
// each chunk gets a twin (same document, ordinal, text and words) with the new embedder's vector.
// Used by a switch of the shop's embedder (src/jobs/reembed.ts); resumable, since a chunk that has
// its twin is not embedded again.
import type { Db } from '../../db/db.ts';
import { toVector } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { Unavailable } from '../../errors.ts';
import { checkedDim } from '../catalog/vectorIndex.ts';
import { chunkEmbeddingText } from './document.ts';
import { lockDocument } from './repo.ts';
import { ensureKnowledgeVectorIndex } from './vectorIndex.ts';

interface SourceChunk {
  doc_key: string;
  ordinal: number;
  heading: string;
  content: string;
  search_terms: string[];
  title: string;
}

export interface ReembedOptions {
  batchSize: number;
  /** After each batch written, with how many chunks it held. */
  onBatch?: (written: number) => Promise<void>;
}

/** Gives every chunk of the shop a twin by `embedder`; returns how many it embedded. */
export async function reembedKnowledge(db: Db, embedder: Embedder, shopId: string, o: ReembedOptions): Promise<number> {
  let embedded = 0;
  for (;;) {
    const { rows } = await db.query<SourceChunk>(
      `SELECT DISTINCT ON (c.doc_key, c.ordinal) c.doc_key, c.ordinal, c.heading, c.content, c.search_terms, d.title
         FROM knowledge_chunks c
         JOIN knowledge_documents d ON d.shop_id = c.shop_id AND d.doc_key = c.doc_key
        WHERE c.shop_id = $1 AND c.embedder <> $2 AND NOT EXISTS (
              SELECT 1 FROM knowledge_chunks t WHERE t.shop_id = c.shop_id AND t.doc_key = c.doc_key
                 AND t.ordinal = c.ordinal AND t.embedder = $2)
        ORDER BY c.doc_key, c.ordinal
        LIMIT $3`,
      [shopId, embedder.id, o.batchSize],
    );
    if (rows.length === 0) return embedded;
    // Outside the transaction: a slow embedding service must not hold the database.
    const vectors = await embedder.embed(rows.map((r) => chunkEmbeddingText({ title: r.title, heading: r.heading, content: r.content })));
    const dim = checkedDim(embedder.dim);
    if (vectors.length !== rows.length || vectors.some((v) => v.length !== dim)) {
      throw new Unavailable(`embedder ${embedder.id} returned vectors of the wrong number or size`);
    }
    await db.transaction(async (tx) => {
      // A document imported again meanwhile replaced its chunks: a twin is written only beside a chunk
      // that still holds the text it was embedded from (the import holds the same lock).
      for (const docKey of [...new Set(rows.map((r) => r.doc_key))].sort()) await lockDocument(tx, shopId, docKey);
      await ensureKnowledgeVectorIndex(tx, dim);
      await tx.query(
        `INSERT INTO knowledge_chunks (shop_id, doc_key, heading, ordinal, content, search_terms, embedder, dim, embedding)
         SELECT $1, x.doc_key, x.heading, x.ordinal, x.content, ARRAY(SELECT jsonb_array_elements_text(x.terms::jsonb)),
                $2, $3, x.v::vector
           FROM unnest($4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[]) AS x(doc_key, ordinal, heading, content, terms, v)
          WHERE EXISTS (SELECT 1 FROM knowledge_chunks s WHERE s.shop_id = $1 AND s.doc_key = x.doc_key
                           AND s.ordinal = x.ordinal AND s.content = x.content AND s.embedder <> $2)
         ON CONFLICT DO NOTHING`,
        [
          shopId,
          embedder.id,
          dim,
          rows.map((r) => r.doc_key),
          rows.map((r) => r.ordinal),
          rows.map((r) => r.heading),
          rows.map((r) => r.content),
          rows.map((r) => JSON.stringify(r.search_terms)),
          vectors.map(toVector),
        ],
      );
    });
    embedded += rows.length;
    await o.onBatch?.(rows.length);
  }
}
