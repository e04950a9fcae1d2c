// GET /v1/live: server-sent events for the pages. A shopper sees their own conversations' events, a
// staff member their shop's. Each event carries its id: a reconnecting client sends Last-Event-ID
// (EventSource does so by itself) and gets what it missed from the table, on whichever replica it
// reaches. Between events the handler awaits the hub (one LISTEN per process), never a timer loop,
// and reads through it (one statement for all of a shop's streams). Each token subject and each
// shop may hold only so many streams at once (liveSlots.ts).
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { TokenIssuer } from '../auth/tokens.ts';
import { LIVE_STREAM_DEFAULTS, type Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { eventsAfter, latestEventId, type LiveReader } from '../domain/live/events.ts';
import type { LiveHub, LivePage } from '../domain/live/hub.ts';
import { resolveShopperCaller } from '../domain/shoppers/repo.ts';
import { Unauthorized } from '../errors.ts';
import type { Logger } from '../log.ts';
import { errorBody } from './errors.ts';
import { liveSlots } from './liveSlots.ts';

const BATCH = 200;
// A comment line this often keeps proxies from closing an idle stream.
const KEEP_ALIVE_MS = 20_000;
// How soon EventSource reconnects after the stream drops (a restart, a deploy).
const RETRY_MS = 1000;
// When to try again after a 429: streams end when pages close, there is no refill to wait for.
const FULL_RETRY_AFTER_S = 30;

export interface LiveDeps {
  db: Db;
  tokens: TokenIssuer;
  live: LiveHub;
  log: Logger;
  config?: Partial<Pick<Config, 'LIVE_STREAMS_PER_USER' | 'LIVE_STREAMS_PER_SHOP'>>;
}

function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

function cursorOf(raw: string | undefined): number | null {
  return raw && /^\d{1,18}$/.test(raw) ? Number(raw) : null;
}

/**
 * The reader's own events, filtered in SQL: a resumed stream catching up alone. `head` is the shop's
 * newest id read before: once the reader's events run out, it has looked at everything up to there.
 */
async function ownPage(db: Db, reader: LiveReader, afterId: number, head: number): Promise<LivePage> {
  const events = await eventsAfter(db, reader, afterId, BATCH);
  const last = events.at(-1)?.id ?? afterId;
  const more = events.length === BATCH;
  return { events, through: more ? last : Math.max(last, head), more };
}

export function liveRoutes(deps: LiveDeps) {
  const app = new Hono();
  const limits = { ...LIVE_STREAM_DEFAULTS, ...deps.config };
  const slots = liveSlots({ perSubject: limits.LIVE_STREAMS_PER_USER, perShop: limits.LIVE_STREAMS_PER_SHOP });

  app.get('/v1/live', async (c) => {
    // EventSource cannot set headers, so the page passes its token in the query string.
    const token = bearer(c.req.header('authorization')) ?? c.req.query('token');
    if (!token) throw new Unauthorized('missing bearer token');
    const caller = await deps.tokens.verify(token);
    let reader: LiveReader;
    let subject: string;
    if (caller.role === 'shopper') {
      const shopper = await resolveShopperCaller(deps.db, caller);
      if (!shopper) throw new Unauthorized('unknown shopper');
      reader = { shopId: caller.shopId, role: 'shopper', shopperId: shopper.shopperId };
      subject = `shopper:${shopper.shopperId}`;
    } else {
      reader = { shopId: caller.shopId, role: 'staff' };
      subject = `${caller.role}:${caller.staffId}`;
    }
    const slot = slots.take(reader.shopId, subject);
    if (!slot.ok) {
      const who = slot.full === 'subject' ? `this ${caller.role === 'shopper' ? 'shopper' : 'staff member'}` : 'this shop';
      c.header('Retry-After', String(FULL_RETRY_AFTER_S));
      return c.json(errorBody('rate_limited', `too many live streams open for ${who}; close one, or retry in ${FULL_RETRY_AFTER_S} s`), 429);
    }
    const resumed = cursorOf(c.req.header('last-event-id')) ?? cursorOf(c.req.query('lastEventId'));
    let head: number;
    try {
      head = await latestEventId(deps.db, reader.shopId);
    } catch (err) {
      slot.release();
      throw err;
    }
    let cursor = resumed ?? head;

    return streamSSE(
      c,
      async (stream) => {
        const closed = new AbortController();
        stream.onAbort(() => closed.abort());
        // Announcements already acted on: never waited for twice, even one the read did not return.
        let announced = cursor;
        // A resumed stream first catches up on its own (a shopper's few events among the shop's many);
        // once caught up, it reads with the shop's other streams.
        let catchingUp = resumed !== null;
        try {
          // The id makes even a client that saw no event yet resume from here after a drop.
          await stream.writeSSE({ event: 'ready', id: String(cursor), retry: RETRY_MS, data: JSON.stringify({ cursor }) });
          while (!closed.signal.aborted) {
            const page = catchingUp ? await ownPage(deps.db, reader, cursor, head) : await deps.live.read(reader, cursor);
            for (const e of page.events) {
              await stream.writeSSE({
                id: String(e.id),
                event: e.kind,
                data: JSON.stringify({
                  id: e.id,
                  kind: e.kind,
                  conversationId: e.conversationId,
                  ticketId: e.ticketId,
                  payload: e.payload,
                  createdAt: e.createdAt.toISOString(),
                }),
              });
            }
            cursor = Math.max(cursor, page.through);
            if (page.more) continue;
            catchingUp = false;
            announced = Math.max(announced, cursor);
            const woke = await deps.live.wait(reader, announced, { timeoutMs: KEEP_ALIVE_MS, signal: closed.signal });
            if (woke.outcome === 'closed') break;
            if (woke.outcome === 'event') announced = woke.upTo;
            else await stream.write(': keep-alive\n\n');
          }
        } catch (err) {
          // A client gone, or the database away or closing at shutdown: the client reconnects and
          // resumes from its last id. Caught here because hono's own handler would send the raw
          // error text to the page.
          deps.log.warn('live stream ended', { err: err as Error });
          if (!closed.signal.aborted) {
            await stream
              .writeSSE({ event: 'error', data: JSON.stringify({ error: { code: 'unavailable', message: 'live updates interrupted; reconnecting' } }) })
              .catch(() => {});
          }
        } finally {
          slot.release();
        }
      },
    );
  });

  return app;
}
