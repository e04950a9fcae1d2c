import type { MiddlewareHandler } from 'hono';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Caller, Role, StaffIdentity } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import { shopExists } from '../domain/shops/repo.ts';
import { Forbidden, NotFound, Unauthorized } from '../errors.ts';

export interface AuthOptions {
  tokens: TokenIssuer;
  /** Roles allowed through; all roles when omitted. */
  roles?: readonly Role[];
}

/** Verifies `Authorization: Bearer <jwt>` and puts the caller on the context as `caller`. */
export type CallerEnv = { Variables: { caller: Caller } };
/** What staffAuth leaves on the context: a staff member or admin of a shop that exists. */
export type StaffEnv = { Variables: { caller: StaffIdentity } };

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

export interface StaffAuthOptions extends AuthOptions {
  db: Queryable;
  roles: readonly StaffIdentity['role'][];
}

/**
 * bearerAuth for the staff and admin routes, and the token's shop must exist: a token minted for a
 * shop that never was (or is gone) gets the 404 of anything else that is not there, before a route
 * writes a row that would name it.
 */
export function staffAuth<E extends StaffEnv = StaffEnv>({ db, ...auth }: StaffAuthOptions): MiddlewareHandler<E> {
  // The roles allowed are staff roles, so the caller bearerAuth sets is a staff identity.
  const verify = bearerAuth(auth) as unknown as MiddlewareHandler<E>;
  return async function staffAuthMiddleware(c, next) {
    await verify(c, async () => {
      if (!(await shopExists(db, c.get('caller').shopId))) throw new NotFound('shop');
      await next();
    });
  };
}
