// Numbers for the search benchmark's tables.

export function percentile(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Share of the true top-k that the approximate top-k found, averaged over the queries. */
export function recallAtK(approx: readonly number[][], exact: readonly number[][], k: number): number {
  let hit = 0;
  exact.forEach((truth, q) => {
    const got = new Set(approx[q]!.slice(0, k));
    hit += truth.slice(0, k).filter((id) => got.has(id)).length;
  });
  return hit / (exact.length * k);
}

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const ms = (x: number) => x.toFixed(2);
export const seconds = (startedMs: number) => ((performance.now() - startedMs) / 1000).toFixed(1);

/** Share of the owed ids that the answers contain, over all queries (owed lists may differ in length). */
export function recallOf(answers: readonly number[][], owed: readonly number[][]): number {
  let hit = 0;
  let total = 0;
  owed.forEach((truth, q) => {
    const got = new Set(answers[q]);
    hit += truth.filter((id) => got.has(id)).length;
    total += truth.length;
  });
  return total ? hit / total : 1;
}
