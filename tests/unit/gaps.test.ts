// Whether a turn fell short, and how the gaps group: the pure parts of src/domain/gaps.
import { describe, expect, it } from 'vitest';
import { clusterGaps, type GapItem } from '../../src/domain/gaps/cluster.ts';
import { gapReasons, type TurnOutcome } from '../../src/domain/gaps/detect.ts';
import { embedText } from '../../src/embed/local.ts';

const SEARCH = 'searchKnowledge';
const turn = (t: Partial<TurnOutcome>): TurnOutcome => ({ lowConfidence: false, failed: false, toolCalls: [], calledFor: [], ...t });
const search = (passages: number) => ({ name: SEARCH, output: { results: Array.from({ length: passages }, (_, i) => ({ i })) } });

describe('gapReasons', () => {
  it('finds nothing in a turn that answered', () => {
    expect(gapReasons(turn({ intent: 'knowledge', toolCalls: [search(2)] }), SEARCH)).toEqual([]);
    expect(gapReasons(turn({ intent: 'smalltalk' }), SEARCH)).toEqual([]);
  });

  it('counts a message not understood, or a failed turn, as a fallback', () => {
    expect(gapReasons(turn({ intent: 'unknown' }), SEARCH)).toEqual(['fallback']);
    expect(gapReasons(turn({ lowConfidence: true }), SEARCH)).toEqual(['fallback']);
    expect(gapReasons(turn({ failed: true }), SEARCH)).toEqual(['fallback']);
  });

  it('takes a passage found as the answer, however the message was first understood', () => {
    expect(gapReasons(turn({ intent: 'unknown', toolCalls: [search(0), search(1)] }), SEARCH)).toEqual([]);
    expect(gapReasons(turn({ intent: 'knowledge', toolCalls: [search(0)] }), SEARCH)).toEqual(['no_knowledge']);
    // A failed search is no evidence that the documents lack the answer.
    expect(gapReasons(turn({ intent: 'knowledge', toolCalls: [{ name: SEARCH, output: { error: { code: 'x' } } }] }), SEARCH)).toEqual([]);
  });

  it('counts a hand-off for lack of an answer, not one for an angry shopper or a large refund', () => {
    expect(gapReasons(turn({ calledFor: ['unresolved'] }), SEARCH)).toEqual(['handoff']);
    expect(gapReasons(turn({ calledFor: ['low_confidence'], lowConfidence: true }), SEARCH)).toEqual(['fallback', 'handoff']);
    expect(gapReasons(turn({ calledFor: ['angry', 'money', 'asked_for_human'] }), SEARCH)).toEqual([]);
  });
});

describe('clusterGaps', () => {
  let id = 0;
  const gap = (question: string, minute: number): GapItem => ({
    messageId: ++id,
    question,
    intent: 'knowledge',
    reasons: ['no_knowledge'],
    at: new Date(Date.UTC(2026, 8, 17, 2, minute)),
  });

  it('groups paraphrases, keeps unrelated questions apart, and names each group by its first gap', () => {
    const items = [gap('你们能开发票吗', 0), gap('周末发货吗', 1), gap('可以开发票吗', 2), gap('你们能开发票吗', 3)];
    const groups = clusterGaps(items, (q) => embedText(q));
    expect(groups.map((g) => ({ id: g.id, count: g.count, examples: g.examples }))).toEqual([
      { id: items[0]!.messageId, count: 3, examples: ['你们能开发票吗', '可以开发票吗'] },
      { id: items[1]!.messageId, count: 1, examples: ['周末发货吗'] },
    ]);
    expect(groups[0]!.lastSeen).toEqual(items[3]!.at);
    expect(groups[0]!.firstSeen).toEqual(items[0]!.at);
    // The order the rows arrive in does not change the groups.
    expect(clusterGaps([...items].reverse(), (q) => embedText(q))).toEqual(groups);
  });

  it('groups a message without letters or digits with its exact repeats only', () => {
    const items = [gap('？？？', 0), gap('!!!', 1), gap('？？？', 2)];
    const zero = () => new Float64Array(4);
    expect(clusterGaps(items, zero).map((g) => ({ count: g.count, examples: g.examples }))).toEqual([
      { count: 2, examples: ['？？？'] },
      { count: 1, examples: ['!!!'] },
    ]);
  });
});
