// The eval CLI: plays every case (evals/runner.ts), prints pass rates per intent and overall, writes
// evals/report.json, and exits non-zero when a target is missed.
//   npx tsx evals/run.ts [--cases single|multi|heldout] [--only <id prefix>] [--verbose]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runEvals } from './runner.ts';

const { values } = parseArgs({ options: { cases: { type: 'string' }, only: { type: 'string' }, verbose: { type: 'boolean' } } });
const report = await runEvals({
  ...(values.cases ? { cases: values.cases } : {}),
  ...(values.only ? { only: values.only } : {}),
  ...(values.verbose ? { onTurn: (line) => console.log(JSON.stringify(line)) } : {}),
});
writeFileSync(new URL('./report.json', import.meta.url), JSON.stringify(report, null, 2) + '\n');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
for (const [k, t] of Object.entries(report.intents)) console.log(`${k.padEnd(14)} ${String(t.passed).padStart(4)}/${String(t.cases).padEnd(4)} ${pct(t.rate)}`);
const { total } = report;
console.log(`${'overall'.padEnd(14)} ${String(total.passed).padStart(4)}/${String(total.cases).padEnd(4)} ${pct(total.rate)}   (${report.seconds}s)`);
for (const f of report.failures) console.log(`✗ ${f.id} #${f.turn} [${f.predicted}] ${f.user}\n    ${f.reasons.join('\n    ')}\n    → ${f.reply.replace(/\n/g, ' ⏎ ').slice(0, 240)}`);
console.log(report.met ? 'targets met' : 'targets missed');
process.exitCode = report.met ? 0 : 1;
