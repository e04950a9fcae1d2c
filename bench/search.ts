// npm run bench:search [-- --n 20000] [--queries 200] [--drivers pglite,pg] [--no-peer]
//                      [--noise 0.2] [--topics-per-text 3] [--skip-embedder] [--ef-search 60]
// Product retrieval at catalog scale, as it ships: N generated products in the migrated schema
// (the migration's HNSW index and the drivers' session settings, hnsw.ef_search included), searched
// through searchProducts itself. For each driver: searchProducts p50/p95, the exact scan, their
// ratio, and recall@10 of searchProducts against the exact 10 nearest. On the server, side by side
// in the same run and interleaved query by query (the machine is shared and noisy): LangChain's
// PGVectorStore over the same vectors, at PostgreSQL's default ef_search and at ours.
// Postgres: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local test server; the benchmark
// works in a schema of its own and drops it at the end. Each driver's figures are also printed as a
// BENCH_RESULT line for npm run bench (bench/lib/result.ts).
//
// The vectors are generated (bench/lib/searchVectors.ts: topic mixtures, like text embeddings)
// and reach both searchers through one Embedder that looks the texts up: the product names and
// the query texts ('q17') have no words in common, so searchProducts' lexical signal finds nothing
// and its ranking is the vectors' alone: exactly what recall@10 against the exact scan measures.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Db, Queryable } from '../src/db/db.ts';
import { toVector } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPg } from '../src/db/pg.ts';
import { openPglite } from '../src/db/pglite.ts';
import { VECTOR_ONLY_FLOOR } from '../src/domain/catalog/fusion.ts';
import { searchProducts } from '../src/domain/catalog/search.ts';
import type { Embedder } from '../src/embed/embedder.ts';
import { createLocalEmbedder } from '../src/embed/local.ts';
import { loadPeer, openPeer, type Peer } from './lib/langchainPeer.ts';
import { BENCH_PG_URL, shownUrl } from './lib/pgUrl.ts';
import { emitResult, type BenchFigure } from './lib/result.ts';
import { loadCatalog } from './lib/searchCatalog.ts';
import { ms, percentile, recallAtK, recallOf, seconds, table } from './lib/searchStats.ts';
import { DEFAULT_CORPUS, vectorSource } from './lib/searchVectors.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
    drivers: { type: 'string', default: 'pglite,pg' },
    'no-peer': { type: 'boolean', default: false },
    noise: { type: 'string', default: String(DEFAULT_CORPUS.noise) },
    'topics-per-text': { type: 'string', default: String(DEFAULT_CORPUS.topicsPerText) },
    'skip-embedder': { type: 'boolean', default: false },
    // Another search depth than the drivers' (to choose it): both drivers, and the tuned peer.
    'ef-search': { type: 'string' },
  },
});
const CORPUS = { ...DEFAULT_CORPUS, noise: Number(values.noise), topicsPerText: Number(values['topics-per-text']) };
const N = Number(values.n);
const QUERIES = Number(values.queries);
const EF_SEARCH = values['ef-search'] ? Number(values['ef-search']) : undefined;
if (EF_SEARCH !== undefined && !(Number.isInteger(EF_SEARCH) && EF_SEARCH >= 1 && EF_SEARCH <= 1000)) {
  throw new Error('--ef-search must be an integer from 1 to 1000');
}
const K = 10;
/** The recall@10 searchProducts must reach (the search quality bar), and the peer's tuned mode is held to. */
const RECALL_BAR = 0.95;
const WARMUP = 10;
const SHOP = 'bench';
const PG_URL = BENCH_PG_URL;

const log = (line: string) => console.log(`  ${line}`);
// The machine is shared: the load average says how much of it the numbers had.
const loadAverage = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const productName = (i: number) => `测试商品 ${i + 1}`;
const queryText = (i: number) => `q${i}`;

