// The per-process hub: LISTENs once on the live channel and wakes the SSE handlers whose reader can
// see the event. Handlers read the events themselves (eventsAfter), so a wake-up carries no data and
// a replica that missed nothing but a NOTIFY loses nothing. Created at start-up, passed in deps.
import type { Db } from '../../db/db.ts';
import type { Logger } from '../../log.ts';
import { canSee, LIVE_CHANNEL, parseWake, type LiveReader, type LiveWake } from './events.ts';

export type WaitOutcome = 'event' | 'timeout' | 'closed';

export interface LiveHub {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Resolves when an event after `afterId` that the reader can see has been announced, after
   * `timeoutMs` (time for a keep-alive), or when the hub stops or `signal` aborts.
   */
  wait(reader: LiveReader, afterId: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<WaitOutcome>;
}

interface Waiter {
  reader: LiveReader;
  afterId: number;
  done(outcome: WaitOutcome): void;
}

// Wakes remembered per shop, so that one announced between a handler's read and its wait() still counts.
const RECENT_PER_SHOP = 256;

export function createLiveHub(deps: { db: Db; log: Logger }): LiveHub {
  const waiters = new Set<Waiter>();
  const recent = new Map<string, LiveWake[]>();
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
    if (!wake) return;
    remember(wake);
    for (const w of waiters) if (wake.id > w.afterId && canSee(w.reader, wake)) w.done('event');
  }

  return {
    async start() {
      stopped = false;
      unlisten = await deps.db.listen(LIVE_CHANNEL, onNotify);
    },
    async stop() {
      stopped = true;
      for (const w of waiters) w.done('closed');
      const u = unlisten;
      unlisten = null;
      await u?.().catch((e: unknown) => deps.log.warn('live hub unlisten failed', { err: e as Error }));
    },
    wait(reader, afterId, { timeoutMs, signal }) {
      if (stopped || signal?.aborted) return Promise.resolve('closed');
      if ((recent.get(reader.shopId) ?? []).some((w) => w.id > afterId && canSee(reader, w))) return Promise.resolve('event');
      return new Promise<WaitOutcome>((resolve) => {
        const waiter: Waiter = {
          reader,
          afterId,
          done(outcome) {
            waiters.delete(waiter);
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolve(outcome);
          },
        };
        const onAbort = () => waiter.done('closed');
        const timer = setTimeout(() => waiter.done('timeout'), timeoutMs);
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.add(waiter);
      });
    },
  };
}
