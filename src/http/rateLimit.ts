// Rate limits on the chat endpoints (every turn costs a model call): a token bucket per shopper (from
// the verified token) and one per client IP, held in this process's memory.
//
// Why in memory and not in the database: the limit guards the model bill and the database against a
// flood, it is not a quota anyone is billed by. A shared counter would add a write (and a hot row)
// to every turn. The cost: with N replicas behind a load balancer each replica limits on its own,
// so a client spread over all of them gets up to N × the limit. Restarting a replica resets it.
import type { Context, MiddlewareHandler } from 'hono';
import type { TokenIssuer } from '../auth/tokens.ts';
import { errorBody } from './errors.ts';

export interface RateLimitOptions {
  tokens: TokenIssuer;
  /** Turns a minute per shopper (shop + shopper id of the verified token); 0 turns the limit off. */
  perShopperPerMinute: number;
  /** Requests a minute per client IP, before authentication; 0 turns the limit off. */
  perIpPerMinute: number;
  /** Take the client IP from the last X-Forwarded-For entry (the one our own proxy added). */
  trustProxy?: boolean;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
  /** What the requests are, in the 429's message: 'chat' by default. */
  what?: string;
}

const WINDOW_MS = 60_000;
/** Buckets left idle long enough to be full again are dropped on a sweep every this many calls. */
const SWEEP_EVERY = 1_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket of `capacity` tokens refilled at capacity per minute: a burst of `capacity` turns,
 * then one every 60/capacity seconds. take() answers 0 when a request may go, else the seconds to wait.
 */
export function tokenBuckets(capacity: number, now: () => number) {
  const buckets = new Map<string, Bucket>();
  const perMs = capacity / WINDOW_MS;
  let calls = 0;
  const refill = (b: Bucket, t: number) => Math.min(capacity, b.tokens + (t - b.at) * perMs);
  return {
    take(key: string): number {
      const t = now();
      if (++calls % SWEEP_EVERY === 0) {
        for (const [k, b] of buckets) if (refill(b, t) >= capacity) buckets.delete(k);
      }
      const b = buckets.get(key) ?? { tokens: capacity, at: t };
      const tokens = refill(b, t);
      if (tokens < 1) {
        buckets.set(key, { tokens, at: t });
        return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
      }
      buckets.set(key, { tokens: tokens - 1, at: t });
      return 0;
    },
    get size() {
      return buckets.size;
    },
  };
}

/** The client's address: the socket's peer, or (behind our own proxy) the last X-Forwarded-For entry. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } }; server?: { incoming?: { socket?: { remoteAddress?: string } } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? env?.server?.incoming?.socket?.remoteAddress ?? 'unknown';
}

function limited(c: Context, retryAfter: number, who: string, what: string) {
  c.header('Retry-After', String(retryAfter));
  return c.json(errorBody('rate_limited', `too many ${what} requests from this ${who}; retry in ${retryAfter} s`), 429);
}

/**
 * The chat endpoints' limiter. The IP limit runs first (it needs no token, so it also caps floods of
 * bad tokens); the shopper limit keys on the token's shop and user id, which verification takes only
 * in its canonical spelling (src/auth/tokens.ts), so "07" is no second bucket for shopper 7. A
 * missing or invalid token is left for the route's own authentication to answer with 401.
 */
export function rateLimit(opts: RateLimitOptions): MiddlewareHandler {
  const now = opts.now ?? Date.now;
  const what = opts.what ?? 'chat';
  const byShopper = opts.perShopperPerMinute > 0 ? tokenBuckets(opts.perShopperPerMinute, now) : null;
  const byIp = opts.perIpPerMinute > 0 ? tokenBuckets(opts.perIpPerMinute, now) : null;
  return async function rateLimitMiddleware(c, next) {
    if (byIp) {
      const wait = byIp.take(clientIp(c, opts.trustProxy ?? false));
      if (wait) return limited(c, wait, 'address', what);
    }
    if (byShopper) {
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
      const caller = match ? await opts.tokens.verify(match[1]!).catch(() => null) : null;
      if (caller?.role === 'shopper') {
        const wait = byShopper.take(`${caller.shopId}\u0000${caller.shopperId}`);
        if (wait) return limited(c, wait, 'shopper', what);
      }
    }
    await next();
  };
}
