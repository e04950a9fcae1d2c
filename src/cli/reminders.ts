// npm run reminders -- --shop demo [--date 2026-09-17] [--dry-run] [--deliver]
// Plans a shop's reminders for a local day and prints what would be (--dry-run) or was queued;
// --deliver then runs the outbox worker once over what is due now and prints the outcome.
// Messages are written as the service writes them: by the shop's own model when its admin set one
// (src/agent/shopModels.ts), else by the service's.
import { parseArgs } from 'node:util';
import { createModels } from '../agent/models.ts';
import { createShopModels } from '../agent/shopModels.ts';
import { resolveAuthSecret } from '../auth/secret.ts';
import { createSecretBox } from '../auth/secretBox.ts';
import { loadConfigOrExit } from '../config.ts';
import { systemClock } from '../context.ts';
import { migrate } from '../db/migrate.ts';
import { openDbOrExit } from '../db/open.ts';
import { runOutboxOnce } from '../domain/reminders/outbox.ts';
import { runReminders, type RunReport } from '../domain/reminders/run.ts';
import { createEmbedder } from '../embed/index.ts';
import { createLogger } from '../log.ts';
import { createDestinationGuard } from '../net/destinationGuard.ts';
import { reminderWriters } from '../agent/reminderWriter.ts';

const { values } = parseArgs({
  options: {
    shop: { type: 'string', default: 'demo' },
    date: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    deliver: { type: 'boolean', default: false },
    show: { type: 'string', default: '20' },
  },
});

function print(r: RunReport): void {
  console.log(`${r.dryRun ? 'DRY RUN — nothing saved. ' : ''}shop ${r.shopId}, day ${r.date}, deliver from ${r.scheduledFor}`);
  for (const o of r.occasions) console.log(`  ${o.occasion.padEnd(15)} candidates ${String(o.candidates).padStart(7)}  planned ${String(o.planned).padStart(7)}`);
  console.log(`  planned ${r.planned}, ${r.dryRun ? 'would queue' : 'queued'} ${r.queued}; written by ${JSON.stringify(r.writtenBy)}`);
  for (const s of r.sample) {
    const states = s.deliveries.map((d) => `${d.channel}:${d.state}`).join(' ') || (r.dryRun ? 'in_card:would-send' : '');
    console.log(`\n#${s.id} ${s.occasion} → ${s.nickname} (shopper ${s.shopperId}) ${states}\n  ${s.message ?? '(no message yet)'}`);
  }
}

const config = loadConfigOrExit();
const log = createLogger('warn');
const db = await openDbOrExit(config);
const webhookGuard = createDestinationGuard({ allowHosts: config.WEBHOOK_ALLOW_HOSTS });
// A shop's model is called only where the service would call it (WEBHOOK_ALLOW_HOSTS).
const modelGuard = createDestinationGuard({ allowHosts: config.WEBHOOK_ALLOW_HOSTS });
try {
  await migrate(db);
  const embedder = createEmbedder(config);
  const models = createModels(config, embedder, log);
  const keys = createSecretBox(resolveAuthSecret(config));
  const shopModels = createShopModels({ db, embedder, models, log, timeoutMs: config.MODEL_TIMEOUT_MS, keys, guard: modelGuard });
  const deps = { db, clock: systemClock, log, writers: reminderWriters(models, log, shopModels), webhookGuard };
  const report = await runReminders(deps, { shopId: values.shop!, date: values.date, dryRun: values['dry-run'], sampleSize: Number(values.show) });
  print(report);
  if (values.deliver && !report.dryRun) {
    const out = await runOutboxOnce(deps, { workerId: `cli:${process.pid}`, batchSize: 500 });
    console.log(`\noutbox pass: ${JSON.stringify(out)}`);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await Promise.all([webhookGuard.close(), modelGuard.close()]);
  await db.close();
}
