// Admin routes of the emotional reminders (docs/domain.md §8 Reminders), for an admin of their own shop:
//   POST   /v1/admin/reminders/run           {date?, dryRun?}  plan + queue a day (or show it, dry)
//   GET    /v1/admin/reminders/settings                        settings, version, webhook (no secret)
//   PUT    /v1/admin/reminders/settings      {settings, version?, webhook?}
//   GET    /v1/admin/outbox?state=dead                         deliveries, newest first
//   POST   /v1/admin/outbox/:id/redrive                        dead → pending
// The shop always comes from the token: another shop's delivery is a 404.
import { Hono } from 'hono';
import { z } from 'zod';
import type { TokenIssuer } from '../auth/tokens.ts';
import { listDeliveries, redrive } from '../domain/reminders/outbox.ts';
import { loadReminderSettings, saveReminderSettings, type StoredReminderSettings } from '../domain/reminders/repo.ts';
import { runReminders, type ReminderDeps } from '../domain/reminders/run.ts';
import { isIsoDate } from '../domain/reminders/time.ts';
import { NotFound } from '../errors.ts';
import type { DestinationGuard } from '../net/destinationGuard.ts';
import { isTypable, typable, typableJson, UNTYPABLE_MESSAGE } from '../text/typable.ts';
import { staffAuth, type StaffEnv } from './auth.ts';
import { jsonBody, parseOr400 } from './errors.ts';

export interface ReminderRouteDeps extends ReminderDeps {
  tokens: TokenIssuer;
  /** Where a shop's webhook may point (WEBHOOK_ALLOW_HOSTS). */
  webhookGuard: Pick<DestinationGuard, 'check'>;
}

const runBody = z.strictObject({
  date: z.string().refine(isIsoDate, 'date must be YYYY-MM-DD').optional(),
  dryRun: z.boolean().optional(),
});

const settingsBody = z.strictObject({
  settings: typableJson(z.record(z.string(), z.unknown())),
  version: z.number().int().min(0).optional(),
  webhook: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }).max(2000).refine(isTypable, UNTYPABLE_MESSAGE),
      secret: typable().min(16).max(200).optional(),
    })
    .nullable()
    .optional(),
});

const idParam = z.string().regex(/^\d{1,15}$/, 'must be a numeric id').transform(Number);
const stateQuery = z.enum(['pending', 'sent', 'failed', 'dead', 'cancelled']).optional();

function settingsView(s: StoredReminderSettings) {
  return { settings: s.settings, version: s.version, webhook: s.webhook ? { url: s.webhook.url, hasSecret: true } : null };
}

export function reminderRoutes(deps: ReminderRouteDeps) {
  const app = new Hono<StaffEnv>();
  // Per route, not app.use('/v1/admin/*'): a path-wide middleware would also guard other groups' routes.
  const admin = staffAuth({ tokens: deps.tokens, db: deps.db, roles: ['admin'] });

  app.post('/v1/admin/reminders/run', admin, async (c) => {
    const body = await jsonBody(c, runBody);
    const report = await runReminders(deps, { shopId: c.get('caller').shopId, date: body.date, dryRun: body.dryRun ?? false });
    return c.json(report);
  });

  app.get('/v1/admin/reminders/settings', admin, async (c) => {
    return c.json(settingsView(await loadReminderSettings(deps.db, c.get('caller').shopId)));
  });

  app.put('/v1/admin/reminders/settings', admin, async (c) => {
    const body = await jsonBody(c, settingsBody);
    const saved = await saveReminderSettings(
      deps.db,
      c.get('caller').shopId,
      { settings: body.settings, expectedVersion: body.version, webhook: body.webhook },
      deps.clock.now(),
      deps.webhookGuard,
    );
    return c.json(settingsView(saved));
  });

  app.get('/v1/admin/outbox', admin, async (c) => {
    const state = parseOr400(stateQuery, c.req.query('state'), 'state');
    return c.json({ deliveries: await listDeliveries(deps.db, c.get('caller').shopId, state, 100) });
  });

  app.post('/v1/admin/outbox/:id/redrive', admin, async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) throw new NotFound('delivery');
    await redrive(deps.db, c.get('caller').shopId, id.data, deps.clock.now());
    return c.json({ id: id.data, state: 'pending' });
  });

  return app;
}
