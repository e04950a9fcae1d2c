import type { MiddlewareHandler } from 'hono';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Caller, Role } from '../context.ts';
import { Forbidden, Unauthorized } from '../errors.ts';

export interface AuthOptions {
  tokens: TokenIssuer;
  /** Roles allowed through; all roles when omitted. */
  roles?: readonly Role[];
}

/** Verifies `Authorization: Bearer <jwt>` and puts the caller on the context as `caller`. */
export type CallerEnv = { Variables: { caller: Caller } };

export function bearerAuth<E extends CallerEnv = CallerEnv>({ tokens, roles }: AuthOptions): MiddlewareHandler<E> {
  return async function bearerAuthMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new Unauthorized('missing bearer token');
    const caller = await tokens.verify(match[1]!);
    if (roles && !roles.includes(caller.role)) throw new Forbidden(`requires role ${roles.join(' or ')}`);
    c.set('caller', caller);
    await next();
  };
}
