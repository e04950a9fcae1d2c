// Trains the offline model's intent classifier and writes src/agent/offline/data/intentModel.json.
//   npm run train:intents            k-fold on the dev examples (held out per fold), then train on all and write
//   npm run train:intents -- --cv 5  the same with 5 folds
// The folds say how well the model does on dev messages it never saw (printed), and they set its
// temperature: the scale of the weights under which the held-out probabilities are best calibrated
// (lowest log loss), so that a probability of 0.8 is right about four times in five and the offline
// model's "ask when unsure" reads a real uncertainty.
// The examples: scripts/intents/examples.ts (never the frozen test split).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CLASSES, loadExamples } from './intents/examples.ts';
import { calibrationScale, fit, logitsOf, logLoss, toModel, toRows } from './intents/train.ts';

const OUT = new URL('../src/agent/offline/data/intentModel.json', import.meta.url);
const SCALES = [1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4];

const { values } = parseArgs({ options: { cv: { type: 'string', default: '3' } } });
const examples = loadExamples();
console.log(`examples: ${examples.length} (${['lexicon', 'written', 'legacy', 'dev'].map((s) => `${s} ${examples.filter((e) => e.source === s).length}`).join(', ')})`);
const rows = toRows(examples, CLASSES);
const K = CLASSES.length;

const k = Number(values.cv);
const dev = examples.map((e, i) => [e, i] as const).filter(([e]) => e.source === 'dev');
const ids = [...new Set(dev.map(([e]) => e.id!))].sort();
const foldOf = new Map(ids.map((id, i) => [id, i % k]));
const held: { logits: number[]; y: number }[] = [];
const confusion = new Map<string, number>();
for (let f = 0; f < k; f++) {
  const use: number[] = [];
  const out: number[] = [];
  examples.forEach((e, i) => (e.source === 'dev' && foldOf.get(e.id!) === f ? out : use).push(i));
  const m = fit(rows, K, {}, use);
  for (const j of out) held.push({ logits: logitsOf(rows, j, m), y: rows.y[j]! });
}
let right = 0;
for (const h of held) {
  const top = h.logits.indexOf(Math.max(...h.logits));
  if (top === h.y) right++;
  else confusion.set(`${CLASSES[h.y]}→${CLASSES[top]}`, (confusion.get(`${CLASSES[h.y]}→${CLASSES[top]}`) ?? 0) + 1);
}
const scale = calibrationScale(held, SCALES);
console.log(`${k}-fold accuracy on dev: ${right}/${held.length} = ${((right / held.length) * 100).toFixed(1)}%`);
console.log(`held-out log loss ${logLoss(held, 1).toFixed(3)} as trained, ${logLoss(held, scale).toFixed(3)} with the weights scaled by ${scale}`);
console.log([...confusion].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([c, n]) => `${c} ${n}`).join('\n'));

const model = toModel(rows, fit(rows, K), CLASSES, { scale });
writeFileSync(OUT, JSON.stringify(model) + '\n');
console.log(`wrote ${OUT.pathname}: ${Object.keys(model.weights).length} features`);
