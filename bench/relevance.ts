// npm run bench:relevance [-- --drivers pglite,pg] [--no-peer] [--quick]
// Does the search find what the shopper asked for? The demo shop of npm run seed (its catalog of
// ~320 products, indexed with the default local embedder) and the graded query set
// bench/data/relevance.jsonl (300 shoppers' questions, grades written from the catalog's attributes
// by bench/data/buildRelevance.ts; dev = the third ranking changes are tuned on, test = the rest).
// For each query, the top 10 of:
//   hybrid, as the card searches: the message's slots become the searchProducts tool's filters the
//     way the offline model plans a new search (bench/lib/agentSearch.ts), with its one relaxed
//     retry when nothing matched; then searchProducts (vectors + words + filters, fused);
//   hybrid, text only: searchProducts given the message alone (what a model passing only `query` gets);
//   vector-only: the exact 10 nearest of the same vectors (cosine), no words, no filters;
//   LangChain PGVectorStore (PostgreSQL only): the same vectors in its own table with its HNSW index,
//     similaritySearchWithScore through the same embedder (bench/lib/langchainPeer.ts).
// Scored by nDCG@10 (gains 2^grade − 1), recall@10 (grade ≥ 1) and MRR (first grade ≥ 2), per split.
// Sold-out and delisted products are left out of the judgments: no searcher may show them.
// --quick: PostgreSQL only (the peer needs it); the figures are the same, only one driver's.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Db } from '../src/db/db.ts';
import { toVector } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPg } from '../src/db/pg.ts';
import { openPglite } from '../src/db/pglite.ts';
import { DEMO_SHOP_ID, seedDemoShop } from '../src/demo/index.ts';
import { indexProducts } from '../src/domain/catalog/indexer.ts';
import { searchProducts } from '../src/domain/catalog/search.ts';
import type { ProductQuery } from '../src/domain/catalog/types.ts';
import { catalogVocabulary } from '../src/domain/catalog/vocabulary.ts';
import type { Embedder } from '../src/embed/embedder.ts';
import { createLocalEmbedder } from '../src/embed/local.ts';
import type { LabelledQuery } from './data/buildRelevance.ts';
import { agentQuery } from './lib/agentSearch.ts';
import { loadPeer, openPeer, type Peer } from './lib/langchainPeer.ts';
import { BENCH_PG_URL } from './lib/pgUrl.ts';
import { mean, ndcgAt, recallAt, reciprocalRank, type Judgments } from './lib/relevanceMetrics.ts';
import { emitResult, type BenchFigure } from './lib/result.ts';
import { table } from './lib/searchStats.ts';

