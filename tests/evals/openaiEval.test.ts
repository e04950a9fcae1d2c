// The eval harness on its `--model openai` path, end to end over real HTTP: the frozen set's dev cases
// played against the scripted fake OpenAI server (chat and embeddings), as `npm run eval -- --model
// openai` plays them against a configured endpoint. It proves the harness grades what a remote model
// does — a right answer passes, a write nobody asked for is counted, a τ task is graded by the rows the
// shopper's yes or no leaves — and says nothing about any real LLM. Dev ids only: the test split is
// never read here.
import { afterAll, afterEach, beforeAll, expect, it, vi, describe } from 'vitest';
import { runFrozenEval, type FrozenReport } from '../../evals/frozenEval.ts';
import { splitOf } from '../../evals/singles.ts';
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type ScriptStep } from '../helpers/fakeOpenAI.ts';

/** A value from the tool results the model was sent (the latest that has it), as a model reads its results. */
function fromToolResults(body: RecordedRequest['body'], key: string): unknown {
  for (const m of [...body.messages].reverse()) {
    if (m.role !== 'tool') continue;
    const value = (JSON.parse(String(m.content)) as Record<string, unknown>)[key];
    if (value !== undefined) return value;
  }
  throw new Error(`no tool result with ${key} was sent to the model`);
}

const CASES = {
  /** 积分余额: answered from getPoints. */
  balance: 's-points-002',
  /** 我的積分有多少 可以換什麼: a question, so redeemPoints is forbidden. */
  questionOnly: 's-points-017',
  /** Asks the balance, then redeems one coupon: the shopper confirms. */
  redeem: 't-points-02',
  /** Only asks about points: the shopper declines anything stated. */
  noRedeem: 't-points-03',
} as const;

describe('the eval harness against an OpenAI-compatible endpoint (the fake server, dev ids only)', () => {
  let fake: FakeOpenAI;
  let report: FrozenReport;

  beforeAll(async () => {
    const split = splitOf();
    // The ids this file plays are dev ids; a change to the split that moved one fails here, not in secret.
    expect(split.singles.dev).toEqual(expect.arrayContaining([CASES.balance, CASES.questionOnly]));
    expect(split.tasks.dev).toEqual(expect.arrayContaining([CASES.redeem, CASES.noRedeem]));

    fake = await startFakeOpenAI();
    vi.stubEnv('OPENAI_API_KEY', 'sk-test');
    vi.stubEnv('OPENAI_BASE_URL', fake.baseURL);
    vi.stubEnv('MODEL', 'fake-model');

    const balanceAnswer: ScriptStep = { text: (body) => `你现在有 ${String(fromToolResults(body, 'balance'))} 积分。` };
    const redeemAtOnce: ScriptStep[] = [
      // Both at once, as a model that spends without asking would: the card only states the redemption.
      { toolCalls: [{ name: 'getPoints', args: {} }, { name: 'redeemPoints', args: {} }] },
      { text: (body) => `你有 ${String(fromToolResults(body, 'balance'))} 积分，用 100 积分兑换一张10元无门槛券，回复确认我就帮你兑换。` },
    ];
    // The order the harness plays them: singles in file order, then each task's four phrasings.
    fake.script([
      { toolCalls: [{ name: 'getPoints', args: {} }] },
      balanceAnswer,
      ...redeemAtOnce,
      ...[0, 1, 2, 3].flatMap(() => [...redeemAtOnce, { text: '兑换好了，券已经放进你的账户。' }]),
      ...[0, 1, 2, 3].flatMap(() => [{ toolCalls: [{ name: 'redeemPoints', args: {} }] }, { text: '可以用 100 积分换一张券，回复确认我就帮你兑换。' }, { text: '好的，不换。' }]),
    ]);
    report = await runFrozenEval({ splits: ['dev'], model: 'openai', only: Object.values(CASES) });
  }, 600_000);
  afterEach(() => fake.assertDone());
  afterAll(async () => {
    vi.unstubAllEnvs();
    await fake?.close();
  });

  it('plays the dev split only, through the configured endpoint', () => {
    expect(report.model).toBe('fake-model');
    expect(report.met).toBeUndefined(); // no test split, so no verdict on the targets
    expect(report.splits.map((s) => s.split)).toEqual(['dev']);
    const dev = report.splits[0]!;
    expect(dev.singles.cases).toBe(2);
    expect(dev.tasks).toMatchObject({ tasks: 2, runs: 8 });
    // Every turn was a chat completion over HTTP, with the card's tools offered; search and the
    // knowledge base were indexed through the same endpoint's embeddings.
    expect(fake.requests).toHaveLength(2 + 2 + 4 * 3 + 4 * 3);
    for (const r of fake.requests) expect(r.body.tools?.map((t) => t.function.name)).toEqual(expect.arrayContaining(['getPoints', 'redeemPoints']));
    expect(fake.embeddingRequests.length).toBeGreaterThan(0);
  });

  it('passes a case the model answered from the right tool', () => {
    const dev = report.splits[0]!;
    expect(dev.failures.map((f) => f.id)).not.toContain(CASES.balance);
    expect(dev.singles.byIntent.points).toMatchObject({ cases: 2, toolChoice: 1, passed: 1 });
  });

  it('counts a redemption the model stated unasked as an unrequested write, and fails its tool choice', () => {
    const dev = report.splits[0]!;
    expect(dev.singles.unrequestedWrites).toBe(1);
    const failed = dev.failures.find((f) => f.id === CASES.questionOnly);
    expect(failed).toMatchObject({ toolChoice: false, passed: false, unrequestedWrites: ['redeemPoints (proposed)'] });
    expect(failed!.reasons).toEqual(expect.arrayContaining(['tool redeemPoints must not be used', 'unrequested write: redeemPoints (proposed)']));
  });

  it('grades a τ task by the rows the shopper’s yes or no left: redeemed once after yes, nothing after no', () => {
    const dev = report.splits[0]!;
    expect(dev.taskFailures).toEqual([]);
    expect(dev.tasks).toMatchObject({ pass1: 1, pass4: 1 });
    expect(dev.tasks.byFamily.points).toEqual({ tasks: 2, pass1: 1, pass4: 1 });
  });
});
