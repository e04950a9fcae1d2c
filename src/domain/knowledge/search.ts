// Hybrid search over one shop's knowledge chunks: nearest vectors and shared words, each a list of
// candidates, fused into one score (score.ts). Only the caller's shop is ever read.
import type { Db, Queryable } from '../../db/db.ts';
import { toVector } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { termSet } from '../../embed/tokenize.ts';
import { Conflict } from '../../errors.ts';
import { normalize } from '../../text/normalize.ts';
import { vectorType } from '../catalog/vectorIndex.ts';
import { ASKING_WORDS, mayBeTypedBySound, piecesOf, resolveQueryTerms, soundAlikes, termsToLookUp } from './queryTerms.ts';
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
// A word no chunk contains cannot tell chunks apart; it only says how much of the question is left
// unanswered. At full weight (the highest idf) the chatter of a long message ("买够几块钱才包邮啊":
// 买够, 几块钱) outweighed the one word that names the topic, and the answer fell under MIN_SCORE.
const UNKNOWN_WORD_FACTOR = 0.4;
// One Chinese character is more often a particle or a verb of any question (到, 来, 看) than the
// subject of this one: it counts, but less than a word.
const ONE_CHARACTER_FACTOR = 0.4;

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

/** The shop's words of two to four characters with their document frequencies: what a sound may be. */
async function vocabulary(db: Queryable, shopId: string, embedderId: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ term: string; df: number }>(
    `SELECT t AS term, count(*)::int AS df
       FROM knowledge_chunks c, unnest(c.search_terms) AS t
      WHERE c.shop_id = $1 AND c.embedder = $2 AND char_length(t) BETWEEN 2 AND 4
      GROUP BY t`,
    [shopId, embedderId],
  );
  return new Map(rows.map((r) => [r.term, r.df]));
}

/**
 * The question's words resolved against the documents (queryTerms.ts), with the words typed by sound
 * (发火 → 发货, baoyou → 包邮) replaced by the documents' words, and every document frequency needed.
 */
async function questionTerms(db: Queryable, shopId: string, embedderId: string, words: string[], syllablePairs: readonly SyllablePair[] = []) {
  const lookUp = (ws: readonly string[]) => [...new Set([...termsToLookUp(ws), ...synonymCandidates([...ws, ...ws.flatMap(piecesOf)])])];
  const df = await documentFrequencies(db, shopId, embedderId, lookUp(words));
  let terms = resolveQueryTerms(words, df);
  const unheard = [...terms.filter((t) => (df.get(t) ?? 0) === 0 && mayBeTypedBySound(t)), ...syllablePairs.map((p) => p.joined)];
  if (unheard.length === 0) return { terms, df };
  const known = await vocabulary(db, shopId, embedderId);
  const alike = soundAlikes(unheard, known.keys());
  if (alike.size === 0) return { terms, df };
  // "tui huo": two syllables that together sound like a word of the documents are that word.
  const heard = syllablePairs.filter((p) => alike.has(p.joined));
  const spent = new Set(heard.flatMap((p) => p.syllables));
  terms = [...new Set([...terms.filter((t) => !spent.has(t)).flatMap((t) => alike.get(t) ?? [t]), ...heard.flatMap((p) => alike.get(p.joined)!)])];
  for (const w of [...alike.values()].flat()) df.set(w, known.get(w) ?? 0);
  const more = lookUp(terms).filter((t) => !df.has(t));
  if (more.length > 0) for (const [t, n] of await documentFrequencies(db, shopId, embedderId, more)) df.set(t, n);
  return { terms, df };
}

interface SyllablePair {
  joined: string;
  syllables: [string, string];
}

// A syllable of pinyin typed with spaces ("tui huo zheng ce"): a word of its own names nothing.
const SYLLABLE = /^[a-z]{1,6}$/;

/** Neighbouring words of a message typed in spaced pinyin, joined ("tuihuo"): each may be one word. */
export function syllablePairs(text: string): SyllablePair[] {
  if (/\p{Script=Han}/u.test(text)) return [];
  const words = text.split(/[^a-z]+/).filter(Boolean);
  if (words.length < 2 || !words.every((w) => SYLLABLE.test(w))) return [];
  return words.slice(1).map((w, i) => ({ joined: words[i]! + w, syllables: [words[i]!, w] }));
}

interface SectionFrequencies {
  /** Distinct headings (sections) of the shop's knowledge base. */
  sections: number;
  /** How many of those headings contain each term. */
  df: Map<string, number>;
}

/**
 * How many sections' headings contain each term. A word of a document's title is in every chunk of
 * it (正品 in all of 《产品溯源与正品保障》), so its idf over chunks is low; over headings it still
 * marks the one section that answers (正品承诺).
 */
