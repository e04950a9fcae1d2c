// The per-process hub: LISTENs once on the live channel and wakes the SSE handlers whose reader can
// see the event. Handlers read the events themselves (eventsAfter), so a wake-up carries no data and
// a replica that missed nothing but a NOTIFY loses nothing. Created at start-up, passed in deps.
import type { Db } from '../../db/db.ts';
import type { Logger } from '../../log.ts';
import { canSee, currentSchema, LIVE_CHANNEL, parseWake, type LiveReader, type LiveWake } from './events.ts';

/**
 * Why a wait ended. `upTo` is the newest announced id the reader can see: the caller waits after it
 * next time, so an announcement its read could not find (it never loops on the same one twice).
 */
export type WaitResult = { outcome: 'event'; upTo: number } | { outcome: 'timeout' | 'closed' };

export interface LiveHub {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Resolves when an event after `afterId` that the reader can see has been announced, after
   * `timeoutMs` (time for a keep-alive), or when the hub stops or `signal` aborts.
   */
  wait(reader: LiveReader, afterId: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<WaitResult>;
}

interface Waiter {
  reader: LiveReader;
  afterId: number;
  done(result: WaitResult): void;
}

// Wakes remembered per shop, so that one announced between a handler's read and its wait() still counts.
const RECENT_PER_SHOP = 256;

export function createLiveHub(deps: { db: Db; log: Logger }): LiveHub {
  const waiters = new Set<Waiter>();
  const recent = new Map<string, LiveWake[]>();
  let schema = '';
  let unlisten: (() => Promise<void>) | null = null;
  let stopped = false;

  function remember(w: LiveWake) {
    const list = recent.get(w.shopId) ?? [];
    list.push(w);
    if (list.length > RECENT_PER_SHOP) list.shift();
    recent.set(w.shopId, list);
  }

  function onNotify(payload: string) {
    const wake = parseWake(payload);
    // Channels are database-wide: another schema's events (another deployment, another test) are not ours.
    if (!wake || wake.schema !== schema) return;
    remember(wake);
    for (const w of waiters) if (wake.id > w.afterId && canSee(w.reader, wake)) w.done({ outcome: 'event', upTo: wake.id });
  }

  return {
    async start() {
      stopped = false;
      schema = await currentSchema(deps.db);
      unlisten = await deps.db.listen(LIVE_CHANNEL, onNotify);
    },
    async stop() {
      stopped = true;
      for (const w of waiters) w.done({ outcome: 'closed' });
      const u = unlisten;
      unlisten = null;
      await u?.().catch((e: unknown) => deps.log.warn('live hub unlisten failed', { err: e as Error }));
    },
    wait(reader, afterId, { timeoutMs, signal }) {
      if (stopped || signal?.aborted) return Promise.resolve({ outcome: 'closed' });
      const seen = (recent.get(reader.shopId) ?? []).filter((w) => w.id > afterId && canSee(reader, w));
      if (seen.length) return Promise.resolve({ outcome: 'event', upTo: Math.max(...seen.map((w) => w.id)) });
      return new Promise<WaitResult>((resolve) => {
        const waiter: Waiter = {
          reader,
          afterId,
          done(result) {
            waiters.delete(waiter);
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolve(result);
          },
        };
        const onAbort = () => waiter.done({ outcome: 'closed' });
        const timer = setTimeout(() => waiter.done({ outcome: 'timeout' }), timeoutMs);
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.add(waiter);
      });
    },
  };
}
