// Splits the frozen set once, at random, into `dev` (tuned on) and `test` (only ever measured):
// about one in three of each intent's cases, and of each family's tasks, goes to dev. The seed is
// fixed, so the split can be checked by running this again; it writes evals/frozen/split.json, which
// the eval runner reads. Run it once. A later change to the test split is its own commit saying why.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../src/demo/rng.ts';

const HERE = fileURLToPath(new URL('./', import.meta.url));
const SEED = 20261207;
const DEV_SHARE = 1 / 3;

function lines(file: string): { id: string; intent?: string; family?: string }[] {
  return readFileSync(HERE + file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

function split(items: { id: string; group: string }[], next: () => number): { dev: string[]; test: string[] } {
  const groups = new Map<string, string[]>();
  for (const it of [...items].sort((a, b) => a.id.localeCompare(b.id))) groups.set(it.group, [...(groups.get(it.group) ?? []), it.id]);
  const dev: string[] = [];
  const test: string[] = [];
  for (const group of [...groups.keys()].sort()) {
    const ids = groups.get(group)!;
    // Fisher–Yates with the seeded generator.
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const n = Math.round(ids.length * DEV_SHARE);
    dev.push(...ids.slice(0, n));
    test.push(...ids.slice(n));
  }
  return { dev: dev.sort(), test: test.sort() };
}

// The demo seed's generator (mulberry32): the same split on every machine.
const next = createRng(SEED).next;
const singles = ['singles-a.jsonl', 'singles-b.jsonl'].flatMap(lines).map((c) => ({ id: c.id, group: c.intent! }));
const tasks = lines('tasks.jsonl').map((t) => ({ id: t.id, group: t.family! }));
const out = { seed: SEED, singles: split(singles, next), tasks: split(tasks, next) };
writeFileSync(HERE + 'split.json', JSON.stringify(out, null, 1) + '\n');
console.log(`singles: ${out.singles.dev.length} dev, ${out.singles.test.length} test; tasks: ${out.tasks.dev.length} dev, ${out.tasks.test.length} test`);
