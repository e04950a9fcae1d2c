// A server-sent events client over fetch for the tests of GET /v1/live: collects the events, waits
// for one, and can resume with Last-Event-ID as EventSource does.
export interface SseEvent {
  id: string | null;
  event: string;
  data: any;
}

// An error event may carry plain text rather than JSON.
function parseData(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** A server-sent events client over fetch that can resume with Last-Event-ID (as EventSource does). */
export function openStream(url: string, token: string, lastEventId?: string) {
  const events: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  const abort = new AbortController();
  const ended = (async () => {
    const res = await fetch(`${url}/v1/live`, {
      headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: abort.signal,
    });
    if (res.status !== 200) throw new Error(`live: ${res.status}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const e: SseEvent = { id: null, event: 'message', data: '' };
        for (const line of block.split('\n')) {
          const [k, ...rest] = line.split(':');
          const v = rest.join(':').replace(/^ /, '');
          if (k === 'id') e.id = v;
          else if (k === 'event') e.event = v;
          else if (k === 'data') e.data = parseData(v);
        }
        if (block.startsWith(':')) continue;
        events.push(e);
        waiters.splice(0).forEach((w) => w());
      }
    }
  })().catch((err: Error) => {
    if (err.name !== 'AbortError') throw err;
  });
  return {
    events,
    ended,
    lastId: () => [...events].reverse().find((e) => e.id)?.id ?? undefined,
    async until(pred: (e: SseEvent) => boolean, timeoutMs = 15_000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching event; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    close: () => abort.abort(),
  };
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
