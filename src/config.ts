// The one place that reads process.env. Parsed once at start; everything else receives the result.
import { z } from 'zod';
import { parseAllowedHost, type AllowedHost } from './net/destinationGuard.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Also used by apps built without a full config. */
export const CHAT_QUEUE_MAX_DEFAULT = 1000;

/** ¥100,000: also used by apps built without a full config. */
export const ORDER_MAX_FEN_DEFAULT = 10_000_000;

/** Also used by apps built without a full config (tests of other routes). */
export const RATE_LIMIT_DEFAULTS = { RATE_LIMIT_SHOPPER_PER_MIN: 20, RATE_LIMIT_IP_PER_MIN: 60, RATE_LIMIT_TRUST_PROXY: false } as const;

/** Also used by apps built without a full config (a shop's own model's calls). */
export const MODEL_TIMEOUT_MS_DEFAULT = 20_000;

/** Also used by apps built without a full config. */
export const LIVE_STREAM_DEFAULTS = { LIVE_STREAMS_PER_USER: 4, LIVE_STREAMS_PER_SHOP: 300 } as const;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // transaction: DATABASE_URL is a transaction-pooling pooler (PgBouncer pool_mode=transaction), where
  // one connection's statements may run on different server connections: no named prepared
  // statements, no per-connection settings (src/db/pg.ts), LISTEN on DATABASE_LISTEN_URL.
  DATABASE_POOL_MODE: z.enum(['session', 'transaction']).default('session'),
  // A direct connection for LISTEN (a pooler in transaction mode cannot hold one). Unset: DATABASE_URL.
  DATABASE_LISTEN_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Unset: on, except under NODE_ENV=production, where a shop's real database gets no demo shop and
  // no token is printed unless it is asked for.
  SEED_DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  MODEL: z.string().min(1).default('gpt-4o-mini'),
  EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  EMBEDDING_DIM: z.coerce.number().int().min(8).max(4000).optional(),
  MODEL_TIMEOUT_MS: z.coerce.number().int().min(100).default(MODEL_TIMEOUT_MS_DEFAULT),
  // Chat turns a minute (in memory, per replica: see src/http/rateLimit.ts); 0 turns a limit off.
  RATE_LIMIT_SHOPPER_PER_MIN: z.coerce.number().int().min(0).default(RATE_LIMIT_DEFAULTS.RATE_LIMIT_SHOPPER_PER_MIN),
  RATE_LIMIT_IP_PER_MIN: z.coerce.number().int().min(0).default(RATE_LIMIT_DEFAULTS.RATE_LIMIT_IP_PER_MIN),
  RATE_LIMIT_TRUST_PROXY: bool.default(false),
  // Chat turns that run at once (src/http/turnAdmission.ts); 0 = no limit. Unset: 8 with the offline
  // model on the embedded database, no limit otherwise.
  CHAT_CONCURRENCY: z.coerce.number().int().min(0).optional(),
  // Turns that may wait for a place before the next one gets 503 (with Retry-After).
  CHAT_QUEUE_MAX: z.coerce.number().int().min(0).default(CHAT_QUEUE_MAX_DEFAULT),
  // Open GET /v1/live streams (in memory, per replica: see src/http/liveSlots.ts) per token subject (a
  // shopper, a staff member: a page needs one or two) and per shop; 0 turns a limit off.
  LIVE_STREAMS_PER_USER: z.coerce.number().int().min(0).default(LIVE_STREAM_DEFAULTS.LIVE_STREAMS_PER_USER),
  LIVE_STREAMS_PER_SHOP: z.coerce.number().int().min(0).default(LIVE_STREAM_DEFAULTS.LIVE_STREAMS_PER_SHOP),
  // The in-process daily reminder run and outbox worker (src/jobs/reminders.ts). Off for a replica
  // that should only serve HTTP; replicas that all run it share the work safely (SKIP LOCKED).
  REMINDERS_SCHEDULER: bool.default(true),
  // The in-process daily reward settlement (src/jobs/settlement.ts). Off for a replica that should only
  // serve HTTP; replicas that all run it settle each reward once (a per-shop lock, pending rows only).
  SETTLEMENT_SCHEDULER: bool.default(true),
  // The most one order from the mall's events may come to, in fen (its items, any amount, the total):
  // a larger one is rejected as one that will never apply (src/domain/events/schemas.ts).
  ORDER_MAX_FEN: z.coerce.number().int().min(1).max(1e12).default(ORDER_MAX_FEN_DEFAULT),
  // Hosts the reminders webhook may reach although they are inside the network or on another port
  // than 80/443 (src/net/destinationGuard.ts): comma-separated `name`, `name:port` or `address:port`.
  WEBHOOK_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((list, ctx): AllowedHost[] => {
      const hosts: AllowedHost[] = [];
      for (const entry of list.split(',').map((e) => e.trim()).filter(Boolean)) {
        try {
          hosts.push(parseAllowedHost(entry));
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
      }
      return hosts;
    }),
  // How long SIGTERM waits for in-flight requests before giving up (under Kubernetes' default 30 s
  // grace period, so the process ends on its own terms).
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(25_000),
});

export type Config = Omit<z.infer<typeof schema>, 'SEED_DEMO'> & { SEED_DEMO: boolean };

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError that names every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "not set", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config: Config = { ...parsed.data, SEED_DEMO: parsed.data.SEED_DEMO ?? parsed.data.NODE_ENV !== 'production' };
  if (config.DATABASE_POOL_MODE === 'transaction' && !(config.DATABASE_URL && config.DATABASE_LISTEN_URL)) {
    // LISTEN through the pooler would succeed and then hear nothing: the live streams would go quiet.
    throw new ConfigError('invalid configuration:\n  DATABASE_LISTEN_URL: required (a direct connection) when DATABASE_POOL_MODE=transaction');
  }
  if (config.NODE_ENV === 'production' && !config.AUTH_SECRET) {
    throw new ConfigError('invalid configuration:\n  AUTH_SECRET: required when NODE_ENV=production');
  }
  return config;
}

/** For the entry points (server, CLIs): a bad variable ends the process with its message and exit code 2. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
}
