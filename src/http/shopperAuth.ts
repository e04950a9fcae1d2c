import type { MiddlewareHandler } from 'hono';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { ShopperCaller, ShopperIdentity } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import { resolveShopperCaller } from '../domain/shoppers/repo.ts';
import { Unauthorized } from '../errors.ts';
import { bearerAuth } from './auth.ts';

export type ShopperEnv = {
  Variables: { caller: ShopperIdentity; shopper: ShopperCaller; requestId: string };
};

/**
 * A shopper's token, resolved to the shopper as stored now (tier included) as `shopper`. Runs once
 * per request: route groups overlap (`/v1/chat/*` also matches `/v1/chat` and
 * `/v1/chat/completions`), and a second pass would verify the token and read the shopper again.
 * Chat turns pass `{ lookup: false }`: the turn reads the shopper in its own first round of reads
 * (prepareTurn), so the route gets `caller` — who the token names — and no read of its own.
 */
export function shopperAuth(tokens: TokenIssuer, db: Queryable, { lookup = true } = {}): MiddlewareHandler<ShopperEnv>[] {
  // Only the shopper role passes, so the caller bearerAuth sets is a shopper identity.
  const verify = bearerAuth({ tokens, roles: ['shopper'] }) as unknown as MiddlewareHandler<ShopperEnv>;
  const once: MiddlewareHandler<ShopperEnv> = async function verifyOnce(c, next) {
    if (c.get('caller')) return next();
    return verify(c, next);
  };
  const resolveShopper: MiddlewareHandler<ShopperEnv> = async function resolveShopper(c, next) {
    if (lookup && !c.get('shopper')) {
      const shopper = await resolveShopperCaller(db, c.get('caller'));
      if (!shopper) throw new Unauthorized('unknown shopper');
      c.set('shopper', shopper);
    }
    await next();
  };
  return [once, resolveShopper];
}