const { values } = parseArgs({
  options: {
    drivers: { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  },
});
const DRIVERS = (values.drivers ?? (values.quick ? 'pg' : 'pglite,pg')).split(',').map((d) => d.trim()) as Array<'pglite' | 'pg'>;
const K = 10;
/** The demo data's "now" of the tests (tests/helpers/demo.ts): the catalog does not depend on it. */
const NOW = new Date('2026-09-17T02:00:00Z');
const TODAY = '2026-09-17';
/** Hybrid must beat vector-only by this much (and LangChain at all) on the test split. */
const MARGIN = 0.05;
// The card's fruitless-search retry (src/agent/offline/flowShopping.ts): one filter given up.
const RELAX_ORDER = ['color', 'effect', 'skinType', 'price'] as const;

const SET: LabelledQuery[] = readFileSync(new URL('data/relevance.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as LabelledQuery);
const SPLITS = ['dev', 'test'] as const;
const log = (line: string) => console.log(`  ${line}`);
const loadAverage = () => loadavg().map((x) => x.toFixed(1)).join(' ');

interface Opened {
  db: Db;
  schema?: string;
  close(): Promise<void>;
}

async function openDriver(driver: 'pglite' | 'pg'): Promise<Opened> {
  if (driver === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'laotie-relevance-'));
    const db = await openPglite({ dataDir });
    return {
      db,
      async close() {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = await openPg(BENCH_PG_URL, { schema, poolSize: 4 });
  return {
    db,
    schema,
    async close() {
      await db.close();
      const admin = new pg.Client({ connectionString: BENCH_PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

function without(q: ProductQuery, key: (typeof RELAX_ORDER)[number]): ProductQuery | null {
  if (key === 'price') {
    if (q.minPriceFen === undefined && q.maxPriceFen === undefined) return null;
    const { minPriceFen: _min, maxPriceFen: _max, ...rest } = q;
    return rest;
  }
  if (q[key] === undefined) return null;
  const { [key]: _dropped, ...rest } = q;
  return rest;
}

interface Mode {
  label: string;
  key: string;
  /** Product names, best first. */
  run(q: LabelledQuery): Promise<string[]>;
}

interface Scores {
  ndcg: number;
  recall: number;
  mrr: number;
}

function score(answers: Map<string, string[]>, judgments: Map<string, Judgments>, queries: LabelledQuery[]): Scores {
  const per = queries.map((q) => {
    const ranked = answers.get(q.id)!;
    const judged = judgments.get(q.id)!;
    return { ndcg: ndcgAt(ranked, judged, K), recall: recallAt(ranked, judged, K), mrr: reciprocalRank(ranked, judged) };
  });
  return { ndcg: mean(per.map((p) => p.ndcg)), recall: mean(per.map((p) => p.recall)), mrr: mean(per.map((p) => p.mrr)) };
}

async function benchDriver(driver: 'pglite' | 'pg', embedder: Embedder): Promise<void> {
  const opened = await openDriver(driver);
  const peers: Peer[] = [];
  try {
    const { db } = opened;
    console.log(`\n[${driver}] seeding the demo shop and indexing its catalog (${embedder.id}) …`);
    const started = performance.now();
    await migrate(db);
    await seedDemoShop(db, { now: NOW });
    await indexProducts(db, embedder, { shopId: DEMO_SHOP_ID });
    log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const { rows: catalog } = await db.query<{ id: number; name: string; searchable: boolean }>(
      `SELECT id, name, status = 'on_sale' AND stock > 0 AS searchable FROM products WHERE shop_id = $1`,
      [DEMO_SHOP_ID],
    );
    const known = new Set(catalog.map((p) => p.name));
    const searchable = new Set(catalog.filter((p) => p.searchable).map((p) => p.name));
    const stale = SET.flatMap((q) => q.relevant.filter((r) => !known.has(r.name)).map((r) => r.name));
    if (stale.length) throw new Error(`the relevance set names products the catalog lacks (rebuild it): ${stale.slice(0, 3).join(', ')}`);
    const judgments = new Map(SET.map((q) => [q.id, new Map(q.relevant.filter((r) => searchable.has(r.name)).map((r) => [r.name, r.grade]))]));
    log(`${SET.length} queries, ${catalog.length} products (${searchable.size} on sale and in stock)`);

    const vocab = await catalogVocabulary(db, DEMO_SHOP_ID);
    const names = (hits: { name: string }[]) => hits.map((h) => h.name);
    const modes: Mode[] = [
      {
        label: 'hybrid searchProducts, planned as the card plans it',
        key: 'hybrid',
        async run(q) {
          const query = agentQuery(q.text, vocab, TODAY, K);
          const hits = await searchProducts(db, embedder, DEMO_SHOP_ID, query);
          if (hits.length) return names(hits);
          for (const key of RELAX_ORDER) {
            const relaxed = without(query, key);
            if (relaxed) return names(await searchProducts(db, embedder, DEMO_SHOP_ID, relaxed));
          }
          return [];
        },
      },
      {
        label: 'hybrid searchProducts, text only',
        key: 'hybrid text',
        run: async (q) => names(await searchProducts(db, embedder, DEMO_SHOP_ID, { text: q.text, limit: K })),
      },
      {
        label: 'vector-only, exact cosine',
        key: 'vector',
        async run(q) {
          const [v] = await embedder.embed([q.text]);
          const { rows } = await db.query<{ name: string }>(
            `SELECT p.name FROM product_embeddings pe JOIN products p ON p.id = pe.product_id
              WHERE pe.shop_id = $1 AND pe.embedder = $2 AND pe.dim = $3 AND p.status = 'on_sale' AND p.stock > 0
              ORDER BY pe.embedding <=> $4::vector, p.id LIMIT ${K}`,
            [DEMO_SHOP_ID, embedder.id, embedder.dim, toVector(v!)],
          );
          return names(rows);
        },
      },
    ];

    if (driver === 'pg' && !values['no-peer']) {
      // The same vectors, of the products any searcher may show, in LangChain's own table and index.
      const { rows } = await db.query<{ id: number; name: string; embedding: string }>(
        `SELECT p.id, p.name, pe.embedding::text AS embedding FROM product_embeddings pe JOIN products p ON p.id = pe.product_id
          WHERE pe.shop_id = $1 AND pe.embedder = $2 AND pe.dim = $3 AND p.status = 'on_sale' AND p.stock > 0 ORDER BY p.id`,
        [DEMO_SHOP_ID, embedder.id, embedder.dim],
      );
      const peer = await openPeer({ url: BENCH_PG_URL, schema: opened.schema!, embedder });
      peers.push(peer);
      await loadPeer(
        peer.store,
        rows.map((r) => Float32Array.from(JSON.parse(r.embedding) as number[])),
        rows.map((r) => r.id),
        (i) => rows[i]!.name,
      );
      await peer.store.createHnswIndex({ dimensions: embedder.dim });
      modes.push({
        label: 'LangChain PGVectorStore (HNSW, ef_search 40)',
        key: 'langchain',
        run: async (q) => (await peer.store.similaritySearchWithScore(q.text, K)).map(([d]) => d.pageContent),
      });
    }

    const answers = new Map<string, Map<string, string[]>>();
    for (const m of modes) {
      const got = new Map<string, string[]>();
      for (const q of SET) got.set(q.id, await m.run(q));
      answers.set(m.key, got);
    }
    const bySplit = (split: (typeof SPLITS)[number]) => SET.filter((q) => q.split === split);
    const scores = new Map(modes.map((m) => [m.key, Object.fromEntries(SPLITS.map((s) => [s, score(answers.get(m.key)!, judgments, bySplit(s))]))]));
    const f = (x: number) => x.toFixed(3);
    console.log(
      '\n' +
        table(
          ['searcher', 'nDCG@10 dev', 'nDCG@10 test', 'recall@10 dev', 'recall@10 test', 'MRR dev', 'MRR test'],
          modes.map((m) => {
            const s = scores.get(m.key)!;
            return [m.label, f(s.dev!.ndcg), f(s.test!.ndcg), f(s.dev!.recall), f(s.test!.recall), f(s.dev!.mrr), f(s.test!.mrr)];
          }),
        ),
    );
    // Per kind of question on dev only: what a ranking change may look at.
    const kinds = [...new Set(SET.map((q) => q.kind))];
    console.log(
      '\n  dev split by kind of question (nDCG@10):\n' +
        table(
          ['kind', 'queries', ...modes.map((m) => m.key)],
          kinds.map((kind) => {
            const qs = bySplit('dev').filter((q) => q.kind === kind);
            return [kind, qs.length, ...modes.map((m) => f(score(answers.get(m.key)!, judgments, qs).ndcg))];
          }),
        ),
    );

    const test = (key: string) => scores.get(key)?.test?.ndcg;
    const dev = (key: string) => scores.get(key)?.dev?.ndcg;
    const hybrid = test('hybrid')!;
    const vector = test('vector')!;
    const peer = test('langchain');
    // Three decimals as text: the table rounds numbers to two, and the margins are hundredths.
    const r3 = (x: number) => x.toFixed(3);
    const figures: BenchFigure[] = [
      { name: 'nDCG@10 hybrid (test)', value: r3(hybrid), target: `≥ vector-only + ${MARGIN} (${f(vector + MARGIN)})`, met: hybrid >= vector + MARGIN },
      ...(peer !== undefined ? [{ name: 'nDCG@10 hybrid − LangChain PGVectorStore (test)', value: r3(hybrid - peer), target: '> 0', met: hybrid > peer }] : []),
      { name: 'nDCG@10 vector-only (test)', value: r3(vector) },
      ...(peer !== undefined ? [{ name: 'nDCG@10 LangChain PGVectorStore (test)', value: r3(peer) }] : []),
      { name: 'nDCG@10 hybrid text only (test)', value: r3(test('hybrid text')!) },
      { name: 'nDCG@10 hybrid / vector-only / LangChain (dev)', value: [dev('hybrid'), dev('vector'), dev('langchain')].filter((x) => x !== undefined).map((x) => f(x!)).join(' / ') },
    ];
    emitResult({ bench: 'relevance', driver, figures, note: `${SET.length} queries; load ${loadAverage()}` });
  } finally {
    for (const p of peers) await p.close();
    await opened.close();
  }
}

console.log(`relevance of product search: ${SET.length} graded queries, load average ${loadAverage()}`);
const embedder = createLocalEmbedder();
for (const driver of DRIVERS) await benchDriver(driver, embedder);
