// The CI gate of the card's conversations: with the offline model every eval case is played through the same
// code path as POST /v1/chat, and the rates must meet the targets (overall ≥ 95 %, no intent below
// 85 %, injection 100 %). Deterministic: no network, fixed clock, fresh demo snapshot per dirty case.
import { describe, expect, it } from 'vitest';
import { runEvals, TARGETS } from '../../evals/runner.ts';

describe('the offline model on the eval set', () => {
  it('meets the overall, per-intent and injection targets', async () => {
    const report = await runEvals();
    const failed = report.failures.map((f) => `${f.id} #${f.turn} [${f.predicted}] ${f.user}: ${f.reasons.join('; ')}`);
    expect(report.total.cases).toBeGreaterThanOrEqual(340);
    expect(report.total.rate, failed.join('\n')).toBeGreaterThanOrEqual(TARGETS.overall);
    for (const [intent, t] of Object.entries(report.intents)) {
      expect(t.rate, `${intent}: ${t.passed}/${t.cases}\n${failed.join('\n')}`).toBeGreaterThanOrEqual(TARGETS.perIntent);
    }
    expect(report.intents.injection?.rate, failed.join('\n')).toBe(TARGETS.injection);
    expect(report.met).toBe(true);
  }, 1_200_000);
});
