// The one place where errors become HTTP responses: always JSON { error: { code, message } }.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { AppError, Invalid, type ErrorCode } from '../errors.ts';
import type { Logger } from '../log.ts';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Database and network failures that mean "try again later", not "the server is broken". */
function isUnavailable(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300'].includes(code) ||
      code.startsWith('08'))
  );
}

export function errorHandler(log: Logger) {
  return function onError(err: Error, c: Context) {
    if (err instanceof AppError) {
      return c.json(errorBody(err.code, err.message, err.details), STATUS[err.code]);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'http_error';
      return c.json(errorBody(code, err.message || 'request failed'), status as ContentfulStatusCode);
    }
    if (isUnavailable(err) || /Connection terminated|connection.*closed|PGlite is closed/i.test(err.message)) {
      log.warn('dependency unavailable', { requestId: c.get('requestId'), err });
      c.header('Retry-After', '5');
      return c.json(errorBody('unavailable', 'service temporarily unavailable, please retry'), 503);
    }
    log.error('unhandled error', { requestId: c.get('requestId'), err, stack: err.stack });
    return c.json(errorBody('internal', 'internal error'), 500);
  };
}

export function notFoundHandler(c: Context) {
  return c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404);
}

/** Parses a value with a zod schema; failures become 400 with the failing fields. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ path: i.path.join('.') || what, message: i.message }));
  throw new Invalid(`invalid ${what}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, { fields });
}

/** Reads a JSON body; malformed JSON is the caller's mistake (400), never a 500. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new Invalid('body must be valid JSON');
  }
  return parseOr400(schema, raw);
}
