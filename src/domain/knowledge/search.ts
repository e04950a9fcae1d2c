// Hybrid search over one shop's knowledge chunks: nearest vectors and shared words, each a list of
// candidates, fused into one score (score.ts). Only the caller's shop is ever read.
import type { Db, Queryable } from '../../db/db.ts';
import { toVector } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { termSet } from '../../embed/tokenize.ts';
import { Conflict } from '../../errors.ts';
import { vectorType } from '../catalog/vectorIndex.ts';
import { resolveQueryTerms, termsToLookUp } from './queryTerms.ts';
import { fusedScore, idf, lexicalScore } from './score.ts';
import { synonymCandidates, synonymsOf } from './synonyms.ts';

export interface KnowledgeHit {
  docKey: string;
  title: string;
  /** Heading path of the chunk; '' before the document's first heading. */
  heading: string;
  content: string;
  score: number;
}

export interface KnowledgeSearchOptions {
  /** Default 3, at most 20. */
  limit?: number;
}

const DEFAULT_LIMIT = 3;
const MAX_LIMIT = 20;
// Candidates from each side before fusion: enough that the right chunk is among them when one
// side ranks it low, few enough that fusion stays a handful of rows.
const VECTOR_CANDIDATES = 20;
const LEXICAL_CANDIDATES = 50;
// Below this a hit shares neither meaningful words nor much meaning with the question: returning
// it would invite the model to answer from an unrelated rule.
const MIN_SCORE = 0.15;

interface IndexState {
  embedder: string;
  dim: number;
  n: number;
}

/**
 * Vectors of different embedders do not compare: a shop whose chunks are all another embedder's is
 * refused until its documents are imported again. A second embedder's chunks beside the current
 * one's are a switch of the shop's embedder under way (migration 0015): they are not read.
 */
async function indexedChunks(db: Queryable, shopId: string, embedder: Embedder): Promise<number> {
  const { rows } = await db.query<IndexState>(
    `SELECT embedder, dim, count(*)::int AS n FROM knowledge_chunks WHERE shop_id = $1
      GROUP BY embedder, dim ORDER BY embedder, dim`,
    [shopId],
  );
  const current = rows.find((r) => r.embedder === embedder.id && r.dim === embedder.dim);
  if (!current && rows.length > 0) {
    const found = rows.map((r) => `${r.embedder} (${r.dim}-d, ${r.n} chunks)`).join(', ');
    throw new Conflict(
      `the knowledge base of shop ${shopId} was indexed with ${found}, not with the current embedder ` +
        `${embedder.id} (${embedder.dim}-d): import its documents again`,
      { shopId, embedder: embedder.id, dim: embedder.dim, indexed: rows },
    );
  }
  return current?.n ?? 0;
}

/** How many of the shop's chunks contain each term (the GIN index answers each `@>`). */
async function documentFrequencies(db: Queryable, shopId: string, embedderId: string, terms: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ term: string; df: number }>(
    `SELECT t AS term,
            (SELECT count(*) FROM knowledge_chunks c
              WHERE c.shop_id = $1 AND c.search_terms @> ARRAY[t] AND c.embedder = $3)::int AS df
       FROM unnest($2::text[]) AS t`,
    [shopId, terms, embedderId],
  );
  return new Map(rows.map((r) => [r.term, r.df]));
}

interface CandidateRow {
  doc_key: string;
  title: string;
  heading: string;
  content: string;
  similarity: number;
  matched: string[];
}

async function candidates(tx: Queryable, shopId: string, vector: number[], terms: string[], embedderId: string, dim: number) {
  // The cast and the `dim = <d>` predicate are written literally so the partial HNSW index applies.
  const vt = vectorType(dim);
  const { rows } = await tx.query<CandidateRow>(
    `WITH vec AS (
       SELECT id FROM knowledge_chunks
        WHERE shop_id = $1 AND dim = ${dim} AND embedder = $4
        ORDER BY embedding::${vt} <=> $2::${vt}
        LIMIT ${VECTOR_CANDIDATES}
     ), lex AS (
       SELECT id FROM knowledge_chunks
        WHERE shop_id = $1 AND search_terms && $3::text[] AND embedder = $4 AND dim = ${dim}
        ORDER BY cardinality(ARRAY(SELECT unnest(search_terms) INTERSECT SELECT unnest($3::text[]))) DESC, id
        LIMIT ${LEXICAL_CANDIDATES}
     )
     SELECT c.doc_key, d.title, c.heading, c.content,
            1 - (c.embedding::${vt} <=> $2::${vt}) AS similarity,
            ARRAY(SELECT unnest(c.search_terms) INTERSECT SELECT unnest($3::text[])) AS matched
       FROM knowledge_chunks c
       JOIN knowledge_documents d ON d.shop_id = c.shop_id AND d.doc_key = c.doc_key
      WHERE c.shop_id = $1 AND c.id IN (SELECT id FROM vec UNION SELECT id FROM lex)`,
    [shopId, toVector(vector), terms, embedderId],
  );
  return rows;
}

/** The question's terms that the chunk's heading contains (its last level: the question it answers). */
function headingTerms(heading: string, terms: readonly string[]): string[] {
  const last = heading.split(/\s*[>›/]\s*/).at(-1) ?? '';
  if (!last) return [];
  const words = new Set(termSet(last));
  return terms.filter((t) => words.has(t) || last.includes(t));
}

/** The chunks of the shop's knowledge base that best answer `query`, best first. */
export async function searchKnowledgeBase(
  db: Db,
  embedder: Embedder,
  shopId: string,
  query: string,
  { limit = DEFAULT_LIMIT }: KnowledgeSearchOptions = {},
): Promise<KnowledgeHit[]> {
  const take = Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit) || DEFAULT_LIMIT));
  const text = query.trim();
  if (!text) return [];
  const chunkCount = await indexedChunks(db, shopId, embedder);
  if (chunkCount === 0) return [];

  const [vector] = await embedder.embed([text]);
  if (!vector || vector.every((x) => x === 0)) return [];
  const words = termSet(text);
  const df = await documentFrequencies(db, shopId, embedder.id, [...new Set([...termsToLookUp(words), ...synonymCandidates(words)])]);
  const terms = resolveQueryTerms(words, df);
  const weights = new Map(terms.map((t) => [t, idf(df.get(t) ?? 0, chunkCount)]));
  // A synonym the documents use counts as the query's word it stands for.
  const synonyms = synonymsOf(terms, df);
  const asAsked = (matched: readonly string[]) => matched.map((t) => synonyms.get(t) ?? t);

  const rows = await db.transaction(async (tx) => {
    // With many shops in one table, an HNSW scan filtered to one shop can run out of candidates;
    // iterative scanning (pgvector ≥ 0.8) keeps going until the LIMIT is met.
    await tx.query("SET LOCAL hnsw.iterative_scan = 'relaxed_order'");
    return candidates(tx, shopId, vector, [...terms, ...synonyms.keys()], embedder.id, embedder.dim);
  });

  return rows
    .map((r) => ({
      docKey: r.doc_key,
      title: r.title,
      heading: r.heading,
      content: r.content,
      score: fusedScore(
        Number(r.similarity),
        lexicalScore(asAsked(r.matched ?? []), weights),
        lexicalScore(asAsked(headingTerms(r.heading, [...weights.keys(), ...synonyms.keys()])), weights),
        r.heading === '',
      ),
    }))
    .filter((h) => h.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.docKey.localeCompare(b.docKey))
    .slice(0, take);
}
