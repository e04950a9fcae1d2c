// The one contract between a benchmark and `npm run bench` (bench/index.ts): besides its own
// human output, a benchmark prints one line per driver it measured:
//
//   BENCH_RESULT {"bench":"ledger","driver":"pg","figures":[{"name":"orders/s","value":6120,"target":"≥ 5000","met":true}],"peakRssMb":812}
//
// Only `bench` and `figures[].name` / `figures[].value` are required; a figure without `target`
// has none, one without `met` is informative. `emitResult` adds the printing process's own peak
// RSS unless the benchmark measured another process (the load benchmark reports its server's).
import { z } from 'zod';

export const RESULT_PREFIX = 'BENCH_RESULT ';

const figure = z.object({
  name: z.string().min(1),
  value: z.union([z.number(), z.string()]),
  unit: z.string().optional(),
  target: z.string().optional(),
  met: z.boolean().optional(),
});

export const benchResult = z.object({
  bench: z.string().min(1),
  driver: z.string().optional(),
  figures: z.array(figure),
  peakRssMb: z.number().optional(),
  note: z.string().optional(),
});

export type BenchFigure = z.infer<typeof figure>;
export type BenchResult = z.infer<typeof benchResult>;

export const ownPeakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export function emitResult(result: BenchResult): void {
  console.log(RESULT_PREFIX + JSON.stringify({ peakRssMb: ownPeakRssMb(), ...result }));
}

/** The results in a benchmark's output; a malformed line is reported, not fatal. */
export function parseResults(output: string): { results: BenchResult[]; malformed: string[] } {
  const results: BenchResult[] = [];
  const malformed: string[] = [];
  for (const line of output.split('\n')) {
    const at = line.indexOf(RESULT_PREFIX);
    if (at === -1) continue;
    const text = line.slice(at + RESULT_PREFIX.length).trim();
    try {
      const parsed = benchResult.safeParse(JSON.parse(text));
      if (parsed.success) results.push(parsed.data);
      else malformed.push(text);
    } catch {
      malformed.push(text);
    }
  }
  return { results, malformed };
}