async function sectionFrequencies(db: Queryable, shopId: string, embedderId: string, terms: string[]): Promise<SectionFrequencies> {
  const { rows } = await db.query<{ term: string | null; df: number }>(
    `WITH s AS (SELECT DISTINCT doc_key, heading FROM knowledge_chunks WHERE shop_id = $1 AND embedder = $3 AND heading <> '')
     SELECT NULL AS term, count(*)::int AS df FROM s
     UNION ALL
     SELECT t AS term, (SELECT count(*) FROM s WHERE position(t IN s.heading) > 0)::int AS df FROM unnest($2::text[]) AS t`,
    [shopId, terms, embedderId],
  );
  const sections = rows.find((r) => r.term === null)?.df ?? 0;
  return { sections, df: new Map(rows.filter((r) => r.term !== null).map((r) => [r.term!, r.df])) };
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

interface HeadingMatch {
  /** The question's terms that the heading contains. */
  terms: string[];
  /** The share of the heading's own words that the question names, in [0, 1]. */
  covered: number;
}

/**
 * How the question meets the chunk's heading (its last level: the question the section answers).
 * One character says too little of what a section is about: 到 in 退款多久到账 is not arrival.
 */
function headingMatch(heading: string, terms: readonly string[]): HeadingMatch {
  const last = heading.split(/\s*[>›/]\s*/).at(-1) ?? '';
  if (!last) return { terms: [], covered: 0 };
  const words = termSet(last).filter((w) => Array.from(w).length > 1 && !ASKING_WORDS.has(w));
  // An asking word names no section either: 什么时候 in 奖励什么时候到账 is not what 预售啥时候发 asks.
  const found = terms.filter((t) => Array.from(t).length > 1 && !ASKING_WORDS.has(t) && (words.includes(t) || last.includes(t)));
  const named = words.filter((w) => found.some((t) => w.includes(t) || t.includes(w)));
  return { terms: found, covered: words.length ? named.length / words.length : 0 };
}

/** Words of the question that are not part of another of its words (jieba's 第一次 → 第一, 一次, 第一次). */
function distinctWords(terms: readonly string[]): string[] {
  return terms.filter((t) => !terms.some((o) => o !== t && o.includes(t)));
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
  // Documents are in simplified Chinese: 順豐 is 顺丰, 包郵 包邮; and they write hours out (48h → 48小时).
  const text = normalize(query).replace(/(\d+)\s*h(?![a-z])/g, '$1小时');
  if (!text) return [];
  const chunkCount = await indexedChunks(db, shopId, embedder);
  if (chunkCount === 0) return [];

  const [vector] = await embedder.embed([text]);
  if (!vector || vector.every((x) => x === 0)) return [];
  const { terms, df } = await questionTerms(db, shopId, embedder.id, termSet(text), syllablePairs(text));
  const weights = new Map(terms.map((t) => {
    const known = (df.get(t) ?? 0) > 0;
    const single = Array.from(t).length === 1 && /\p{Script=Han}/u.test(t);
    return [t, idf(df.get(t) ?? 0, chunkCount) * (known ? 1 : UNKNOWN_WORD_FACTOR) * (single ? ONE_CHARACTER_FACTOR : 1)] as const;
  }));
  // A synonym the documents use counts as the query's word it stands for.
  const synonyms = synonymsOf(terms, df);
  const asAsked = (matched: readonly string[]) => matched.map((t) => synonyms.get(t) ?? t);
  // A word the documents write otherwise (赔 as 赔偿) is known through its synonym.
  const standsFor = new Set(synonyms.values());
  // The heading side weighs each known word by how few headings hold it (or a synonym of it that the
  // headings use): the section-level index. Words no chunk has are left out: they name no section.
  const known = terms.filter((t) => Array.from(t).length > 1 && ((df.get(t) ?? 0) > 0 || [...synonyms.values()].includes(t)));
  const sections = await sectionFrequencies(db, shopId, embedder.id, [...new Set([...known, ...synonyms.keys()])]);
  const inHeadings = (t: string) =>
    Math.min(...[t, ...[...synonyms].filter(([, asked]) => asked === t).map(([alt]) => alt)].map((w) => sections.df.get(w) || Infinity));
  // What the question names, beside how it asks: all of it in one chunk is an answer (预售 in
  // "预售的东西啥时候发"), however few words that is.
  const content = terms.filter((t) => Array.from(t).length > 1 && !ASKING_WORDS.has(t));
  const headingWeights = new Map(known.map((t) => [t, idf(Math.min(inHeadings(t), sections.sections), sections.sections)]));

  const rows = await db.transaction(async (tx) => {
    // With many shops in one table, an HNSW scan filtered to one shop can run out of candidates;
    // iterative scanning (pgvector ≥ 0.8) keeps going until the LIMIT is met.
    await tx.query("SET LOCAL hnsw.iterative_scan = 'relaxed_order'");
    return candidates(tx, shopId, vector, [...terms, ...synonyms.keys()], embedder.id, embedder.dim);
  });

  return rows
    .map((r) => {
      const matched = new Set(asAsked(r.matched ?? []));
      // A heading counts by how much of the question it names, and more when the question names
      // most of it: 运费 answers "几块钱包邮" more surely than 谁来承担退货运费.
      const h = headingMatch(r.heading, [...known, ...synonyms.keys()]);
      const heading = lexicalScore(asAsked(h.terms), headingWeights) * (0.5 + 0.5 * h.covered);
      // A chunk answers only when the question's subject is what it is about — its heading or its
      // document's title names it — or it shares more than one of the question's words, or all it
      // names: one word of several in passing (天气 of 今天天气怎么样, in a note on delays) is not an answer.
      const titled = termSet(r.title).some((t) => matched.has(synonyms.get(t) ?? t));
      const anchored =
        heading > 0 || titled || distinctWords([...matched].filter((t) => (df.get(t) ?? 0) > 0 || standsFor.has(t))).length >= 2 ||
        (content.length > 0 && content.every((t) => matched.has(t)));
      return {
        docKey: r.doc_key,
        title: r.title,
        heading: r.heading,
        content: r.content,
        anchored,
        score: fusedScore(Number(r.similarity), lexicalScore([...matched], weights), heading, r.heading === ''),
      };
    })
    .filter((h) => h.anchored && h.score >= MIN_SCORE)
    .map(({ anchored: _, ...h }) => h)
    .sort((a, b) => b.score - a.score || a.docKey.localeCompare(b.docKey))
    .slice(0, take);
}
