// Data access for a shop's reminder settings and for reading reminders back (admin, CLI).
import type { Queryable } from '../../db/db.ts';
import { Conflict, Invalid } from '../../errors.ts';
import { createDestinationGuard, type DestinationGuard } from '../../net/destinationGuard.ts';
import { parseReminderSettings, reminderSettingsSchema, type OccasionName, type ReminderSettings } from './settings.ts';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface StoredReminderSettings {
  settings: ReminderSettings;
  /** 0 = never saved: the defaults. */
  version: number;
  webhook: WebhookTarget | null;
}

export async function loadReminderSettings(db: Queryable, shopId: string): Promise<StoredReminderSettings> {
  const { rows } = await db.query<{ settings: unknown; version: number; webhook_url: string | null; webhook_secret: string | null }>(
    'SELECT settings, version, webhook_url, webhook_secret FROM reminder_settings WHERE shop_id = $1',
    [shopId],
  );
  const r = rows[0];
  if (!r) return { settings: parseReminderSettings({}), version: 0, webhook: null };
  return {
    settings: parseReminderSettings(r.settings),
    version: r.version,
    webhook: r.webhook_url && r.webhook_secret ? { url: r.webhook_url, secret: r.webhook_secret } : null,
  };
}

export interface SettingsUpdate {
  settings: unknown;
  /** The version the editor started from; a stale one is refused (409) instead of overwriting. */
  expectedVersion?: number;
  /** undefined = keep; null = remove; a secret is required with a new url, else the old one is kept. */
  webhook?: { url: string; secret?: string } | null;
}

/**
 * `destinations` decides where a webhook may point (the operator's WEBHOOK_ALLOW_HOSTS); by default
 * only public addresses on ports 80 and 443.
 */
export async function saveReminderSettings(
  db: Queryable,
  shopId: string,
  u: SettingsUpdate,
  now: Date,
  destinations: Pick<DestinationGuard, 'check'> = createDestinationGuard({ allowHosts: [] }),
): Promise<StoredReminderSettings> {
  const parsed = reminderSettingsSchema.safeParse(u.settings ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: ['settings', ...i.path].join('.'), message: i.message }));
    throw new Invalid(`invalid settings: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, { fields });
  }
  const current = await loadReminderSettings(db, shopId);
  if (u.expectedVersion !== undefined && u.expectedVersion !== current.version) {
    throw new Conflict(`settings changed meanwhile (version ${current.version}); reload and retry`, { version: current.version });
  }
  let webhook = current.webhook;
  if (u.webhook === null) webhook = null;
  else if (u.webhook) {
    const verdict = destinations.check(u.webhook.url);
    if (!verdict.ok) {
      const message = `refused destination: ${verdict.reason} (a receiver inside the network must be allowed by the operator in WEBHOOK_ALLOW_HOSTS)`;
      throw new Invalid(`webhook.url: ${message}`, { fields: [{ path: 'webhook.url', message }] });
    }
    const secret = u.webhook.secret ?? (current.webhook?.url === u.webhook.url ? current.webhook.secret : undefined);
    if (!secret) throw new Invalid('webhook.secret is required with a new webhook url');
    webhook = { url: u.webhook.url, secret };
  }
  const { rows } = await db.query<{ version: number }>(
    `INSERT INTO reminder_settings (shop_id, settings, version, webhook_url, webhook_secret, updated_at)
     VALUES ($1, $2::jsonb, 1, $3, $4, $5)
     ON CONFLICT (shop_id) DO UPDATE SET settings = excluded.settings, version = reminder_settings.version + 1,
       webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at
     WHERE reminder_settings.version = $6
     RETURNING version`,
    [shopId, JSON.stringify(parsed.data), webhook?.url ?? null, webhook?.secret ?? null, now, current.version],
  );
  if (!rows[0]) throw new Conflict('settings changed meanwhile; reload and retry');
  return { settings: parsed.data, version: rows[0].version, webhook };
}

export interface ReminderView {
  id: number;
  shopperId: number;
  nickname: string;
  occasion: OccasionName;
  occurrenceKey: string;
  localDate: string;
  scheduledFor: Date;
  status: 'planned' | 'writing' | 'queued';
  message: string | null;
  writtenBy: string | null;
  couponId: number | null;
  deliveries: { outboxId: number; channel: string; state: string; attempts: number; lastError: string | null }[];
}

/** The reminders of a shop-local day, highest value first. */
export async function remindersOfDay(db: Queryable, shopId: string, date: string, limit: number): Promise<ReminderView[]> {
  const { rows } = await db.query<{
    id: number;
    shopper_id: number;
    nickname: string;
    occasion: OccasionName;
    occurrence_key: string;
    local_date: string;
    scheduled_for: Date;
    status: ReminderView['status'];
    message: string | null;
    written_by: string | null;
    coupon_id: number | null;
    deliveries: ReminderView['deliveries'] | null;
  }>(
    `SELECT r.id, r.shopper_id, s.nickname, r.occasion, r.occurrence_key, r.local_date, r.scheduled_for, r.status,
            r.message, r.written_by, r.coupon_id,
            (SELECT jsonb_agg(jsonb_build_object('outboxId', o.id, 'channel', o.channel, 'state', o.state,
                     'attempts', o.attempts, 'lastError', o.last_error) ORDER BY o.channel)
               FROM reminder_outbox o WHERE o.reminder_id = r.id) AS deliveries
       FROM (SELECT * FROM reminders WHERE shop_id = $1 AND local_date = $2::date
              ORDER BY value_rank DESC, id LIMIT $3) r
       JOIN shoppers s ON s.shop_id = r.shop_id AND s.id = r.shopper_id
      ORDER BY r.value_rank DESC, r.id`,
    [shopId, date, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    shopperId: r.shopper_id,
    nickname: r.nickname,
    occasion: r.occasion,
    occurrenceKey: r.occurrence_key,
    localDate: r.local_date,
    scheduledFor: r.scheduled_for,
    status: r.status,
    message: r.message,
    writtenBy: r.written_by,
    couponId: r.coupon_id,
    deliveries: r.deliveries ?? [],
  }));
}
