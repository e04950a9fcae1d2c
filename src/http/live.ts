// GET /v1/live: server-sent events for the pages. A shopper sees their own conversations' events, a
// staff member their shop's. Each event carries its id: a reconnecting client sends Last-Event-ID
// (EventSource does so by itself) and gets what it missed from the table, on whichever replica it
// reaches. Between events the handler awaits the hub (one LISTEN per process), never a timer loop.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Db } from '../db/db.ts';
import { eventsAfter, latestEventId, type LiveReader } from '../domain/live/events.ts';
import type { LiveHub } from '../domain/live/hub.ts';
import { resolveShopperCaller } from '../domain/shoppers/repo.ts';
import { Unauthorized } from '../errors.ts';
import type { Logger } from '../log.ts';

const BATCH = 200;
// A comment line this often keeps proxies from closing an idle stream.
const KEEP_ALIVE_MS = 20_000;
// How soon EventSource reconnects after the stream drops (a restart, a deploy).
const RETRY_MS = 1000;

export interface LiveDeps {
  db: Db;
  tokens: TokenIssuer;
  live: LiveHub;
  log: Logger;
}

function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

function cursorOf(raw: string | undefined): number | null {
  return raw && /^\d{1,18}$/.test(raw) ? Number(raw) : null;
}

export function liveRoutes(deps: LiveDeps) {
  const app = new Hono();

  app.get('/v1/live', async (c) => {
    // EventSource cannot set headers, so the page passes its token in the query string.
    const token = bearer(c.req.header('authorization')) ?? c.req.query('token');
    if (!token) throw new Unauthorized('missing bearer token');
    const caller = await deps.tokens.verify(token);
    let reader: LiveReader;
    if (caller.role === 'shopper') {
      const shopper = await resolveShopperCaller(deps.db, caller.shopId, caller.userId);
      if (!shopper) throw new Unauthorized('unknown shopper');
      reader = { shopId: caller.shopId, role: 'shopper', shopperId: shopper.shopperId };
    } else {
      reader = { shopId: caller.shopId, role: 'staff' };
    }
    const resumed = cursorOf(c.req.header('last-event-id')) ?? cursorOf(c.req.query('lastEventId'));
    let cursor = resumed ?? (await latestEventId(deps.db, reader.shopId));

    return streamSSE(
      c,
      async (stream) => {
        const closed = new AbortController();
        stream.onAbort(() => closed.abort());
        // The id makes even a client that saw no event yet resume from here after a drop.
        await stream.writeSSE({ event: 'ready', id: String(cursor), retry: RETRY_MS, data: JSON.stringify({ cursor }) });
        // Announcements already acted on: never waited for twice, even one the read did not return.
        let announced = cursor;
        try {
          while (!closed.signal.aborted) {
            const events = await eventsAfter(deps.db, reader, cursor, BATCH);
            for (const e of events) {
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
              cursor = e.id;
            }
            if (events.length === BATCH) continue;
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
        }
      },
    );
  });

  return app;
}