/** The generated vectors as an Embedder: each text maps to its vector (names and query texts). */
function lookupEmbedder(corpus: Float32Array[], queries: Float32Array[]): Embedder {
  const table = new Map<string, Float32Array>();
  corpus.forEach((v, i) => table.set(productName(i), v));
  queries.forEach((v, i) => table.set(queryText(i), v));
  return {
    id: `bench-generated-${CORPUS.dim}`,
    dim: CORPUS.dim,
    async embed(texts) {
      return texts.map((t) => {
        const v = table.get(t);
        if (!v) throw new Error(`no generated vector for ${JSON.stringify(t)}`);
        return Array.from(v);
      });
    },
  };
}

/** A Queryable that remembers the statements sent through it, to EXPLAIN what searchProducts runs. */
function recording(db: Queryable) {
  const sent: { sql: string; params: readonly unknown[] }[] = [];
  const q: Queryable = {
    query: (sql, params = []) => {
      sent.push({ sql, params });
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
  };
  return { q, sent };
}

async function explain(db: Queryable, sql: string, params: readonly unknown[]): Promise<string> {
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

interface Mode {
  label: string;
  /** The ids of the top K for query i. */
  run(i: number): Promise<number[]>;
  latencies: number[];
  ids: number[][];
}

const mode = (label: string, run: (i: number) => Promise<number[]>): Mode => ({ label, run, latencies: [], ids: [] });

/**
 * Every query through every mode in turn, so that a noisy moment hits all modes alike. The order
 * rotates from query to query: a mode that always ran right after another on the same index (or
 * right after the exact scan, which sweeps the CPU caches) would be favoured (or penalised).
 */
async function interleaved(modes: Mode[]): Promise<void> {
  for (let i = 0; i < Math.min(WARMUP, QUERIES); i++) for (const m of modes) await m.run(i);
  for (let i = 0; i < QUERIES; i++) {
    for (let j = 0; j < modes.length; j++) {
      const m = modes[(i + j) % modes.length]!;
      const started = performance.now();
      const ids = await m.run(i);
      m.latencies[i] = performance.now() - started;
      m.ids[i] = ids;
    }
  }
}

async function settings(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ ef: string; scan: string }>(
    "SELECT current_setting('hnsw.ef_search') AS ef, current_setting('hnsw.iterative_scan') AS scan",
  );
  return `hnsw.ef_search=${rows[0]!.ef}, hnsw.iterative_scan=${rows[0]!.scan}`;
}

interface Opened {
  db: Db;
  schema?: string;
  close(): Promise<void>;
}

async function openDriver(driver: 'pglite' | 'pg'): Promise<Opened> {
  if (driver === 'pglite') {
    // A temporary directory rather than memory: PGlite's in-memory files grow by copying, which
    // made loading 100k vectors superlinear (150 s in memory; ≈ 10 s on disk).
    const dataDir = mkdtempSync(join(tmpdir(), 'laotie-bench-'));
    const db = await openPglite({ dataDir });
    if (EF_SEARCH) await db.exec(`SET hnsw.ef_search = ${EF_SEARCH}`);
    return {
      db,
      async close() {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = await openPg(PG_URL, { schema, poolSize: 4, settings: EF_SEARCH ? { 'hnsw.ef_search': String(EF_SEARCH) } : {} });
  return {
    db,
    schema,
    async close() {
      await db.close();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function benchDriver(driver: 'pglite' | 'pg', corpus: Float32Array[], queries: Float32Array[]) {
  const embedder = lookupEmbedder(corpus, queries);
  const opened = await openDriver(driver);
  const peers: Peer[] = [];
  try {
    const { db } = opened;
    console.log(`\n[${driver}] loading ${N} products …`);
    await migrate(db);
    const catalog = await loadCatalog(db, { shopId: SHOP, embedderId: embedder.id, vectors: corpus, name: productName }, log);
    log(`built in ${catalog.buildSeconds.toFixed(1)} s: ${catalog.indexDef.replace(/ ON .*USING/, ' … USING')}`);

    const vectorOf = (i: number) => toVector(queries[i]!);
    // The uncast column cannot use the partial index over the cast: an exact scan.
    const EXACT = `SELECT product_id AS id, embedding <=> $2::vector AS distance FROM product_embeddings WHERE shop_id = $1 AND dim = ${CORPUS.dim}
      ORDER BY embedding <=> $2::vector LIMIT ${K}`;
    if ((await explain(db, EXACT, [SHOP, vectorOf(0)])).includes('hnsw')) throw new Error('the exact scan used the index');
    // What searchProducts sends: at catalog scale its vector statement is an HNSW index scan; on a
    // small catalog the planner may rightly prefer the exact scan (then recall is 1 by construction).
    const rec = recording(db);
    await searchProducts(rec.q, embedder, SHOP, { text: queryText(0), limit: K });
    const ann = rec.sent.find((s) => s.sql.includes('<=>') && s.sql.includes('LIMIT'));
    if (!ann) throw new Error('searchProducts sent no nearest-neighbour statement');
    const usesHnsw = (await explain(db, ann.sql, ann.params)).includes(`product_embeddings_hnsw_${CORPUS.dim}`);
    log(
      `searchProducts' vector statement ${usesHnsw ? `scans product_embeddings_hnsw_${CORPUS.dim}` : 'is planned as an EXACT scan'}; ` +
        `session: ${await settings(db)}`,
    );

    const exactDistances: number[][] = [];
    const modes = [
      mode(`searchProducts (hybrid, ${usesHnsw ? 'HNSW' : 'exact'})`, async (i) =>
        (await searchProducts(db, embedder, SHOP, { text: queryText(i), limit: K })).map((h) => h.id),
      ),
      mode('exact scan', async (i) => {
        const { rows } = await db.query<{ id: number; distance: number }>(EXACT, [SHOP, vectorOf(i)]);
        exactDistances[i] = rows.map((r) => Number(r.distance));
        return rows.map((r) => Number(r.id));
      }),
    ];

    if (driver === 'pg' && !values['no-peer']) {
      log('LangChain PGVectorStore: addVectors of the same vectors …');
      const started = performance.now();
      const peer = await openPeer({ url: PG_URL, schema: opened.schema!, embedder });
      peers.push(peer);
      await loadPeer(peer.store, corpus, catalog.ids, productName);
      const m = /m='?(\d+)'?/.exec(catalog.indexDef)?.[1];
      const efc = /ef_construction='?(\d+)'?/.exec(catalog.indexDef)?.[1];
      // Its own index method, given the same graph parameters as ours.
      await peer.store.createHnswIndex({ dimensions: CORPUS.dim, m: Number(m ?? 16), efConstruction: Number(efc ?? 64) });
      log(`loaded and indexed (m=${m ?? 16}, ef_construction=${efc ?? 64}) in ${seconds(started)} s`);
      const ef = /hnsw\.ef_search=(\d+)/.exec(await settings(db))![1]!;
      const tuned = await openPeer({ url: PG_URL, schema: opened.schema!, embedder, efSearch: Number(ef) });
      peers.push(tuned);
      const run = (p: Peer) => async (i: number) =>
        (await p.store.similaritySearchWithScore(queryText(i), K)).map(([d]) => Number(d.metadata.productId));
      await run(peer)(0);
      const peerSql = peer.lastQuery()!;
      const peerPlan = await explain(db, peerSql.sql, peerSql.params);
      log(`LangChain's statement ${peerPlan.includes('embedding_hnsw_idx') ? 'scans its HNSW index' : `does NOT use its index:\n${peerPlan}`}`);
      modes.push(mode('LangChain PGVectorStore, ef_search 40 (default)', run(peer)));
      modes.push(mode(`LangChain PGVectorStore, ef_search ${ef} (ours)`, run(tuned)));
      // The peer at the quality ours must reach: the smallest depth at which its recall@10 is at
      // least RECALL_BAR on these queries (found untimed, against the exact scan, before the run).
      const exactIds: number[][] = [];
      for (let i = 0; i < QUERIES; i++) {
        exactIds.push((await db.query<{ id: number }>(EXACT, [SHOP, vectorOf(i)])).rows.map((r) => Number(r.id)));
      }
      let atBar: { ef: number; peer: Peer; recall: number } | undefined;
      for (const candidate of [40, 60, 80, 100, 120, 150, 200, 300, 400]) {
        const p = await openPeer({ url: PG_URL, schema: opened.schema!, embedder, efSearch: candidate });
        const ids: number[][] = [];
        for (let i = 0; i < QUERIES; i++) ids.push(await run(p)(i));
        const recall = recallAtK(ids, exactIds, K);
        if (recall >= RECALL_BAR) {
          atBar = { ef: candidate, peer: p, recall };
          peers.push(p);
          break;
        }
        await p.close();
      }
      if (atBar) {
        log(`LangChain reaches recall@10 ${atBar.recall.toFixed(3)} ≥ ${RECALL_BAR} at ef_search ${atBar.ef}`);
        modes.push(mode(`LangChain PGVectorStore, ef_search ${atBar.ef} (its first ≥ ${RECALL_BAR})`, run(atBar.peer)));
      } else log(`LangChain did not reach recall@10 ${RECALL_BAR} at ef_search ≤ 400`);
    }

    log(`running ${QUERIES} queries through ${modes.length} modes, interleaved …`);
    await interleaved(modes);
    const exact = modes[1]!;
    const exactP50 = percentile(exact.latencies, 50);
    // searchProducts owes the exact 10 nearest minus those its relevance floor drops (fusion.ts: a
    // product only the vectors found must be at least VECTOR_ONLY_FLOOR as similar as the best).
    const owed = exact.ids.map((ids, q) => {
      const d = exactDistances[q]!;
      return ids.filter((_, j) => 1 - d[j]! >= VECTOR_ONLY_FLOOR * (1 - d[0]!));
    });
    const owedShare = owed.flat().length / exact.ids.flat().length;
    const rows = modes.map((m, i) => [
      m.label,
      ms(percentile(m.latencies, 50)),
      ms(percentile(m.latencies, 95)),
      `${(exactP50 / percentile(m.latencies, 50)).toFixed(1)}×`,
      (i === 0 ? recallOf(m.ids, owed) : recallAtK(m.ids, exact.ids, K)).toFixed(3),
    ]);
    console.log(
      `\n${driver}: ${N} products × ${CORPUS.dim}-d, load ${catalog.loadSeconds.toFixed(1)} s, HNSW build ` +
        `${catalog.buildSeconds.toFixed(1)} s, ${QUERIES} queries, load average ${loadAverage()}`,
    );
    console.log(table(['mode', 'p50 ms', 'p95 ms', 'exact p50 / p50', `recall@${K}`], rows));
    console.log(
      `(searchProducts' recall is against the exact ${K} nearest that pass its relevance floor: ` +
        `${(100 * owedShare).toFixed(1)}% of them; the peers' against all ${K})`,
    );
    const p50 = (m: Mode) => Number(percentile(m.latencies, 50).toFixed(2));
    const p95 = (m: Mode) => Number(percentile(m.latencies, 95).toFixed(2));
    const ours = modes[0]!;
    const ourRecall = Number(recallOf(ours.ids, owed).toFixed(3));
    // The targets: recall@10 ≥ 0.95 on both drivers (close to exact search), p95 ≤ 20 ms on the real server.
    const figures: BenchFigure[] = [
      { name: 'searchProducts p50', value: p50(ours), unit: 'ms' },
      { name: 'searchProducts p95', value: p95(ours), unit: 'ms', ...(driver === 'pg' ? { target: '≤ 20', met: p95(ours) <= 20 } : {}) },
      { name: 'searchProducts recall@10', value: ourRecall, target: '≥ 0.95', met: ourRecall >= 0.95 },
      { name: 'exact scan p50', value: p50(exact), unit: 'ms' },
      { name: 'exact p50 / searchProducts p50', value: Number((p50(exact) / p50(ours)).toFixed(1)) },
    ];
    if (modes.length > 2) {
      const [byDefault, bySame, byBar] = [modes[2]!, modes[3]!, modes[4]];
      console.log(
        `searchProducts p95 ÷ LangChain p95: ${(p95(ours) / p95(byDefault)).toFixed(2)} (its default ef_search), ` +
          `${(p95(ours) / p95(bySame)).toFixed(2)} (ours); below 1 = ours faster`,
      );
      if (byBar) console.log(`searchProducts p95 ÷ LangChain p95 at recall ≥ ${RECALL_BAR}: ${(p95(ours) / p95(byBar)).toFixed(2)}`);
      // The comparison target: ours at ≥ 0.95 recall faster at p95 than the peer: as it ships (whose recall
      // falls short of the bar), at our depth, and at the bar's quality (the like-for-like one).
      const compared: Array<readonly [string, Mode]> = [['LangChain default', byDefault], ['LangChain at our ef_search', bySame]];
      if (byBar) compared.push([`LangChain at recall ≥ ${RECALL_BAR}`, byBar]);
      for (const [label, m] of compared) {
        const ratio = Number((p95(ours) / p95(m)).toFixed(2));
        figures.push(
          { name: `${label} p50`, value: p50(m), unit: 'ms' },
          { name: `${label} p95`, value: p95(m), unit: 'ms' },
          { name: `${label} recall@10`, value: Number(recallAtK(m.ids, exact.ids, K).toFixed(3)) },
          { name: `searchProducts p95 ÷ ${label} p95`, value: ratio, target: '< 1', met: ratio < 1 },
        );
      }
    }
    emitResult({ bench: 'search', driver, figures, note: `${N} products × ${CORPUS.dim}-d, ${QUERIES} queries` });
  } finally {
    for (const p of peers) await p.close();
    await opened.close();
  }
}

/** The local embedder on product-like texts: the catalog must index 100k products in under a minute. */
async function benchEmbedder() {
  const embedder = createLocalEmbedder();
  const texts = Array.from(
    { length: N },
    (_, i) => `品牌${i % 211} 水光滋润粉底液 ${i}号\n粉底液\n干皮 中性皮 保湿 遮瑕 30ml\n轻薄服帖，持妆一整天，秋冬干皮也不卡粉。`,
  );
  await embedder.embed(texts.slice(0, 100));
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < texts.length; i += 1_000) await embedder.embed(texts.slice(i, i + 1_000));
  const { user, system } = process.cpuUsage(cpu);
  console.log(
    `\nlocal embedder (${embedder.id}): ${N} product texts in ${seconds(started)} s ` +
      `(${((user + system) / 1e6).toFixed(1)} s of CPU; the rest is waiting for a shared CPU)`,
  );
}

async function main() {
  const drivers = values.drivers.split(',').map((d) => d.trim());
  const { topics, topicsPerText, noise, common, seed } = CORPUS;
  console.log(
    `generating ${N} embedding-like vectors + ${QUERIES} queries: mixtures of ${topicsPerText} of ${topics} topics, ` +
      `common direction ${common}, noise ${noise}, seed ${seed}; load average ${loadAverage()}`,
  );
  const draw = vectorSource(CORPUS);
  const corpus = draw(N);
  const queries = draw(QUERIES);
  if (!values['skip-embedder']) await benchEmbedder();
  if (drivers.includes('pglite')) await benchDriver('pglite', corpus, queries);
  if (drivers.includes('pg')) {
    try {
      await benchDriver('pg', corpus, queries);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ECONNREFUSED') throw e;
      console.log(`\n[pg] skipped: no server at ${shownUrl(PG_URL)}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
