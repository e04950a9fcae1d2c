// npm run bench [-- --quick] [--only search,relevance,chat,load,load-open,ledger,reminders] [--out bench-results.md]
//
// Runs every benchmark, each in a child process of its own (so each one's peak RSS is its own), and
// prints ONE markdown table on stdout: benchmark, driver, figure, measured, target, met/missed, peak
// RSS, load average; with the date, the CPU (model × count), total memory and the load average at
// the start and the end. The benchmarks' own human output goes to stderr as it comes, so
// `npm run bench > table.md` keeps only the table. --quick runs small sizes (a smoke run of a few
// minutes); without it the sizes are the targets' full sizes: 100k products, 200 shoppers × 60 s, 1M orders,
// 1M shoppers (expect an hour or more on 2 cores). PostgreSQL: BENCH_DATABASE_URL, else
// TEST_DATABASE_URL, else postgres://postgres:postgres@127.0.0.1:5432/laotie_test.
//
// THE CONTRACT (bench/lib/result.ts): a benchmark reports by printing, on stdout, one line per
// driver it measured, starting with `BENCH_RESULT ` and followed by one JSON object:
//
//   BENCH_RESULT {"bench":"load","driver":"pg","figures":[{"name":"errors","value":0,"target":"0","met":true}],"peakRssMb":612}
//
//   bench      required  the benchmark's name
//   driver     optional  pglite | pg | … (a benchmark may print one line per driver, from child processes too)
//   figures    required  [{ name, value (number or string), unit?, target? (text), met? (boolean) }]
//   peakRssMb  optional  the measured process's peak RSS (emitResult fills in its own process's)
//   note       optional  free text
// Call `emitResult(...)` from bench/lib/result.ts rather than printing by hand. Lines that do not
// parse are reported, never fatal; a benchmark that prints none shows as "no result" in the table.
// Exit code: 1 when a benchmark failed to run or printed no result; missed targets are in the table.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadAverage, machineInfo } from './lib/machine.ts';
import { renderReport, type BenchRun } from './lib/report.ts';
import { parseResults } from './lib/result.ts';

interface BenchSpec {
  name: string;
  script: string;
  full: string[];
  quick: string[];
}

const BENCHES: BenchSpec[] = [
  { name: 'search', script: 'search.ts', full: ['--n', '100000', '--queries', '200'], quick: ['--n', '5000', '--queries', '30', '--skip-embedder'] },
  { name: 'relevance', script: 'relevance.ts', full: [], quick: ['--quick'] },
  { name: 'chat', script: 'chat.ts', full: ['--turns', '40', '--latency', '200'], quick: ['--turns', '8', '--latency', '200'] },
  { name: 'load', script: 'load.ts', full: ['--connections', '200', '--duration', '60'], quick: ['--connections', '20', '--duration', '10'] },
  // The open loop: 100 turns/s arriving whatever the server does, latency from each turn's scheduled send.
  { name: 'load-open', script: 'load.ts', full: ['--open', '--rate', '100', '--duration', '60'], quick: ['--open', '--rate', '100', '--duration', '10'] },
  { name: 'ledger', script: 'ledger.ts', full: ['--orders', '1000000', '--shoppers', '100000'], quick: ['--orders', '20000', '--shoppers', '5000', '--sample', '500'] },
  { name: 'reminders', script: 'reminders.ts', full: ['--shoppers', '1000000'], quick: ['--shoppers', '20000'] },
];

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const only = args.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((n) => !BENCHES.some((b) => b.name === n)) ?? [];
if (unknown.length) throw new Error(`--only: unknown benchmark ${unknown.join(', ')} (known: ${BENCHES.map((b) => b.name).join(', ')})`);

/** One benchmark in a child process; its stdout is echoed to our stderr and kept for its results. */
function runBench(spec: BenchSpec, extra: string[]): Promise<BenchRun> {
  const script = fileURLToPath(new URL(spec.script, import.meta.url));
  const loadStart = loadAverage();
  const started = performance.now();
  process.stderr.write(`\n=== ${spec.name}: ${spec.script} ${extra.join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stderr.write(chunk);
    });
    const done = (exitCode: number | null) =>
      resolve({ bench: spec.name, exitCode, seconds: (performance.now() - started) / 1000, ...parseResults(output), loadStart, loadEnd: loadAverage() });
    child.once('error', () => done(null));
    child.once('close', (code) => done(code));
  });
}

const date = new Date();
const loadStart = loadAverage();
const runs: BenchRun[] = [];
for (const spec of BENCHES.filter((b) => !only || only.includes(b.name))) {
  const run = await runBench(spec, args.quick ? spec.quick : spec.full);
  for (const line of run.malformed) process.stderr.write(`[${spec.name}] malformed BENCH_RESULT line ignored: ${line.slice(0, 200)}\n`);
  process.stderr.write(`=== ${spec.name}: exit code ${run.exitCode} after ${run.seconds.toFixed(0)} s, ${run.results.length} result line(s)\n`);
  runs.push(run);
}
const report = renderReport({ date, mode: args.quick ? 'quick' : 'full', machine: machineInfo(), loadStart, loadEnd: loadAverage(), runs });
console.log(`\n${report}`);
if (args.out) writeFileSync(args.out, report + '\n');
if (runs.some((r) => r.exitCode !== 0 || !r.results.length)) process.exitCode = 1;
