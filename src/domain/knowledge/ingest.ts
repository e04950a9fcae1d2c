// Imports one knowledge document into a shop's knowledge base. Idempotent per document: the same
// text (and title, splitter, embedder) is a no-op that keeps the stored chunks and their ids; a
// change replaces all of the document's chunks in one transaction.
import type { Db } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { NotFound, Unavailable } from '../../errors.ts';
import { checkedDim } from '../catalog/vectorIndex.ts';
import { checkKnowledgeInput, chunkEmbeddingText, chunkTerms, documentHash, type KnowledgeInput } from './document.ts';
import { findDocument, lockDocument, replaceDocument, type StoredDocument } from './repo.ts';
import { SPLITTER_VERSION, splitKnowledge } from './split.ts';
import { ensureKnowledgeVectorIndex } from './vectorIndex.ts';

export interface IngestResult {
  docKey: string;
  version: number;
  chunks: number;
  /** True when the stored document already had this content: nothing was written. */
  unchanged: boolean;
}

const FOREIGN_KEY_VIOLATION = '23503';

function unchangedResult(doc: StoredDocument): IngestResult {
  return { docKey: doc.docKey, version: doc.version, chunks: doc.chunks, unchanged: true };
}

export async function ingestKnowledge(
  db: Db,
  embedder: Embedder,
  shopId: string,
  input: KnowledgeInput,
): Promise<IngestResult> {
  checkKnowledgeInput(input);
  const dim = checkedDim(embedder.dim);
  const hash = documentHash(input, SPLITTER_VERSION, embedder.id);
  const stored = await findDocument(db, shopId, input.docKey);
  if (stored?.contentHash === hash) return unchangedResult(stored);

  const title = input.title.trim();
  const chunks = await splitKnowledge({ ...input, title });
  // Outside the transaction: a slow embedding service must not hold the database.
  const vectors = await embedder.embed(
    chunks.map((c) => chunkEmbeddingText({ title, heading: c.metadata.heading, content: c.pageContent })),
  );
  if (vectors.length !== chunks.length || vectors.some((v) => v.length !== dim)) {
    throw new Unavailable(`embedder ${embedder.id} returned vectors of the wrong number or size`);
  }

  try {
    return await db.transaction(async (tx) => {
      await lockDocument(tx, shopId, input.docKey);
      // Another import of the same text may have finished while this one was embedding.
      const current = await findDocument(tx, shopId, input.docKey);
      if (current?.contentHash === hash) return unchangedResult(current);
      await ensureKnowledgeVectorIndex(tx, dim);
      const version = await replaceDocument(tx, {
        shopId,
        docKey: input.docKey,
        title,
        source: input.source ?? '',
        contentHash: hash,
        embedder: embedder.id,
        dim,
        chunks: chunks.map((c, i) => ({
          heading: c.metadata.heading,
          ordinal: c.metadata.ordinal,
          content: c.pageContent,
          terms: chunkTerms({ title, heading: c.metadata.heading, content: c.pageContent }),
          vector: vectors[i]!,
        })),
      });
      return { docKey: input.docKey, version, chunks: chunks.length, unchanged: false };
    });
  } catch (e) {
    if ((e as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) throw new NotFound('shop');
    throw e;
  }
}
