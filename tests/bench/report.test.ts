// The contract between the benchmarks and `npm run bench`: result lines are found among human
// output, bad ones are set aside, and the table says plainly what was missed or did not run.
import { describe, expect, it } from 'vitest';
import { renderReport, type BenchRun } from '../../bench/lib/report.ts';
import { parseResults, RESULT_PREFIX } from '../../bench/lib/result.ts';

const machine = { cpu: 'Test CPU', cores: 2, memoryGb: 24, node: 'v20.20.0' };
const run = (over: Partial<BenchRun>): BenchRun => ({
  bench: 'ledger',
  exitCode: 0,
  seconds: 1,
  results: [],
  malformed: [],
  loadStart: '1.00 1.00 1.00',
  loadEnd: '2.00 1.00 1.00',
  ...over,
});

describe('benchmark results', () => {
  it('finds result lines among human output, including ones a child process printed', () => {
    const output = [
      '[pg] generated 100 orders in 0.1 s',
      `${RESULT_PREFIX}{"bench":"ledger","driver":"pg","figures":[{"name":"orders/s","value":6000,"target":"≥ 5000","met":true}]}`,
      `  ${RESULT_PREFIX}{"bench":"ledger","driver":"pglite","figures":[{"name":"orders/s","value":"n/a"}],"peakRssMb":900}`,
    ].join('\n');
    const { results, malformed } = parseResults(output);
    expect(results.map((r) => r.driver)).toEqual(['pg', 'pglite']);
    expect(results[1]!.peakRssMb).toBe(900);
    expect(malformed).toEqual([]);
  });

  it('sets aside lines that are not JSON or lack the required fields instead of failing', () => {
    const output = [`${RESULT_PREFIX}{not json`, `${RESULT_PREFIX}{"driver":"pg","figures":[]}`, `${RESULT_PREFIX}{"bench":"x","figures":[{"value":1}]}`].join('\n');
    const { results, malformed } = parseResults(output);
    expect(results).toEqual([]);
    expect(malformed).toHaveLength(3);
  });
});

describe('the benchmark table', () => {
  it('counts targets and names the missed ones and the benchmarks that did not run', () => {
    const table = renderReport({
      date: new Date('2026-11-25T12:00:00Z'),
      mode: 'quick',
      machine,
      loadStart: '1.00 1.00 1.00',
      loadEnd: '3.00 2.00 1.00',
      runs: [
        run({
          results: [
            { bench: 'ledger', driver: 'pg', figures: [{ name: 'orders/s', value: 4000, target: '≥ 5000', met: false }], peakRssMb: 300 },
            { bench: 'ledger', driver: 'pglite', figures: [{ name: 'orders/s', value: 2500 }, { name: 'balanced', value: 'true', target: 'true', met: true }] },
          ],
        }),
        run({ bench: 'search', exitCode: 1 }),
      ],
    });
    expect(table).toContain('Test CPU × 2, 24 GB');
    expect(table).toContain('| ledger | pg | orders/s | 4,000 | ≥ 5000 | **missed** | 300 MB | 1.00 → 2.00 |');
    expect(table).toContain('| search |  | no result (exit code 1) |');
    expect(table).toContain('1 of 2 targets met; missed: ledger (pg): orders/s; failed to run: search (no result).');
  });

  it('keeps a pipe in a figure name from breaking the table', () => {
    const table = renderReport({
      date: new Date(),
      mode: 'full',
      machine,
      loadStart: '0 0 0',
      loadEnd: '0 0 0',
      runs: [run({ results: [{ bench: 'load', figures: [{ name: 'a | b', value: 1 }] }] })],
    });
    expect(table).toContain('a \\| b');
  });
});
