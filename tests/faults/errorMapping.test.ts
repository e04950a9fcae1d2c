// Which failures mean "the database is away" (503 db_unavailable, retry later) and which remain
// the server's own fault (500): the one error handler, on a tiny app that throws them.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/http/errors.ts';
import { silentLogger } from '../../src/log.ts';

function withCode(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

async function answerTo(err: Error) {
  const app = new Hono();
  app.get('/', () => {
    throw err;
  });
  app.onError(errorHandler(silentLogger));
  const res = await app.request('/');
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describe('database failures become 503 db_unavailable', () => {
  const away: [string, Error][] = [
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['an administrator shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a client connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a query read timeout', new Error('Query read timeout')],
    ['a closed embedded database', new Error('PGlite is closed')],
    ['one wrapped in another error', new Error('tool failed', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') })],
  ];
  for (const [what, err] of away) {
    it(`answers ${what} with 503 and Retry-After`, async () => {
      expect(await answerTo(err)).toEqual({
        status: 503,
        retryAfter: '5',
        body: { error: { code: 'db_unavailable', message: expect.any(String) } },
      });
    });
  }

  it('keeps a bad query or a bug a 500, without its message', async () => {
    for (const err of [withCode('duplicate key value violates unique constraint', '23505'), new TypeError('x is undefined')]) {
      expect(await answerTo(err)).toEqual({ status: 500, retryAfter: null, body: { error: { code: 'internal', message: 'internal error' } } });
    }
  });
});
