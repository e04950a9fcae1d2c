// The eval CLI.
//   npm run eval                          the frozen set, dev and test, on the offline model
//   npm run eval -- --split dev           dev only (what tuning reads)
//   npm run eval -- --model openai        the same against OPENAI_API_KEY / OPENAI_BASE_URL / MODEL
//   npm run eval -- --only s-logistics    cases and tasks whose id starts with this (repeatable)
//   npm run eval -- --singles             without the τ tasks
//   npm run eval -- --verbose             every dev case as a JSON line
// Prints the tables, writes evals/report.json (not kept in git), and exits 1 when test was run and
// missed a target.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatReport, runFrozenEval } from './frozenEval.ts';
import type { Split } from './singles.ts';

const { values } = parseArgs({
  options: {
    split: { type: 'string', default: 'both' },
    model: { type: 'string', default: 'offline' },
    only: { type: 'string', multiple: true },
    singles: { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
});

if (!['dev', 'test', 'both'].includes(values.split!)) throw new Error('--split is dev, test or both');
if (!['offline', 'openai'].includes(values.model!)) throw new Error('--model is offline or openai');
const splits: Split[] = values.split === 'both' ? ['dev', 'test'] : [values.split as Split];
const report = await runFrozenEval({
  splits,
  model: values.model as 'offline' | 'openai',
  ...(values.only?.length ? { only: values.only } : {}),
  singlesOnly: values.singles ?? false,
  ...(values.verbose ? { onCase: (o) => o.id && console.log(JSON.stringify(o)) } : {}),
});
writeFileSync(new URL('./report.json', import.meta.url), JSON.stringify(report, null, 1) + '\n');
const dev = report.splits.find((s) => s.split === 'dev');
for (const f of dev?.failures ?? []) console.log(`✗ ${f.id} [${f.intentPredicted}] ${f.user}\n    ${f.reasons.join('\n    ')}\n    → ${(f.reply ?? '').replace(/\n/g, ' ⏎ ').slice(0, 200)}`);
for (const f of dev?.taskFailures ?? []) console.log(`✗ ${f.id} #${f.phrasing}: ${f.reasons.join('; ')}\n    ${(f.turns ?? []).map((t) => `${t.user} → ${t.reply.replace(/\n/g, ' ').slice(0, 80)}`).join('\n    ')}`);
console.log(formatReport(report));
process.exitCode = report.met === false ? 1 : 0;
