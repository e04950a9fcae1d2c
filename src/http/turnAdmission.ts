// How many chat turns run at once. When the offline model and the embedded database both run on the
// server's own thread, a turn in flight is CPU work waiting for that thread: letting 200 in at once
// makes none of them faster, keeps all their state alive for seconds (more garbage collection: 41
// turns/s against 50 with 8 at a time, in bench:load on PGlite) and hides from each turn how long
// the line is. Turns past the limit wait here, first come first served, holding nothing but their
// request; past the queue's bound the service says it is busy (503) instead of growing without end.
import type { MiddlewareHandler } from 'hono';
import { errorBody } from './errors.ts';

export interface TurnAdmissionOptions {
  /** Turns that run at once; 0 means no limit. */
  concurrency: number;
  /** Turns that may wait for a place; one more gets 503 at once. */
  queueMax: number;
  /** Seconds a refused shopper is told to wait before trying again (Retry-After). */
  retryAfterSeconds?: number;
}

export interface TurnAdmission {
  middleware: MiddlewareHandler;
  /** Turns running and waiting now. */
  stats(): { running: number; waiting: number };
}

export function createTurnAdmission({ concurrency, queueMax, retryAfterSeconds = 5 }: TurnAdmissionOptions): TurnAdmission {
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finished turn hands its place straight to the first in line, so nobody overtakes a waiter.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  const middleware: MiddlewareHandler = async function turnAdmission(c, next) {
    if (concurrency <= 0) return next();
    if (running < concurrency) running++;
    else if (waiting.length >= queueMax) {
      c.header('Retry-After', String(retryAfterSeconds));
      return c.json(errorBody('overloaded', 'the card is answering many shoppers right now, please retry shortly'), 503);
    } else {
      await new Promise<void>((resolve) => waiting.push(resolve));
      // The shopper gave up while waiting: nothing was stored or promised, so their turn is not run.
      if (c.req.raw.signal.aborted) {
        release();
        return c.json(errorBody('client_closed', 'the request was closed before its turn started'), 408);
      }
    }
    let handedOver = false;
    try {
      await next();
      // A streamed reply is still being written when next() returns: its place is kept until it ends.
      const res = c.res;
      if (res.body && res.headers.get('content-type')?.includes('text/event-stream')) {
        c.res = new Response(onBodyEnd(res.body, release), res);
        handedOver = true;
      }
    } finally {
      if (!handedOver) release();
    }
  };
  return { middleware, stats: () => ({ running, waiting: waiting.length }) };
}

/** The same bytes, calling done once when the stream ends, fails or is cancelled by the client. */
function onBodyEnd(body: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      done();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          end();
          controller.close();
        } else controller.enqueue(chunk.value);
      } catch (e) {
        end();
        controller.error(e);
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}

/**
 * The default limit: 8 when both the model and the database run on this thread (the offline model on
 * PGlite), where more at once only costs memory; none otherwise, where a turn mostly waits on another
 * process (the model's provider, the PostgreSQL server) and more at once is more throughput.
 */
export function defaultTurnConcurrency(driver: 'pg' | 'pglite', remoteModel: boolean): number {
  return driver === 'pglite' && !remoteModel ? 8 : 0;
}
