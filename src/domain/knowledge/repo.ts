// Data access for knowledge documents and their chunks, always within one shop.
import type { Queryable } from '../../db/db.ts';
import { toVector } from '../../db/db.ts';

export interface StoredDocument {
  docKey: string;
  title: string;
  source: string;
  contentHash: string;
  version: number;
  chunks: number;
  updatedAt: Date;
}

export interface ChunkRow {
  heading: string;
  ordinal: number;
  content: string;
  terms: string[];
  vector: number[];
}

interface DocumentRow {
  doc_key: string;
  title: string;
  source: string;
  content_hash: string;
  version: number;
  chunks: number;
  updated_at: Date;
}

const DOCUMENT_COLUMNS = `d.doc_key, d.title, d.source, d.content_hash, d.version, d.updated_at,
  (SELECT count(DISTINCT c.ordinal) FROM knowledge_chunks c WHERE c.shop_id = d.shop_id AND c.doc_key = d.doc_key)::int AS chunks`;

function toDocument(r: DocumentRow): StoredDocument {
  return {
    docKey: r.doc_key,
    title: r.title,
    source: r.source,
    contentHash: r.content_hash,
    version: r.version,
    chunks: r.chunks,
    updatedAt: new Date(r.updated_at),
  };
}

export async function findDocument(db: Queryable, shopId: string, docKey: string): Promise<StoredDocument | null> {
  const { rows } = await db.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM knowledge_documents d WHERE d.shop_id = $1 AND d.doc_key = $2`,
    [shopId, docKey],
  );
  return rows[0] ? toDocument(rows[0]) : null;
}

export async function listDocuments(db: Queryable, shopId: string): Promise<StoredDocument[]> {
  const { rows } = await db.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM knowledge_documents d WHERE d.shop_id = $1 ORDER BY d.doc_key`,
    [shopId],
  );
  return rows.map(toDocument);
}

/** A document's chunks in order, as indexed (neighbouring chunks overlap by a sentence or so). */
export async function documentChunks(db: Queryable, shopId: string, docKey: string): Promise<{ heading: string; content: string }[]> {
  const { rows } = await db.query<{ heading: string; content: string }>(
    // DISTINCT ON: while the shop's embedder is switched a chunk is stored once per embedder (migration 0015).
    'SELECT DISTINCT ON (ordinal) heading, content FROM knowledge_chunks WHERE shop_id = $1 AND doc_key = $2 ORDER BY ordinal',
    [shopId, docKey],
  );
  return rows;
}

/** Deletes the document and (by cascade) its chunks; false when there was none. */
export async function deleteDocument(db: Queryable, shopId: string, docKey: string): Promise<boolean> {
  const r = await db.query('DELETE FROM knowledge_documents WHERE shop_id = $1 AND doc_key = $2', [shopId, docKey]);
  return r.rowCount > 0;
}

// Any fixed number: serialises imports of the same document (two admins, or a start-up seed racing
// an admin), so that the second sees the first's result instead of interleaving chunk writes.
const DOCUMENT_LOCK = 72_410_201;

export async function lockDocument(tx: Queryable, shopId: string, docKey: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DOCUMENT_LOCK, `${shopId}/${docKey}`]);
}

export interface DocumentWrite {
  shopId: string;
  docKey: string;
  title: string;
  source: string;
  contentHash: string;
  embedder: string;
  dim: number;
  chunks: ChunkRow[];
}

/**
 * Replaces the document's chunks and bumps its version; the caller holds the document's lock in a
 * transaction, so readers see the old chunks or the new ones, never a mix. Returns the new version.
 */
export async function replaceDocument(tx: Queryable, w: DocumentWrite): Promise<number> {
  const { rows } = await tx.query<{ version: number }>(
    `INSERT INTO knowledge_documents (shop_id, doc_key, title, source, content_hash, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, 1, now())
     ON CONFLICT (shop_id, doc_key) DO UPDATE
        SET title = EXCLUDED.title, source = EXCLUDED.source, content_hash = EXCLUDED.content_hash,
            version = knowledge_documents.version + 1, updated_at = EXCLUDED.updated_at
     RETURNING version`,
    [w.shopId, w.docKey, w.title, w.source, w.contentHash],
  );
  await tx.query('DELETE FROM knowledge_chunks WHERE shop_id = $1 AND doc_key = $2', [w.shopId, w.docKey]);
  // Arrays of text, cast in SQL: PGlite cannot bind a vector[] parameter, and term lists of unequal
  // length do not fit a two-dimensional text[] (same as the catalog's indexer).
  await tx.query(
    `INSERT INTO knowledge_chunks (shop_id, doc_key, heading, ordinal, content, search_terms, embedder, dim, embedding)
     SELECT $1, $2, x.heading, x.ordinal, x.content, ARRAY(SELECT jsonb_array_elements_text(x.terms::jsonb)),
            $3, $4, x.v::vector
       FROM unnest($5::text[], $6::int[], $7::text[], $8::text[], $9::text[]) AS x(heading, ordinal, content, terms, v)`,
    [
      w.shopId,
      w.docKey,
      w.embedder,
      w.dim,
      w.chunks.map((c) => c.heading),
      w.chunks.map((c) => c.ordinal),
      w.chunks.map((c) => c.content),
      w.chunks.map((c) => JSON.stringify(c.terms)),
      w.chunks.map((c) => toVector(c.vector)),
    ],
  );
  return rows[0]!.version;
}
