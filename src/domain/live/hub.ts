// The per-process hub: LISTENs once on the live channel and wakes the SSE handlers whose reader can
// see the event. Handlers read the events themselves (eventsAfter), so a wake-up carries no data and
// a replica that missed nothing but a NOTIFY loses nothing. Created at start-up, passed in deps.
import type { Db } from '../../db/db.ts';
import type { Logger } from '../../log.ts';
import { canSee, currentSchema, LIVE_CHANNEL, newestEventId, parseWake, wakesAfter, type LiveReader, type LiveWake } from './events.ts';

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
// Catching up after a lost LISTEN connection: read in pages, and retry a failed read after a pause.
const CATCH_UP_PAGE = 500;
const CATCH_UP_RETRY_MS = 1_000;

export function createLiveHub(deps: { db: Db; log: Logger }): LiveHub {
  const waiters = new Set<Waiter>();
  const recent = new Map<string, LiveWake[]>();
  let schema = '';
  let unlisten: (() => Promise<void>) | null = null;
  let stopped = false;
  // The newest id announced in our schema: after a reconnect, everything past it is re-announced.
  let lastSeen = 0;
  let catchingUp: Promise<void> | null = null;
  let resumeAgain = false;
  let retry: NodeJS.Timeout | undefined;

  function remember(w: LiveWake) {
    const list = recent.get(w.shopId) ?? [];
    list.push(w);
    if (list.length > RECENT_PER_SHOP) list.shift();
    recent.set(w.shopId, list);
  }

  function announce(wake: LiveWake) {
    lastSeen = Math.max(lastSeen, wake.id);
    remember(wake);
    for (const w of waiters) if (wake.id > w.afterId && canSee(w.reader, wake)) w.done({ outcome: 'event', upTo: wake.id });
  }

  function onNotify(payload: string) {
    const wake = parseWake(payload);
    // Channels are database-wide: another schema's events (another deployment, another test) are not ours.
    if (!wake || wake.schema !== schema) return;
    announce(wake);
  }

  /** The LISTEN connection came back: the events committed while it was away had no NOTIFY for us. */
  async function catchUp(): Promise<void> {
    for (;;) {
      const wakes = await wakesAfter(deps.db, lastSeen, CATCH_UP_PAGE);
      for (const w of wakes) announce(w);
      if (wakes.length < CATCH_UP_PAGE || stopped) return;
    }
  }

  function onResume() {
    if (stopped) return;
    // Lost again while still reading: read once more when this read ends, from where it got to.
    if (catchingUp) {
      resumeAgain = true;
      return;
    }
    deps.log.warn('live hub reconnected; catching up from live_events', { after: lastSeen });
    catchingUp = catchUp()
      .catch((e: unknown) => {
        deps.log.warn('live hub catch-up failed; retrying', { err: e as Error });
        clearTimeout(retry);
        retry = setTimeout(onResume, CATCH_UP_RETRY_MS);
      })
      .finally(() => {
        catchingUp = null;
        if (resumeAgain) {
          resumeAgain = false;
          onResume();
        }
      });
  }

  return {
    async start() {
      stopped = false;
      schema = await currentSchema(deps.db);
      unlisten = await deps.db.listen(LIVE_CHANNEL, onNotify, onResume);
      // Read after LISTEN: an event in between is both counted here and announced by its NOTIFY.
      lastSeen = Math.max(lastSeen, await newestEventId(deps.db));
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
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
