// When a turn's model call has left the process. A turn writes the shopper's message while the model
// answers; started at once, that write (and on PGlite its whole execution, on this same thread) ran
// before Node's fetch had put the model request on the wire, and delayed it by a few milliseconds
// of every turn (bench:chat). undici, Node's fetch, reports each request body it has sent on a
// diagnostics channel: the write waits for that, or for `maxWaitMs` when no request goes out (the
// provider refused the connection and the offline model answers). A request of another turn may
// release it early, which only starts the write as soon as it would have started anyway.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

const BODY_SENT = 'undici:request:bodySent';

export function requestSent(maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe(BODY_SENT, done);
      resolve();
    };
    const timer = setTimeout(done, maxWaitMs);
    subscribe(BODY_SENT, done);
  });
}
