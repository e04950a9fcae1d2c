// The Hono app: middleware, route groups mounted with app.route(), one error handler.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { TokenIssuer } from '../auth/tokens.ts';
import { CHAT_QUEUE_MAX_DEFAULT, MODEL_TIMEOUT_MS_DEFAULT, RATE_LIMIT_DEFAULTS, type Config } from '../config.ts';
import type { Models } from '../agent/models.ts';
import { reminderWriters } from '../agent/reminderWriter.ts';
import type { Deps } from '../context.ts';
import type { LiveHub } from '../domain/live/hub.ts';
import { createDestinationGuard, type DestinationGuard } from '../net/destinationGuard.ts';
import type { SecretBox } from '../auth/secretBox.ts';
import { createShopModels } from '../agent/shopModels.ts';
import { shopModelRoutes } from './shopModel.ts';
import { createShopCards } from '../domain/shops/cards.ts';
import { adminRoutes } from './admin.ts';
import { cardReminderRoutes } from './cardReminders.ts';
import { chatRoutes } from './chat.ts';
import { errorBody, errorHandler, notFoundHandler } from './errors.ts';
import { eventRoutes } from './events.ts';
import { healthRoutes } from './health.ts';
import { knowledgeRoutes } from './knowledge.ts';
import { noSniff } from './noSniff.ts';
import { liveRoutes } from './live.ts';
import { MCP_PATH, mcpRoutes } from './mcp.ts';
import { openaiCompatRoutes } from './openaiCompat.ts';
import { pageRoutes } from './pages/routes.ts';
import { rateLimit } from './rateLimit.ts';
import { referralRoutes } from './referral.ts';
import { reminderRoutes } from './reminders.ts';
import { requestLog } from './requestLog.ts';
import { staffRoutes } from './staff.ts';
import { createTurnAdmission, defaultTurnConcurrency } from './turnAdmission.ts';

export interface AppDeps extends Deps {
  config: Pick<Config, 'BODY_LIMIT_BYTES'> &
    Partial<
      Pick<
        Config,
        | 'RATE_LIMIT_SHOPPER_PER_MIN'
        | 'RATE_LIMIT_IP_PER_MIN'
        | 'RATE_LIMIT_TRUST_PROXY'
        | 'CHAT_CONCURRENCY'
        | 'CHAT_QUEUE_MAX'
        | 'LIVE_STREAMS_PER_USER'
        | 'LIVE_STREAMS_PER_SHOP'
        | 'WEBHOOK_ALLOW_HOSTS'
        | 'ORDER_MAX_FEN'
        | 'MODEL_TIMEOUT_MS'
      >
    >;
  tokens: TokenIssuer;
  models: Models;
  /** The per-process live hub (started by the server): SSE handlers await its wake-ups. Apps built
   *  without one (tests of other routes) have no GET /v1/live. */
  live?: LiveHub;
  /** Each shop its own model: the key box for their API keys and the guard their calls go through
   *  (closed by whoever made it). Apps built without it (tests of other routes) answer every shop
   *  with the service's model and have no /v1/admin/model. */
  shopModels?: { keys: SecretBox; guard: DestinationGuard; onEmbeddingSwitch?: () => void };
}

export function createApp(deps: AppDeps) {
  const app = new Hono();
  // Outermost: it also marks what the other middleware answers (413, 429) and the error handler's answers.
  app.use('*', noSniff());
  app.use('*', requestLog(deps.log));
  const limits = { ...RATE_LIMIT_DEFAULTS, ...deps.config };
  const chatLimit = rateLimit({
    tokens: deps.tokens,
    perShopperPerMinute: limits.RATE_LIMIT_SHOPPER_PER_MIN,
    perIpPerMinute: limits.RATE_LIMIT_IP_PER_MIN,
    trustProxy: limits.RATE_LIMIT_TRUST_PROXY,
  });
  // Every chat turn costs a model call: /v1/chat, /v1/chat/stream and /v1/chat/completions
  // ('/v1/chat/*' matches /v1/chat itself too, so one registration counts each request once).
  app.use('/v1/chat/*', chatLimit);
  // MCP calls reach the same tools and data as a turn's: the same limits, in buckets of their own,
  // each request counted (a client sends one per tool call, a few more when it connects).
  app.use(
    MCP_PATH,
    rateLimit({
      tokens: deps.tokens,
      perShopperPerMinute: limits.RATE_LIMIT_SHOPPER_PER_MIN,
      perIpPerMinute: limits.RATE_LIMIT_IP_PER_MIN,
      trustProxy: limits.RATE_LIMIT_TRUST_PROXY,
      what: 'MCP',
    }),
  );
  app.use(
    '*',
    bodyLimit({
      maxSize: deps.config.BODY_LIMIT_BYTES,
      onError: (c) =>
        c.json(errorBody('payload_too_large', `body larger than ${deps.config.BODY_LIMIT_BYTES} bytes`), 413),
    }),
  );
  app.route('/', healthRoutes(deps.db));
  // The chat turns (and staff's suggested replies) share one cache of shop cards per app.
  // The chat routes take a place in line once the token is verified (after the rate limits, so a
  // flood is refused before it queues).
  const admission = createTurnAdmission({
    concurrency: deps.config.CHAT_CONCURRENCY ?? defaultTurnConcurrency(deps.db.driver, deps.models.remote),
    queueMax: deps.config.CHAT_QUEUE_MAX ?? CHAT_QUEUE_MAX_DEFAULT,
  });
  const timeoutMs = deps.config.MODEL_TIMEOUT_MS ?? MODEL_TIMEOUT_MS_DEFAULT;
  const shopModels = deps.shopModels && createShopModels({ db: deps.db, embedder: deps.embedder, models: deps.models, log: deps.log, timeoutMs, ...deps.shopModels });
  const agent = { ...deps, shopCards: createShopCards(deps.db), shopModels, admission: admission.middleware };
  app.route('/', chatRoutes(agent));
  app.route('/', openaiCompatRoutes(agent));
  app.route('/', knowledgeRoutes({ ...deps, shopModels }));
  app.route('/', eventRoutes(deps));
  app.route('/', adminRoutes(deps));
  if (deps.shopModels) app.route('/', shopModelRoutes({ ...deps, ...deps.shopModels, timeoutMs }));
  app.route(
    '/',
    reminderRoutes({
      ...deps,
      writers: reminderWriters(deps.models, deps.log, shopModels),
      webhookGuard: createDestinationGuard({ allowHosts: deps.config.WEBHOOK_ALLOW_HOSTS ?? [] }),
    }),
  );
  app.route('/', cardReminderRoutes(deps));
  app.route('/', referralRoutes(deps));
  app.route('/', staffRoutes(agent));
  app.route('/', mcpRoutes(agent));
  if (deps.live) app.route('/', liveRoutes({ ...deps, live: deps.live }));
  app.route('/', pageRoutes(deps));
  app.notFound(notFoundHandler);
  app.onError(errorHandler(deps.log));
  return app;
}
