// An open-loop load: requests leave at a fixed arrival rate whatever the server does, and each one's
// latency is counted from the time it was SCHEDULED to leave, not from when it actually left. A
// closed loop (autocannon's connections, or a rate cap over them) waits for an answer before the next
// request, so a slow server is sent less and its queueing never shows in the latency ("coordinated
// omission"); here a stalled server faces the same arrivals and every waiting request's wait counts.
//
// The requests go over keep-alive connections of one undici Pool with no bound on their number: a
// bound would make the generator itself a queue. The schedule is checked every millisecond or so;
// a request sent late because the generator's own loop lagged still counts from its scheduled time,
// which can only make the figures worse, never better.
import { Pool } from 'undici';
import { percentile } from './stats.ts';

export interface OpenLoopRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface OpenLoopOptions {
  origin: string;
  /** Requests per second. */
  rate: number;
  durationS: number;
  timeoutS: number;
  /** The i-th request of the run. */
  request(i: number): OpenLoopRequest;
}

export interface OpenLoopResult {
  scheduled: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** The first few errors' messages, counted by message. */
  errorKinds: Record<string, number>;
  /** The answers that were not 2xx, counted by status, error code and Retry-After (e.g. "503 db_unavailable retry-after 5"). */
  non2xxKinds: Record<string, number>;
  /** Answered (2xx) requests per second, over the time from the first scheduled send to the last answer. */
  achievedRate: number;
  /** Latest a request left after its scheduled time (the generator's own lag), ms. */
  maxSendLagMs: number;
  /** From the scheduled send to the end of the answer's body, 2xx answers only, ms. */
  latency: { p50: number; p90: number; p99: number; max: number };
  wallS: number;
}

export async function runOpenLoop({ origin, rate, durationS, timeoutS, request }: OpenLoopOptions): Promise<OpenLoopResult> {
  const pool = new Pool(origin, { connections: null, keepAliveTimeout: 30_000, headersTimeout: timeoutS * 1000, bodyTimeout: timeoutS * 1000 });
  const total = Math.round(rate * durationS);
  const intervalMs = 1000 / rate;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const non2xxKinds: Record<string, number> = {};
  let maxSendLagMs = 0;
  let lastAnswer = 0;
  const inFlight: Promise<void>[] = [];

  const send = async (i: number, scheduledAt: number) => {
    const { path, headers, body } = request(i);
    try {
      const res = await pool.request({ path, method: 'POST', headers, body });
      const text = await res.body.text();
      const end = performance.now();
      lastAnswer = Math.max(lastAnswer, end);
      if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(end - scheduledAt);
      else {
        non2xx++;
        const retryAfter = res.headers['retry-after'];
        const kind = `${res.statusCode} ${errorCodeOf(text)}${retryAfter ? ` retry-after ${String(retryAfter)}` : ''}`;
        non2xxKinds[kind] = (non2xxKinds[kind] ?? 0) + 1;
      }
    } catch (e) {
      errors++;
      const kind = `${(e as Error).name}: ${(e as Error).message}`.slice(0, 120);
      if (kind in errorKinds || Object.keys(errorKinds).length < 5) errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      lastAnswer = Math.max(lastAnswer, performance.now());
    }
  };

  const t0 = performance.now();
  let i = 0;
  while (i < total) {
    const now = performance.now();
    while (i < total && t0 + i * intervalMs <= now) {
      const scheduledAt = t0 + i * intervalMs;
      maxSendLagMs = Math.max(maxSendLagMs, now - scheduledAt);
      inFlight.push(send(i, scheduledAt));
      i++;
    }
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(0, t0 + i * intervalMs - performance.now())));
  }
  await Promise.all(inFlight);
  await pool.close();
  const sorted = latencies.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  const wallS = (Math.max(lastAnswer, performance.now()) - t0) / 1000;
  return {
    scheduled: total,
    ok: latencies.length,
    non2xx,
    errors,
    errorKinds,
    non2xxKinds,
    achievedRate: round(latencies.length / ((lastAnswer - t0) / 1000 || 1)),
    maxSendLagMs: round(maxSendLagMs),
    latency: {
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? NaN),
    },
    wallS,
  };
}

/** The `error.code` of a JSON error body, or what the body is when it is not one. */
function errorCodeOf(body: string): string {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : 'no error code';
  } catch {
    return 'not JSON';
  }
}
