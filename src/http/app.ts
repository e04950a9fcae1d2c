// The Hono app: middleware, route groups mounted with app.route(), one error handler.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import type { Deps } from '../context.ts';
import { errorBody, errorHandler, notFoundHandler } from './errors.ts';
import { healthRoutes } from './health.ts';
import { requestLog } from './requestLog.ts';

export interface AppDeps extends Deps {
  config: Pick<Config, 'BODY_LIMIT_BYTES'>;
  tokens: TokenIssuer;
}

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.use('*', requestLog(deps.log));
  app.use(
    '*',
    bodyLimit({
      maxSize: deps.config.BODY_LIMIT_BYTES,
      onError: (c) =>
        c.json(errorBody('payload_too_large', `body larger than ${deps.config.BODY_LIMIT_BYTES} bytes`), 413),
    }),
  );
  app.route('/', healthRoutes(deps.db));
  app.notFound(notFoundHandler);
  app.onError(errorHandler(deps.log));
  return app;
}
