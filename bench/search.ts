// npm run bench:search [-- --n 20000] [--queries 200] [--drivers pglite,pg] [--m 16] [--ef-construction 64]
//                      [--noise 0.2] [--topics-per-text 3] [--skip-embedder]
// Vector search at catalog scale on both drivers: HNSW (default m=16, ef_construction=64) latency at
// ef_search 40 and 100, exact-scan latency, their ratio, and recall@10 of HNSW against the exact
// answer. The table and index have product_embeddings' shape (an untyped vector column with a
// partial HNSW index over a typed cast), and the queries are the ones search.ts sends, so the
// numbers describe what ships. Postgres: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the
// local test server; the benchmark works in a schema of its own and drops it at the end.
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toVector } from '../src/db/db.ts';
import { createLocalEmbedder } from '../src/embed/local.ts';
import { ms, percentile, recallAtK, seconds, table } from './lib/searchStats.ts';
import { openPgliteTarget, openPgTarget, type BenchTarget } from './lib/searchTargets.ts';
import { DEFAULT_CORPUS, vectorSource } from './lib/searchVectors.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
    drivers: { type: 'string', default: 'pglite,pg' },
    m: { type: 'string', default: '16' },
    'ef-construction': { type: 'string', default: '64' },
    noise: { type: 'string', default: String(DEFAULT_CORPUS.noise) },
    'topics-per-text': { type: 'string', default: String(DEFAULT_CORPUS.topicsPerText) },
    'skip-embedder': { type: 'boolean', default: false },
  },
});
const CORPUS = { ...DEFAULT_CORPUS, noise: Number(values.noise), topicsPerText: Number(values['topics-per-text']) };
const N = Number(values.n);
const QUERIES = Number(values.queries);
const DIM = CORPUS.dim;
const K = 10;
const LOAD_BATCH = 2_000;
const WARMUP = 10;
const PG_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/laotie_test';

const M = Number(values.m);
const EF_CONSTRUCTION = Number(values['ef-construction']);
const HNSW_SQL =
  `CREATE INDEX bench_embeddings_hnsw_${DIM} ON bench_embeddings USING hnsw ((embedding::vector(${DIM})) vector_cosine_ops) ` +
  `WITH (m = ${M}, ef_construction = ${EF_CONSTRUCTION}) WHERE dim = ${DIM}`;
// As search.ts: the typed cast and the literal dim let the planner use the partial index …
const ANN_QUERY = `SELECT id FROM bench_embeddings WHERE dim = ${DIM} ORDER BY embedding::vector(${DIM}) <=> $1::vector(${DIM}) LIMIT ${K}`;
// … and ordering by the uncast column cannot use it: an exact scan.
const EXACT_QUERY = `SELECT id, embedding <=> $1::vector AS distance FROM bench_embeddings WHERE dim = ${DIM} ORDER BY 2 LIMIT ${K}`;

const log = (line: string) => console.log(`  ${line}`);
// The machine is shared: the load average says how much of it the numbers had.
const loadAverage = () => loadavg().map((x) => x.toFixed(1)).join(' ');

interface ModeResult {
  label: string;
  latencies: number[];
  ids: number[][];
  /** Cosine distances of the hits, when the query returns them. */
  distances: number[][];
}

async function runQueries(t: BenchTarget, label: string, sql: string, queries: string[]): Promise<ModeResult> {
  for (const q of queries.slice(0, WARMUP)) await t.query(sql, [q]);
  const latencies: number[] = [];
  const ids: number[][] = [];
  const distances: number[][] = [];
  for (const q of queries) {
    const started = performance.now();
    const rows = await t.query<{ id: string | number; distance?: number }>(sql, [q]);
    latencies.push(performance.now() - started);
    ids.push(rows.map((r) => Number(r.id)));
    distances.push(rows.map((r) => Number(r.distance)));
  }
  return { label, latencies, ids, distances };
}

