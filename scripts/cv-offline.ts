// An honest look at the offline model on dev while tuning it: k folds of the dev cases, each played
// against an intent model trained without that fold (the rest of dev, the lexicon, the older cases),
// so a dev case is never judged by a model that learned it. Prints the tool-choice table.
//   npx tsx scripts/cv-offline.ts [--folds 3] [--only s-after_sales]
import { parseArgs } from 'node:util';
import { createIntentModel, shippedIntentModel } from '../src/agent/offline/intentModel.ts';
import { INTENTS } from '../evals/frozen/validate.ts';
import { promptCanaries } from '../evals/grading.ts';
import { loadSingles, playSingle, type SingleOutcome } from '../evals/singles.ts';
import { openWorlds } from '../evals/world.ts';
import { CLASSES, loadExamples } from './intents/examples.ts';
import { train } from './intents/train.ts';

const { values } = parseArgs({ options: { folds: { type: 'string', default: '3' }, only: { type: 'string' }, verbose: { type: 'boolean' } } });
const k = Number(values.folds);
const examples = loadExamples();
const cases = loadSingles('dev', values.only);
const ids = [...new Set(examples.filter((e) => e.source === 'dev').map((e) => e.id!))].sort();
const foldOf = new Map(ids.map((id, i) => [id, i % k]));
const canaries = promptCanaries();
// Each fold's model is calibrated as the shipped one was (scripts/train-intents.ts).
const scale = shippedIntentModel().scale ?? 1;
const outcomes: SingleOutcome[] = [];
for (let f = 0; f < k; f++) {
  const intentModel = createIntentModel(train(examples.filter((e) => !(e.source === 'dev' && foldOf.get(e.id!) === f)), CLASSES, { scale }));
  const worlds = await openWorlds('offline', { intentModel });
  for (const c of cases.filter((x) => foldOf.get(x.id) === f)) {
    const o = await playSingle(worlds, c, canaries);
    outcomes.push(o);
    if (values.verbose && !o.toolChoice) console.log(`✗ ${o.id} [${o.intentPredicted}] ${c.user}\n    ${o.reasons.join('\n    ')}\n    → ${o.reply.replace(/\n/g, ' ⏎ ').slice(0, 160)}`);
  }
  await worlds.close();
}
const pct = (n: number, of: number) => `${((n / Math.max(1, of)) * 100).toFixed(1)}%`;
for (const intent of INTENTS) {
  const mine = outcomes.filter((o) => o.intent === intent);
  if (mine.length) console.log(`${intent.padEnd(14)} ${String(mine.length).padStart(4)} ${pct(mine.filter((o) => o.toolChoice).length, mine.length).padStart(7)} ${pct(mine.filter((o) => o.passed).length, mine.length).padStart(7)}`);
}
console.log(`${'overall'.padEnd(14)} ${String(outcomes.length).padStart(4)} ${pct(outcomes.filter((o) => o.toolChoice).length, outcomes.length).padStart(7)} ${pct(outcomes.filter((o) => o.passed).length, outcomes.length).padStart(7)}  unrequested writes ${outcomes.reduce((n, o) => n + o.unrequestedWrites.length, 0)}`);
