// The one markdown table of `npm run bench`: a row per figure, grouped by benchmark and driver,
// with the machine and how busy it was (shared machines: absolute figures alone mean little).
import type { MachineInfo } from './machine.ts';
import type { BenchResult } from './result.ts';

export interface BenchRun {
  bench: string;
  /** The child's exit code; a run without results shows it instead of figures. */
  exitCode: number | null;
  seconds: number;
  results: BenchResult[];
  malformed: string[];
  loadStart: string;
  loadEnd: string;
}

export interface ReportInput {
  date: Date;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  loadStart: string;
  loadEnd: string;
  runs: BenchRun[];
}

const cell = (v: unknown) => String(v).replaceAll('|', '\\|').replaceAll('\n', ' ');
const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'met' : '**missed**');

function formatValue(value: number | string, unit?: string): string {
  const text = typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : value;
  return unit ? `${text} ${unit}` : text;
}

export function renderReport(input: ReportInput): string {
  const header = ['benchmark', 'driver', 'figure', 'measured', 'target', 'met?', 'peak RSS', 'load avg start → end'];
  const rows: string[][] = [];
  const missed: string[] = [];
  const failed: string[] = [];
  let targets = 0;
  let met = 0;
  for (const run of input.runs) {
    const load = `${run.loadStart.split(' ')[0]} → ${run.loadEnd.split(' ')[0]}`;
    if (!run.results.length) {
      rows.push([run.bench, '', `no result (exit code ${run.exitCode}${run.malformed.length ? ', malformed BENCH_RESULT line' : ''})`, '', '', '**missed**', '', load]);
      failed.push(`${run.bench} (no result)`);
      continue;
    }
    for (const result of run.results) {
      result.figures.forEach((f, i) => {
        if (f.met !== undefined) targets++;
        if (f.met === true) met++;
        if (f.met === false) missed.push(`${result.bench}${result.driver ? ` (${result.driver})` : ''}: ${f.name}`);
        rows.push([
          i === 0 ? result.bench : '',
          i === 0 ? (result.driver ?? '') : '',
          f.name,
          formatValue(f.value, f.unit),
          f.target ?? '',
          verdict(f.met),
          i === 0 && result.peakRssMb !== undefined ? `${result.peakRssMb} MB` : '',
          i === 0 ? load : '',
        ]);
      });
    }
    if (run.exitCode !== 0) {
      rows.push([run.bench, '', `exited with code ${run.exitCode} after its results`, '', '', '**missed**', '', '']);
      failed.push(`${run.bench} (exit code ${run.exitCode})`);
    }
  }
  const m = input.machine;
  const lines = [
    `Benchmarks (${input.mode} sizes), ${input.date.toISOString().slice(0, 16).replace('T', ' ')} UTC — ` +
      `${m.cpu} × ${m.cores}, ${m.memoryGb} GB, Node ${m.node}; load average ${input.loadStart} at start, ${input.loadEnd} at end`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
    [
      `${met} of ${targets} targets met`,
      missed.length ? `missed: ${missed.join('; ')}` : '',
      failed.length ? `failed to run: ${failed.join('; ')}` : '',
    ]
      .filter(Boolean)
      .join('; ') + '.',
  ];
  return lines.join('\n');
}
