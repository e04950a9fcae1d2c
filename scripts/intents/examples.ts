// The labelled messages the intent model learns from: the hand-written examples of each intent
// (src/agent/offline/data/intents.json), messages written for training (scripts/intents/data), the
// older tuned cases (evals/cases), and the frozen set's
// dev split (its single-turn cases, and the four phrasings of each dev task under its family's
// intent), with the files written after the freeze for tuning (dev only, DEV_ONLY_FILES). The test
// split is never read here: split.json decides what is dev.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEV_ONLY_FILES } from '../../evals/frozen/validate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The intents the model tells apart: the shopper goals of the frozen set. */
export const CLASSES = [
  'recommend', 'product_info', 'order_status', 'logistics', 'after_sales', 'coupons', 'points', 'referral', 'knowledge',
  'handoff', 'smalltalk', 'out_of_scope', 'injection', 'feedback', 'vote', 'badges', 'membership', 'reminders', 'reorder',
];

export interface Example {
  text: string;
  intent: string;
  /** Where it comes from, for a cross-validation that holds dev cases out. */
  source: 'lexicon' | 'legacy' | 'dev' | 'written';
  id?: string;
}

// τ families whose goal is one intent of a single message.
const FAMILY_INTENT: Record<string, string> = {
  after_sales: 'after_sales',
  points: 'points',
  coupons: 'coupons',
  vote: 'vote',
  feedback: 'feedback',
  handoff: 'handoff',
  order_lookup: 'order_status',
  recommend: 'recommend',
  referral: 'referral',
  reminders: 'reminders',
  knowledge: 'knowledge',
};

const jsonl = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

export function loadExamples(): Example[] {
  const out: Example[] = [];
  const intents = JSON.parse(readFileSync(ROOT + 'src/agent/offline/data/intents.json', 'utf8')) as Record<string, { examples: string[] }>;
  for (const [intent, d] of Object.entries(intents)) for (const text of d.examples) out.push({ text, intent, source: 'lexicon' });
  // Messages written for training by sessions that never saw the eval set (scripts/intents/data/README.md).
  const written = ROOT + 'scripts/intents/data/';
  for (const f of readdirSync(written).filter((x) => x.endsWith('.jsonl')).sort()) {
    for (const c of jsonl(written + f)) out.push({ text: String(c.text), intent: String(c.intent), source: 'written' });
  }
  for (const f of ['single.jsonl', 'heldout.jsonl']) {
    for (const c of jsonl(ROOT + 'evals/cases/' + f)) {
      const turns = c.turns as { user: string }[];
      out.push({ text: turns[0]!.user, intent: String(c.intent), source: 'legacy', id: String(c.id) });
    }
  }
  const split = JSON.parse(readFileSync(ROOT + 'evals/frozen/split.json', 'utf8')) as { singles: { dev: string[] }; tasks: { dev: string[] } };
  const devSingles = new Set(split.singles.dev);
  const devTasks = new Set(split.tasks.dev);
  const frozen = ROOT + 'evals/frozen/';
  for (const f of readdirSync(frozen).filter((x) => /^singles-.*\.jsonl$/.test(x)).sort()) {
    for (const c of jsonl(frozen + f)) if (DEV_ONLY_FILES.has(f) || devSingles.has(String(c.id))) out.push({ text: String(c.user), intent: String(c.intent), source: 'dev', id: String(c.id) });
  }
  const taskFiles = ['tasks.jsonl', ...[...DEV_ONLY_FILES].filter((f) => f.startsWith('tasks-') && existsSync(frozen + f))];
  for (const t of taskFiles.flatMap((f) => jsonl(frozen + f).map((t): Record<string, unknown> => ({ ...t, devOnly: DEV_ONLY_FILES.has(f) })))) {
    if (!t.devOnly && !devTasks.has(String(t.id))) continue;
    const intent = FAMILY_INTENT[String(t.family)];
    if (intent) for (const p of t.phrasings as string[]) out.push({ text: p, intent, source: 'dev', id: String(t.id) });
  }
  return out;
}
