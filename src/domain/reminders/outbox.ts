// The outbox worker: claims due deliveries with FOR UPDATE SKIP LOCKED and a lease (claimed_until),
// so several replicas share the load and a worker that dies after claiming loses nothing — its rows
// are due again when the lease runs out. In-card delivery and the 'sent' mark are one transaction
// (never twice); a webhook carries its delivery id for the receiver to dedupe. Failures retry with
// exponential backoff and go to 'dead' after the shop's maxAttempts (docs/domain.md §8 Reminders); what
// a retry cannot change (a 4xx, a destination the guard refuses) goes to 'dead' at once. Re-drive
// moves a dead row back to pending.
import type { Clock } from '../../context.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { Conflict, NotFound } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { createDestinationGuard, type DestinationGuard } from '../../net/destinationGuard.ts';
import { findShop } from '../shops/repo.ts';
import { mapLimit } from './concurrency.ts';
import { deliverInCard } from './inCard.ts';
import { loadReminderSettings, type StoredReminderSettings } from './repo.ts';
import type { OccasionName } from './settings.ts';
import { inQuietHours, localClock, outOfQuietHours } from './time.ts';
import { postWebhook } from './webhook.ts';

export type Channel = 'in_card' | 'webhook';
export type DeliveryState = 'pending' | 'sent' | 'failed' | 'dead' | 'cancelled';

export interface OutboxDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Where webhooks may go (WEBHOOK_ALLOW_HOSTS); without one, only public addresses on 80 and 443. */
  webhookGuard?: DestinationGuard;
}

export interface WorkerOptions {
  workerId: string;
  batchSize?: number;
  /** How long a claim is exclusive; must exceed a webhook's timeout. */
  leaseMs?: number;
  webhookTimeoutMs?: number;
  concurrency?: number;
}

export interface ClaimedDelivery {
  id: number;
  shopId: string;
  reminderId: number;
  channel: Channel;
  payload: Record<string, unknown>;
  attempts: number;
}

export const DEFAULT_LEASE_MS = 60_000;

/** Claims up to `limit` due deliveries for `workerId`; each claim counts as an attempt. */
export async function claimDue(db: Queryable, workerId: string, now: Date, limit: number, leaseMs = DEFAULT_LEASE_MS): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<{ id: number; shop_id: string; reminder_id: number; channel: Channel; payload: Record<string, unknown>; attempts: number }>(
    `UPDATE reminder_outbox o
        SET claimed_by = $1, claimed_until = $3, attempts = o.attempts + 1, updated_at = $2
       FROM (SELECT id FROM reminder_outbox
              WHERE state IN ('pending', 'failed') AND next_attempt_at <= $2
                AND (claimed_until IS NULL OR claimed_until <= $2)
              ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) due
      WHERE o.id = due.id
      RETURNING o.id, o.shop_id, o.reminder_id, o.channel, o.payload, o.attempts`,
    [workerId, now, new Date(now.getTime() + leaseMs), limit],
  );
  return rows
    .map((r) => ({ id: r.id, shopId: r.shop_id, reminderId: r.reminder_id, channel: r.channel, payload: r.payload, attempts: r.attempts }))
    .sort((a, b) => a.id - b.id);
}

export type Outcome = 'sent' | 'failed' | 'dead' | 'cancelled' | 'deferred' | 'lost';

interface Target {
  shopperId: number;
  occasion: OccasionName;
  optedOut: boolean;
}

async function target(db: Queryable, d: ClaimedDelivery): Promise<Target | null> {
  const { rows } = await db.query<{ shopper_id: number; occasion: OccasionName; opted_out: boolean }>(
    `SELECT r.shopper_id, r.occasion,
            (s.consent->'marketing' = 'false'::jsonb OR s.consent->'reminders'->r.occasion = 'false'::jsonb
              OR s.consent->'reminders'->'all' = 'false'::jsonb
              OR EXISTS (SELECT 1 FROM reminder_preferences p
                          WHERE p.shop_id = r.shop_id AND p.shopper_id = r.shopper_id AND p.occasion = r.occasion
                            AND NOT p.enabled)) AS opted_out
       FROM reminders r JOIN shoppers s ON s.shop_id = r.shop_id AND s.id = r.shopper_id
      WHERE r.id = $1 AND r.shop_id = $2`,
    [d.reminderId, d.shopId],
  );
  const r = rows[0];
  return r ? { shopperId: r.shopper_id, occasion: r.occasion, optedOut: r.opted_out === true } : null;
}

