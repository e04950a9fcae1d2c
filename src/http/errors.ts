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

// Connection-level failures: the database is away (refused, reset, shut down, starting, out of
// connections, a connection exception of class 08), not a bad query. They mean "retry later".
const DB_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P02', '57P03', '53300']);
// pg reports some of them without a code: a dropped connection, a connect or read timeout, a pool or
// embedded database already closed.
const DB_DOWN_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|connection.*closed|Cannot use a pool after calling end|PGlite is closed/i;

/** Whether an error (or what it wraps) says the database is unreachable rather than the request wrong. */
export function isDbUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 3) return false;
  const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string' && (DB_DOWN_CODES.has(code) || code.startsWith('08'))) return true;
  if (typeof message === 'string' && DB_DOWN_MESSAGE.test(message)) return true;
  return isDbUnavailable(cause, depth + 1);
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
    if (isDbUnavailable(err)) {
      log.warn('database unavailable', { requestId: c.get('requestId'), err });
      c.header('Retry-After', '5');
      return c.json(errorBody('db_unavailable', 'the database is unavailable, please retry shortly'), 503);
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
