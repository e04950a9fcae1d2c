// Gaps grouped by meaning: "能开发票吗" and "可以开发票吗" are one question to write one answer for.
// Greedy threshold clustering over the local embedder's vectors, oldest gap first: each question
// joins the group whose centre it is nearest, if near enough, else starts its own. Deterministic:
// the same gaps in the same order give the same groups. Pure.
import type { GapReason } from './detect.ts';

export interface GapItem {
  /** The reply that fell short. */
  messageId: number;
  question: string;
  intent: string | null;
  reasons: readonly GapReason[];
  at: Date;
}

export interface GapCluster {
  /** The group's first reply in the period: names the group while that turn is in the period. */
  id: number;
  count: number;
  /** Distinct questions, the most asked first (then the latest), at most MAX_EXAMPLES. */
  examples: string[];
  /** The intent guessed most often; null when the model guessed none. */
  intent: string | null;
  reasons: Partial<Record<GapReason, number>>;
  firstSeen: Date;
  lastSeen: Date;
}

// Measured with the local embedder on shoppers' questions: paraphrases of one question score 0.3 to
// 0.85 ("你们能开发票吗" ~ "发票怎么开" 0.33), unrelated questions at most about 0.17.
export const SAME_QUESTION = 0.3;
const MAX_EXAMPLES = 3;

interface Group {
  id: number;
  sum: Float64Array;
  members: GapItem[];
}

const normalise = (q: string) => q.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function add(into: Float64Array, v: Float64Array): void {
  for (let i = 0; i < v.length; i++) into[i]! += v[i]!;
}

/** The group a question joins: the nearest centre at SAME_QUESTION or above, else none. */
function nearest(groups: readonly Group[], v: Float64Array, threshold: number): Group | undefined {
  let best: Group | undefined;
  let bestScore = threshold;
  for (const g of groups) {
    const norm = Math.sqrt(dot(g.sum, g.sum));
    if (norm === 0) continue;
    const score = dot(v, g.sum) / norm;
    if (score >= bestScore) {
      best = g;
      bestScore = score;
    }
  }
  return best;
}

function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
}

function summarise(g: Group): GapCluster {
  const asked = new Map<string, { text: string; n: number; last: number }>();
  for (const m of g.members) {
    const key = normalise(m.question);
    const seen = asked.get(key) ?? { text: m.question.trim(), n: 0, last: 0 };
    seen.n++;
    seen.last = Math.max(seen.last, m.at.getTime());
    asked.set(key, seen);
  }
  const reasons: Partial<Record<GapReason, number>> = {};
  for (const m of g.members) for (const r of m.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
  const times = g.members.map((m) => m.at.getTime());
  return {
    id: g.id,
    count: g.members.length,
    examples: [...asked.values()]
      .sort((a, b) => b.n - a.n || b.last - a.last)
      .slice(0, MAX_EXAMPLES)
      .map((e) => e.text),
    intent: mostCommon(g.members.map((m) => m.intent).filter((i): i is string => i !== null)),
    reasons,
    firstSeen: new Date(Math.min(...times)),
    lastSeen: new Date(Math.max(...times)),
  };
}

/**
 * The gaps grouped by meaning, the largest group first (then the latest). `embed` gives an
 * L2-normalised vector; a question without one (no letter or digit) groups with its exact repeats only.
 */
export function clusterGaps(items: readonly GapItem[], embed: (text: string) => Float64Array, threshold = SAME_QUESTION): GapCluster[] {
  const ordered = [...items].sort((a, b) => a.at.getTime() - b.at.getTime() || a.messageId - b.messageId);
  const groups: Group[] = [];
  const byText = new Map<string, Group>();
  for (const item of ordered) {
    const key = normalise(item.question);
    let group = byText.get(key);
    if (!group) {
      const v = embed(item.question);
      const empty = v.every((x) => x === 0);
      group = empty ? undefined : nearest(groups, v, threshold);
      if (!group) {
        group = { id: item.messageId, sum: new Float64Array(v.length), members: [] };
        groups.push(group);
      }
      add(group.sum, v);
      byText.set(key, group);
    }
    group.members.push(item);
  }
  return groups
    .map(summarise)
    .sort((a, b) => b.count - a.count || b.lastSeen.getTime() - a.lastSeen.getTime() || a.id - b.id);
}
