// Bearer tokens: HS256 JWTs with claims sub (user id), shop and role. In production the mall's
// backend mints them after WeChat login with the same AUTH_SECRET (see README).
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { callerOf, ROLES, subjectOf, type Caller } from '../context.ts';
import { Unauthorized } from '../errors.ts';
import { typable } from '../text/typable.ts';

// An id is taken only in its one canonical spelling: a shopper's is our numeric key as written
// ("42", never "042", "42.0", " 42", "+42" or "4.2e1"), a staff member's the same or a name that
// starts with a letter. Another spelling of the same id would be another identity to whatever
// keys on the string, such as the rate limiter's buckets.
const SHOPPER_ID = /^[1-9]\d{0,14}$/;
const STAFF_ID = /^(?:[1-9]\d{0,14}|[A-Za-z][A-Za-z0-9._@-]{0,63})$/;

const claims = z
  .object({
    sub: typable().min(1).max(64),
    shop: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/),
    role: z.enum(ROLES),
    // Every token we mint expires; one without an expiry is not ours to honour.
    exp: z.number(),
  })
  .refine((c) => (c.role === 'shopper' ? SHOPPER_ID : STAFF_ID).test(c.sub), { message: 'sub is not a canonical id', path: ['sub'] });

export interface TokenIssuer {
  mint(caller: Caller, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<Caller>;
}

// Verified tokens are remembered until they expire: a shopper's app sends the same token with every
// request, and each verification (an HMAC through WebCrypto, on the libuv pool) cost ≈ 1 ms of a
// chat turn's wait on a busy machine (bench:chat). The very same string was verified before, so its
// signature holds; its expiry is checked again on every use. Bounded: the oldest entry goes first.
const VERIFIED_MAX = 10_000;

export function createTokenIssuer(secret: string, issuer = 'laotie'): TokenIssuer {
  const key = new TextEncoder().encode(secret);
  const verified = new Map<string, { caller: Caller; expiresAtMs: number }>();
  return {
    async mint(caller, ttlSeconds = 7 * 24 * 3600) {
      return new SignJWT({ shop: caller.shopId, role: caller.role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(subjectOf(caller))
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (Date.now() < known.expiresAtMs) return { ...known.caller };
        verified.delete(token);
        throw new Unauthorized('token expired');
      }
      let caller: Caller;
      let expiresAtMs: number;
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer });
        const c = claims.parse(payload);
        // The claims schema holds sub to its canonical spelling, so it names an identity.
        caller = callerOf(c.shop, c.role, c.sub)!;
        expiresAtMs = c.exp * 1000;
      } catch (e) {
        if (e instanceof joseErrors.JWTExpired) throw new Unauthorized('token expired');
        throw new Unauthorized('invalid token');
      }
      if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
      verified.set(token, { caller, expiresAtMs });
      return { ...caller };
    },
  };
}