/** Ends a claim with a new state; false when the claim was lost (another worker took the row). */
async function settle(db: Queryable, d: ClaimedDelivery, workerId: string, now: Date, set: string, params: unknown[]): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE reminder_outbox SET ${set}, claimed_by = NULL, claimed_until = NULL, updated_at = $3
      WHERE id = $1 AND claimed_by = $2 AND state IN ('pending', 'failed')`,
    [d.id, workerId, now, ...params],
  );
  return rowCount > 0;
}

export function backoffMs(attempts: number, s: StoredReminderSettings['settings']['outbox']): number {
  return Math.min(s.backoffBaseSeconds * 2 ** Math.max(0, attempts - 1), s.backoffMaxSeconds) * 1000;
}

async function fail(db: Queryable, d: ClaimedDelivery, workerId: string, now: Date, error: string, retryable: boolean, cfg: ShopCfg): Promise<Outcome> {
  const s = cfg.stored.settings;
  if (!retryable || d.attempts >= s.outbox.maxAttempts) {
    return (await settle(db, d, workerId, now, `state = 'dead', last_error = $4`, [error])) ? 'dead' : 'lost';
  }
  const next = outOfQuietHours(new Date(now.getTime() + backoffMs(d.attempts, s.outbox)), cfg.timezone, s.quietHours);
  return (await settle(db, d, workerId, now, `state = 'failed', last_error = $4, next_attempt_at = $5`, [error, next])) ? 'failed' : 'lost';
}

export interface ShopCfg {
  timezone: string;
  stored: StoredReminderSettings;
}

export async function loadShopCfg(db: Queryable, shopId: string): Promise<ShopCfg | null> {
  const shop = await findShop(db, shopId);
  return shop ? { timezone: shop.timezone, stored: await loadReminderSettings(db, shopId) } : null;
}

/** Delivers one claimed row and records the outcome. */
export async function deliver(deps: OutboxDeps, d: ClaimedDelivery, o: WorkerOptions, shopCfg?: ShopCfg): Promise<Outcome> {
  const { db } = deps;
  const cfg = shopCfg ?? (await loadShopCfg(db, d.shopId));
  if (!cfg) return 'lost';
  const now = deps.clock.now();
  const t = await target(db, d);
  // The shopper was erased meanwhile: the row went with them (shoppers/erasure.ts), nothing to record.
  if (!t) return 'lost';
  if (t.optedOut) return (await settle(db, d, o.workerId, now, `state = 'cancelled', last_error = 'opted out'`, [])) ? 'cancelled' : 'lost';
  const quiet = cfg.stored.settings.quietHours;
  if (inQuietHours(localClock(now, cfg.timezone).minutes, quiet)) {
    // Quiet hours (docs/domain.md §8 Reminders): moved to their end; this claim does not count as an attempt.
    const at = outOfQuietHours(now, cfg.timezone, quiet);
    return (await settle(db, d, o.workerId, now, `attempts = attempts - 1, next_attempt_at = $4`, [at])) ? 'deferred' : 'lost';
  }
  const content = String(d.payload.content ?? d.payload.message ?? '');
  if (d.channel === 'in_card') {
    try {
      return await db.transaction(async (tx) => {
        const { rows } = await tx.query(
          `SELECT id FROM reminder_outbox WHERE id = $1 AND claimed_by = $2 AND state IN ('pending', 'failed') FOR UPDATE`,
          [d.id, o.workerId],
        );
        if (!rows[0]) return 'lost' as const;
        const where = await deliverInCard(tx, { shopId: d.shopId, shopperId: t.shopperId, reminderId: d.reminderId, outboxId: d.id, occasion: t.occasion, content });
        await settle(tx, d, o.workerId, now, `state = 'sent', sent_at = $3, last_error = NULL, result = $4::jsonb`, [JSON.stringify(where)]);
        return 'sent' as const;
      });
    } catch (e) {
      return fail(db, d, o.workerId, now, `${(e as Error).message}`.slice(0, 300), true, cfg);
    }
  }
  const hook = cfg.stored.webhook;
  if (!hook) return fail(db, d, o.workerId, now, 'no webhook configured', false, cfg);
  const guard = deps.webhookGuard ?? createDestinationGuard({ allowHosts: [] });
  let r: Awaited<ReturnType<typeof postWebhook>>;
  try {
    r = await postWebhook({
      url: hook.url,
      secret: hook.secret,
      deliveryId: String(d.id),
      payload: d.payload,
      sentAt: now,
      timeoutMs: o.webhookTimeoutMs,
      fetch: guard.fetch,
    });
  } finally {
    if (!deps.webhookGuard) await guard.close();
  }
  if (r.ok) {
    const ok = await settle(db, d, o.workerId, deps.clock.now(), `state = 'sent', sent_at = $3, last_error = NULL, result = $4::jsonb`, [
      JSON.stringify({ status: r.status }),
    ]);
    return ok ? 'sent' : 'lost';
  }
  return fail(db, d, o.workerId, deps.clock.now(), r.error, r.retryable, cfg);
}

export type WorkerReport = Record<Outcome, number> & { claimed: number };

/** One pass of the worker: claim a batch of due deliveries and deliver them. */
export async function runOutboxOnce(deps: OutboxDeps, o: WorkerOptions): Promise<WorkerReport> {
  const claimed = await claimDue(deps.db, o.workerId, deps.clock.now(), o.batchSize ?? 50, o.leaseMs ?? DEFAULT_LEASE_MS);
  const report: WorkerReport = { claimed: claimed.length, sent: 0, failed: 0, dead: 0, cancelled: 0, deferred: 0, lost: 0 };
  const shops = new Map<string, Promise<ShopCfg | null>>();
  const cfgOf = (shopId: string) => {
    let p = shops.get(shopId);
    if (!p) {
      p = loadShopCfg(deps.db, shopId);
      shops.set(shopId, p);
    }
    return p;
  };
  const outcomes = await mapLimit(claimed, o.concurrency ?? 4, async (d) => {
    const cfg = await cfgOf(d.shopId);
    if (!cfg) return 'lost' as const;
    try {
      return await deliver(deps, d, o, cfg);
    } catch (e) {
      deps.log.error('reminder delivery crashed', { outboxId: d.id, err: e as Error });
      return 'lost' as const;
    }
  });
  for (const x of outcomes) report[x]++;
  return report;
}

/** Moves a dead delivery of the shop back to pending, with a fresh set of attempts. */
export async function redrive(db: Queryable, shopId: string, outboxId: number, now: Date): Promise<void> {
  const { rows } = await db.query<{ state: DeliveryState }>('SELECT state FROM reminder_outbox WHERE id = $1 AND shop_id = $2', [outboxId, shopId]);
  if (!rows[0]) throw new NotFound('delivery');
  const { rowCount } = await db.query(
    `UPDATE reminder_outbox SET state = 'pending', attempts = 0, next_attempt_at = $3, claimed_by = NULL,
            claimed_until = NULL, updated_at = $3
      WHERE id = $1 AND shop_id = $2 AND state = 'dead'`,
    [outboxId, shopId, now],
  );
  if (rowCount === 0) throw new Conflict(`only a dead delivery can be re-driven (this one is ${rows[0].state})`);
}

export interface DeliveryView {
  id: number;
  reminderId: number;
  channel: Channel;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  sentAt: Date | null;
}

export async function listDeliveries(db: Queryable, shopId: string, state: DeliveryState | undefined, limit: number): Promise<DeliveryView[]> {
  const { rows } = await db.query<{
    id: number;
    reminder_id: number;
    channel: Channel;
    state: DeliveryState;
    attempts: number;
    next_attempt_at: Date;
    last_error: string | null;
    sent_at: Date | null;
  }>(
    `SELECT id, reminder_id, channel, state, attempts, next_attempt_at, last_error, sent_at FROM reminder_outbox
      WHERE shop_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY id DESC LIMIT $3`,
    [shopId, state ?? null, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    reminderId: r.reminder_id,
    channel: r.channel,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    sentAt: r.sent_at,
  }));
}
