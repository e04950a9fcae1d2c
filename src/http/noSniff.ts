// X-Content-Type-Options: nosniff on every API response, errors, 404s and event streams included: a
// browser must take an answer as the type it is sent as, never sniff a JSON body that quotes
// someone's input (a nickname, a message) into HTML or a script. The pages add their own headers
// too (pages/security.ts).
import type { MiddlewareHandler } from 'hono';

export function noSniff(): MiddlewareHandler {
  return async function noSniffMiddleware(c, next) {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  };
}
