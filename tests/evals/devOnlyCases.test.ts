// The cases written after the freeze (evals/frozen/singles-c.jsonl, tasks-c.jsonl) are for tuning:
// the runner plays every one of them in `dev`, none in `test`, and the test split stays exactly what
// split.json says (evals/frozen/README.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDevOnly } from '../../evals/frozen/validate.ts';
import { loadSingles, splitOf } from '../../evals/singles.ts';
import { loadTasks } from '../../evals/tasks.ts';

const ids = (file: string) =>
  readFileSync(new URL(`../../evals/frozen/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { id: string }).id);

describe('cases written after the freeze', () => {
  it('plays every singles-c case in dev and none in test', () => {
    const later = ids('singles-c.jsonl');
    expect(later.length).toBeGreaterThan(500);
    const dev = new Set(loadSingles('dev').map((c) => c.id));
    const test = new Set(loadSingles('test').map((c) => c.id));
    expect(later.filter((id) => !dev.has(id))).toEqual([]);
    expect(later.filter((id) => test.has(id))).toEqual([]);
  });

  it('plays every tasks-c task in dev and none in test', () => {
    const later = ids('tasks-c.jsonl');
    expect(later.length).toBeGreaterThan(0);
    const dev = new Set(loadTasks('dev').map((t) => t.id));
    const test = new Set(loadTasks('test').map((t) => t.id));
    expect(later.filter((id) => !dev.has(id))).toEqual([]);
    expect(later.filter((id) => test.has(id))).toEqual([]);
  });

  it('leaves the test split exactly as split.json lists it', () => {
    const listed = splitOf().singles.test;
    expect(loadSingles('test').map((c) => c.id).sort()).toEqual([...listed].sort());
    expect(loadTasks('test').map((t) => t.id).sort()).toEqual([...splitOf().tasks.test].sort());
  });

  it('still plays the frozen dev cases beside the new ones', () => {
    const dev = loadSingles('dev').map((c) => c.id);
    expect(dev).toEqual(expect.arrayContaining(splitOf().singles.dev));
  });

  it('refuses a -c- id outside a dev-only file, and a dev-only id that split.json lists', () => {
    const split = new Set(['s-points-c-001']);
    expect(checkDevOnly('s-points-c-002', 'singles-c.jsonl', split, 'x')).toEqual([]);
    expect(checkDevOnly('s-points-c-001', 'singles-c.jsonl', split, 'x')).toHaveLength(1);
    expect(checkDevOnly('s-points-002', 'singles-c.jsonl', split, 'x')).toHaveLength(1);
    expect(checkDevOnly('s-points-c-003', 'singles-a.jsonl', split, 'x')).toHaveLength(1);
    // Each later batch keeps to its own letter.
    expect(checkDevOnly('s-points-d-001', 'singles-d.jsonl', split, 'x')).toEqual([]);
    expect(checkDevOnly('s-points-d-001', 'singles-c.jsonl', split, 'x')).toHaveLength(1);
  });
});