/** Fails loudly if the planner does not do what a mode claims to measure. */
async function checkPlan(t: BenchTarget, sql: string, query: string, wantIndex: boolean): Promise<void> {
  const plan = (await t.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [query])).map((r) => r['QUERY PLAN']).join('\n');
  const usesIndex = plan.includes(`bench_embeddings_hnsw_${DIM}`);
  if (usesIndex !== wantIndex) throw new Error(`unexpected plan on ${t.name}:\n${plan}`);
}

async function benchDriver(open: () => Promise<BenchTarget>, corpus: Float32Array[], queries: string[]) {
  const t = await open();
  try {
    console.log(`\n[${t.name}] loading ${N} vectors …`);
    let started = performance.now();
    for (let i = 0; i < corpus.length; i += LOAD_BATCH) {
      await t.load(i + 1, corpus.slice(i, i + LOAD_BATCH));
      if ((i / LOAD_BATCH) % 10 === 9) log(`${i + LOAD_BATCH} rows (${seconds(started)} s)`);
    }
    await t.query('ANALYZE bench_embeddings');
    const loadS = seconds(started);
    log(`loaded in ${loadS} s; building HNSW (m=${M}, ef_construction=${EF_CONSTRUCTION}) …`);
    // A build whose graph does not fit maintenance_work_mem is many times slower.
    await t.query("SET maintenance_work_mem = '1GB'");
    started = performance.now();
    await t.runLong(HNSW_SQL, log);
    const buildS = seconds(started);
    log(`built in ${buildS} s; running ${queries.length} queries per mode …`);

    await checkPlan(t, ANN_QUERY, queries[0]!, true);
    await checkPlan(t, EXACT_QUERY, queries[0]!, false);
    await t.query('SET hnsw.ef_search = 40');
    const ef40 = await runQueries(t, 'HNSW ef_search=40', ANN_QUERY, queries);
    await t.query('SET hnsw.ef_search = 100');
    const ef100 = await runQueries(t, 'HNSW ef_search=100', ANN_QUERY, queries);
    const exact = await runQueries(t, 'exact scan', EXACT_QUERY, queries);

    const exactP50 = percentile(exact.latencies, 50);
    const rows = [ef40, ef100, exact].map((m) => [
      m.label,
      ms(percentile(m.latencies, 50)),
      ms(percentile(m.latencies, 95)),
      `${(exactP50 / percentile(m.latencies, 50)).toFixed(1)}×`,
      recallAtK(m.ids, exact.ids, K).toFixed(3),
    ]);
    const similarity = (rank: number) => (1 - percentile(exact.distances.map((d) => d[rank - 1]!), 50)).toFixed(2);
    console.log(`\n${t.name}: ${N} × ${DIM}-d, load ${loadS} s, HNSW (m=${M}, ef_construction=${EF_CONSTRUCTION}) build ${buildS} s, ${queries.length} queries, load average ${loadAverage()}`);
    console.log(`(median cosine similarity of a query to its nearest neighbour ${similarity(1)}, to its 10th ${similarity(K)})`);
    console.log(table(['mode', 'p50 ms', 'p95 ms', 'exact p50 / p50', `recall@${K}`], rows));
  } finally {
    await t.close();
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
      `common direction ${common}, noise ${noise}, seed ${seed} …`,
  );
  const draw = vectorSource(CORPUS);
  const corpus = draw(N);
  const queries = draw(QUERIES).map(toVector);
  if (!values['skip-embedder']) await benchEmbedder();
  // A temporary directory rather than memory: PGlite's in-memory files grow by copying, which made
  // loading 100k vectors superlinear (150 s in memory; ≈ 10 s on disk).
  if (drivers.includes('pglite')) {
    await benchDriver(() => openPgliteTarget(mkdtempSync(join(tmpdir(), 'laotie-bench-'))), corpus, queries);
  }
  if (drivers.includes('pg')) {
    try {
      await benchDriver(() => openPgTarget(PG_URL), corpus, queries);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ECONNREFUSED') throw e;
      console.log(`\n[pg] skipped: no server at ${PG_URL.replace(/:[^:@/]+@/, ':***@')}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
