// Trains the offline model's intent classifier and writes src/agent/offline/data/intentModel.json.
//   npm run train:intents            train on every example and write the model
//   npm run train:intents -- --cv 3  first, k-fold accuracy on the dev examples (held out per fold)
// The examples: scripts/intents/examples.ts (never the frozen test split).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createIntentModel } from '../src/agent/offline/intentModel.ts';
import { CLASSES, loadExamples, type Example } from './intents/examples.ts';
import { train } from './intents/train.ts';

const OUT = new URL('../src/agent/offline/data/intentModel.json', import.meta.url);

const { values } = parseArgs({ options: { cv: { type: 'string' } } });
const examples = loadExamples();
console.log(`examples: ${examples.length} (${['lexicon', 'written', 'legacy', 'dev'].map((s) => `${s} ${examples.filter((e) => e.source === s).length}`).join(', ')})`);

if (values.cv) {
  const k = Number(values.cv);
  const dev = examples.filter((e) => e.source === 'dev');
  const ids = [...new Set(dev.map((e) => e.id!))].sort();
  let right = 0;
  const confusion = new Map<string, number>();
  for (let f = 0; f < k; f++) {
    const held = new Set(ids.filter((_, i) => i % k === f));
    const model = createIntentModel(train(examples.filter((e: Example) => !(e.source === 'dev' && held.has(e.id!))), CLASSES));
    for (const e of dev.filter((x) => held.has(x.id!))) {
      const p = model.probabilities(e.text);
      const top = CLASSES.reduce((a, c) => (p[c]! > p[a]! ? c : a));
      if (top === e.intent) right++;
      else confusion.set(`${e.intent}→${top}`, (confusion.get(`${e.intent}→${top}`) ?? 0) + 1);
    }
  }
  console.log(`${k}-fold accuracy on dev: ${right}/${dev.length} = ${((right / dev.length) * 100).toFixed(1)}%`);
  console.log([...confusion].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([c, n]) => `${c} ${n}`).join('\n'));
}

const model = train(examples, CLASSES);
writeFileSync(OUT, JSON.stringify(model) + '\n');
console.log(`wrote ${OUT.pathname}: ${Object.keys(model.weights).length} features`);
