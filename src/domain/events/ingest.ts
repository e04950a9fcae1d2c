// A batch of events in: each validated on its own and applied in its own transaction, exactly once.
// The ingested_events row is the transaction's first write: a concurrent batch carrying the same id
// waits on that primary key and, once the first commits, finds it and reports a duplicate; if the
// first rolls back, the second applies it. A crash mid-event leaves nothing of it behind.
import type { Db } from '../../db/db.ts';
import type { Embedder } from '../../embed/embedder.ts';
import type { Logger } from '../../log.ts';
import { refreshProfileEmbedding } from '../lifecycle/profile.ts';
import { currentRules } from '../lifecycle/rules.ts';
import { getShop } from '../shops/repo.ts';
import { applyEvent, type Applied, type BatchContext } from './apply.ts';
import { EventRejected } from './rejected.ts';
import { parseEvent, type EventLimits, type ShopEvent } from './schemas.ts';

export interface IngestResult {
  accepted: string[];
  duplicate: string[];
  rejected: { id: string | null; index: number; reason: string }[];
}

export interface IngestDeps {
  db: Db;
  embedder: Embedder;
  log: Logger;
  now: Date;
  limits: EventLimits;
}

// Clocks of the mall and ours differ a little; an event from further ahead is a bad timestamp.
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
// Deadlock and serialisation failures are the database asking for a retry, not the event's fault.
// Concurrent batches paying orders of one referral tree lock the same referrers in different
// orders: under load a deadlock can repeat, so retries back off with jitter (10–20 ms, then doubling)
// to let the other transaction finish first.
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 6;
const BACKOFF_MS = 10;
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * 2 ** (attempt - 1) * (1 + Math.random())));

type Outcome = { status: 'accepted'; applied: Applied } | { status: 'duplicate' };

async function applyOnce(db: Db, shopId: string, ev: ShopEvent, ctx: BatchContext): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(
      `INSERT INTO ingested_events (shop_id, event_id, kind, occurred_at, received_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (shop_id, event_id) DO NOTHING RETURNING 1`,
      [shopId, ev.id, ev.type, ev.occurredAt, ctx.now],
    );
    if (rows.length === 0) return { status: 'duplicate' } as const;
    const applied = await applyEvent(tx, shopId, ev, ctx);
    await tx.query('UPDATE ingested_events SET result = $3 WHERE shop_id = $1 AND event_id = $2', [
      shopId,
      ev.id,
      JSON.stringify(applied.effects),
    ]);
    return { status: 'accepted', applied } as const;
  });
}

async function applyWithRetry(db: Db, shopId: string, ev: ShopEvent, ctx: BatchContext): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyOnce(db, shopId, ev, ctx);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw e;
      await pause(attempt);
    }
  }
}

/** Applies a batch in order (an order's created before its paid); the shop comes from the caller's credentials. */
export async function ingestEvents(deps: IngestDeps, shopId: string, raw: readonly unknown[]): Promise<IngestResult> {
  const { db, log, now } = deps;
  const shop = await getShop(db, shopId);
  const ctx: BatchContext = { now, rules: await currentRules(db, shopId), settings: shop.settings };
  const result: IngestResult = { accepted: [], duplicate: [], rejected: [] };
  const profiles = new Set<number>();
  for (const [index, item] of raw.entries()) {
    const parsed = parseEvent(item, deps.limits);
    if (!parsed.ok) {
      result.rejected.push({ id: parsed.id, index, reason: parsed.reason });
      continue;
    }
    const ev = parsed.event;
    if (ev.occurredAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      result.rejected.push({ id: ev.id, index, reason: `occurredAt ${ev.occurredAt.toISOString()} is in the future` });
      continue;
    }
    try {
      const outcome = await applyWithRetry(db, shopId, ev, ctx);
      if (outcome.status === 'duplicate') result.duplicate.push(ev.id);
      else {
        result.accepted.push(ev.id);
        for (const id of outcome.applied.profilesChanged) profiles.add(id);
      }
    } catch (e) {
      if (e instanceof EventRejected) {
        result.rejected.push({ id: ev.id, index, reason: e.reason });
        continue;
      }
      log.error('event failed', { shopId, eventId: ev.id, type: ev.type, err: e as Error });
      result.rejected.push({ id: ev.id, index, reason: 'could not be applied now; send it again later' });
    }
  }
  await refreshProfiles(deps, shopId, profiles);
  return result;
}

/** Profile vectors after the events committed: best effort, an embedder failure only logs. */
async function refreshProfiles(deps: IngestDeps, shopId: string, shopperIds: ReadonlySet<number>): Promise<void> {
  for (const id of shopperIds) {
    try {
      await refreshProfileEmbedding(deps.db, deps.embedder, shopId, id, deps.now);
    } catch (e) {
      deps.log.warn('profile embedding not refreshed', { shopId, shopperId: id, err: e as Error });
    }
  }
}
