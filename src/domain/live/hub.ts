// The per-process hub: LISTENs once on the live channel and wakes the SSE handlers whose reader can
// see the event. A wake-up carries no data: the handlers then read the events through the hub
// (read()), which serves all of a shop's handlers woken together from one statement and filters the
// rows per reader in memory, so an event costs one read per shop, not one per open stream. A replica
// that missed nothing but a NOTIFY loses nothing. Created at start-up, passed in deps.
import type { Db } from '../../db/db.ts';
import type { Logger } from '../../log.ts';
import {
  canSee,
  currentSchema,
  eventsAfter,
  LIVE_CHANNEL,
  newestEventId,
  parseWake,
  wakesAfter,
  type LiveEvent,
  type LiveReader,
  type LiveWake,
} from './events.ts';

/**
 * Why a wait ended. `upTo` is the newest announced id the reader can see: the caller waits after it
 * next time, so an announcement its read could not find (it never loops on the same one twice).
 */
export type WaitResult = { outcome: 'event'; upTo: number } | { outcome: 'timeout' | 'closed' };

/** What a read found for one reader: its events after the id asked for, oldest first. */
export interface LivePage {
  events: LiveEvent[];
  /** Every event of the shop up to this id has been looked at: the reader's next read starts here. */
  through: number;
  /** The read stopped at its page size: read again at once from `through`. */
  more: boolean;
}

export interface LiveHub {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Resolves when an event after `afterId` that the reader can see has been announced, after
   * `timeoutMs` (time for a keep-alive), or when the hub stops or `signal` aborts.
   */
  wait(reader: LiveReader, afterId: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<WaitResult>;
  /**
   * The reader's events after `afterId`. Reads asked for in the same turn of the event loop for one
   * shop (every handler an event woke) share one statement; a shop has one read in flight at a time.
   */
  read(reader: LiveReader, afterId: number): Promise<LivePage>;
}

interface ReadRequest {
  reader: LiveReader;
  afterId: number;
  resolve(page: LivePage): void;
  reject(err: unknown): void;
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
// Rows of one shared read: a burst larger than this is served in several pages.
const READ_PAGE = 200;

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
  // Per shop: the reads waiting for the next statement, and the shops with one in flight.
  const queuedReads = new Map<string, ReadRequest[]>();
  const reading = new Set<string>();

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

  /**
   * Serves a shop's queued reads: one statement from the oldest id any of them asks for. A page that
   * comes back full covers only up to its last row: the reads already past it go round again.
   */
  async function serveReads(shopId: string, requests: ReadRequest[]): Promise<void> {
    let open = requests;
    while (open.length) {
      const from = open.reduce((min, r) => Math.min(min, r.afterId), Infinity);
      let rows: LiveEvent[];
      try {
        // A staff reader sees every event of the shop: the rows every reader is filtered from.
        rows = await eventsAfter(deps.db, { shopId, role: 'staff' }, from, READ_PAGE);
      } catch (e) {
        for (const r of open) r.reject(e);
        return;
      }
      const more = rows.length === READ_PAGE;
      const last = rows.at(-1)?.id ?? from;
      const next: ReadRequest[] = [];
      for (const r of open) {
        if (more && r.afterId >= last) next.push(r);
        else r.resolve({ events: rows.filter((e) => e.id > r.afterId && canSee(r.reader, e)), through: Math.max(r.afterId, last), more });
      }
      open = next;
    }
  }

  function flushReads(shopId: string) {
    const requests = queuedReads.get(shopId);
    queuedReads.delete(shopId);
    if (!requests) return;
    reading.add(shopId);
    void serveReads(shopId, requests).finally(() => {
      reading.delete(shopId);
      // Asked for while the statement ran: their turn now, together.
      if (queuedReads.has(shopId)) setImmediate(flushReads, shopId);
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
    read(reader, afterId) {
      return new Promise<LivePage>((resolve, reject) => {
        const queued = queuedReads.get(reader.shopId);
        if (queued) {
          queued.push({ reader, afterId, resolve, reject });
          return;
        }
        queuedReads.set(reader.shopId, [{ reader, afterId, resolve, reject }]);
        // After this turn's microtasks: every handler one NOTIFY woke has asked by then.
        if (!reading.has(reader.shopId)) setImmediate(flushReads, reader.shopId);
      });
    },
  };
}
