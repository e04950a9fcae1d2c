// Bearer tokens: HS256 JWTs with claims sub (user id), shop and role. In production the mall's
// backend mints them after WeChat login with the same AUTH_SECRET (see README).
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { ROLES, type Caller } from '../context.ts';
import { Unauthorized } from '../errors.ts';

const claims = z.object({
  sub: z.string().min(1).max(64),
  shop: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/),
  role: z.enum(ROLES),
});

export interface TokenIssuer {
  mint(caller: Caller, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<Caller>;
}

export function createTokenIssuer(secret: string, issuer = 'laotie'): TokenIssuer {
  const key = new TextEncoder().encode(secret);
  return {
    async mint(caller, ttlSeconds = 7 * 24 * 3600) {
      return new SignJWT({ shop: caller.shopId, role: caller.role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(caller.userId)
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer });
        const c = claims.parse(payload);
        return { shopId: c.shop, role: c.role, userId: c.sub };
      } catch (e) {
        if (e instanceof joseErrors.JWTExpired) throw new Unauthorized('token expired');
        throw new Unauthorized('invalid token');
      }
    },
  };
}
