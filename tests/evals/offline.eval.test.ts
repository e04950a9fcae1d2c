// The CI gate of the card's conversations: the frozen set's test split (evals/frozen), which nothing
// the offline model learns from or is tuned on reads, played through the same code path as
// POST /v1/chat. It holds to the floors (the figures last reached) and prints how far the targets
// still are. Deterministic: no network, fixed clock, a fresh demo snapshot for each case that wrote.
import { describe, expect, it } from 'vitest';
import { belowFloors, formatReport, runFrozenEval } from '../../evals/frozenEval.ts';

describe('the offline model on the frozen test split', () => {
  it('loses no case the floors hold, and reports the targets', async () => {
    const report = await runFrozenEval({ splits: ['test'] });
    const test = report.splits[0]!;
    console.log(formatReport(report));
    expect(test.singles.cases).toBe(1070);
    expect(test.tasks.tasks).toBe(38);
    expect(belowFloors(test), formatReport(report)).toEqual([]);
  }, 1_800_000);
});
