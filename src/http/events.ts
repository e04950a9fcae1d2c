// POST /v1/events: the mall's back end pushes orders, shipments, registrations and behaviour. Auth is
// a staff/admin bearer token or a shop integration key (X-Integration-Key); the shop is always the
// credential's, never the body's. Always 200 with { accepted, duplicate, rejected } once the envelope
// is valid: each event stands or falls on its own.
import { Hono, type MiddlewareHandler } from 'hono';
import { ORDER_MAX_FEN_DEFAULT } from '../config.ts';
import type { StaffIdentity } from '../context.ts';
import { shopOfIntegrationKey } from '../domain/events/integrationKeys.ts';
import { ingestEvents } from '../domain/events/ingest.ts';
import { eventBatchSchema } from '../domain/events/schemas.ts';
import { Unauthorized } from '../errors.ts';
import type { AppDeps } from './app.ts';
import { staffAuth } from './auth.ts';
import { jsonBody } from './errors.ts';

type EventsEnv = { Variables: { caller: StaffIdentity; shopId: string } };
type EventDeps = Pick<AppDeps, 'db' | 'embedder' | 'clock' | 'log' | 'tokens' | 'config'>;

/** A shop integration key when the header is present; otherwise a staff or admin token. */
function eventsAuth(deps: EventDeps): MiddlewareHandler<EventsEnv> {
  const bearer = staffAuth<EventsEnv>({ tokens: deps.tokens, db: deps.db, roles: ['staff', 'admin'] });
  return async function eventsAuthMiddleware(c, next) {
    const key = c.req.header('x-integration-key');
    if (key !== undefined) {
      const shopId = await shopOfIntegrationKey(deps.db, key);
      if (!shopId) throw new Unauthorized('invalid integration key');
      c.set('shopId', shopId);
      return next();
    }
    return bearer(c, async () => {
      c.set('shopId', c.get('caller').shopId);
      await next();
    });
  };
}

export function eventRoutes(deps: EventDeps) {
  const app = new Hono<EventsEnv>();
  app.post('/v1/events', eventsAuth(deps), async (c) => {
    const { events } = await jsonBody(c, eventBatchSchema);
    const result = await ingestEvents(
      {
        db: deps.db,
        embedder: deps.embedder,
        log: deps.log,
        now: deps.clock.now(),
        limits: { orderMaxFen: deps.config.ORDER_MAX_FEN ?? ORDER_MAX_FEN_DEFAULT },
      },
      c.get('shopId'),
      events,
    );
    return c.json(result);
  });
  return app;
}
