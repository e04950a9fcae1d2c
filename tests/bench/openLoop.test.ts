// The open-loop load (bench/lib/openLoop.ts) against a real HTTP server on a random port: requests
// keep arriving while the server stalls, and the time they waited counts from when they were due.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runOpenLoop } from '../../bench/lib/openLoop.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server that answers each request after `delayFor(n)` ms (n counts from 0) with `statusFor(n)`. */
async function start(delayFor: (n: number) => number, statusFor: (n: number) => number = () => 200): Promise<{ origin: string; seen: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    const i = n++;
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(statusFor(i), { 'content-type': 'application/json' }).end('{}'), delayFor(i)));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen: () => n };
}

const request = () => ({ path: '/v1/chat', headers: { 'content-type': 'application/json' }, body: '{"message":"你好"}' });

describe('the open-loop load', () => {
  it('sends every scheduled request even while the server is slow, and counts each wait from its scheduled time', async () => {
    // Every answer takes 300 ms: a closed loop of one connection would send 3 requests in a second
    // and report 300 ms; at 20/s the open loop sends all 20, each answered about 300 ms after it was due.
    const { origin, seen } = await start(() => 300);
    const r = await runOpenLoop({ origin, rate: 20, durationS: 1, timeoutS: 10, request });
    expect(seen()).toBe(20);
    expect(r.scheduled).toBe(20);
    expect(r.ok).toBe(20);
    expect(r.latency.p50).toBeGreaterThanOrEqual(300);
    expect(r.errors + r.non2xx).toBe(0);
  });

  it('counts the queue behind a stall: requests due during it wait for its end', async () => {
    // One server thread that stalls for 600 ms on the first request (a blocked event loop): the
    // requests due in those 600 ms are answered only after it, so the worst latency is about the stall.
    let stalledUntil = 0;
    const { origin } = await start((n) => {
      if (n === 0) {
        stalledUntil = Date.now() + 600;
        return 600;
      }
      return Math.max(0, stalledUntil - Date.now());
    });
    const r = await runOpenLoop({ origin, rate: 50, durationS: 1, timeoutS: 10, request });
    expect(r.ok).toBe(50);
    expect(r.latency.max).toBeGreaterThanOrEqual(550);
    // Half of the second's requests were due while the server stalled.
    expect(r.latency.p50).toBeGreaterThan(50);
  });

  it('reports answers that are not 2xx and refused connections apart from the latencies', async () => {
    const { origin } = await start(() => 0, (n) => (n % 2 ? 503 : 200));
    const r = await runOpenLoop({ origin, rate: 20, durationS: 0.5, timeoutS: 10, request });
    expect(r.ok).toBe(5);
    expect(r.non2xx).toBe(5);
    const closed = await runOpenLoop({ origin: 'http://127.0.0.1:1', rate: 20, durationS: 0.25, timeoutS: 2, request });
    expect(closed.errors).toBe(5);
    expect(closed.ok).toBe(0);
  });
});
