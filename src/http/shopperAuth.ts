import type { Context, MiddlewareHandler } from 'hono';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Caller, ShopperCaller, TokenShopper } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import { resolveShopperCaller, shopperIdOf } from '../domain/shoppers/repo.ts';
import { Unauthorized } from '../errors.ts';
import { bearerAuth } from './auth.ts';

export type ShopperEnv = {
  Variables: { caller: Caller; shopper: ShopperCaller; tokenShopper: TokenShopper; requestId: string };
};

/**
 * A shopper's token, resolved to the shopper as stored now (tier included) as `shopper`. Runs once
 * per request: route groups overlap (`/v1/chat/*` also matches `/v1/chat` and
 * `/v1/chat/completions`), and a second pass would verify the token and read the shopper again.
 * Chat turns pass `{ lookup: false }`: the turn reads the shopper in its own first round of reads
 * (prepareTurn), so the route gets `tokenShopper` — who the token names — and no read of its own.
 */
export function shopperAuth(tokens: TokenIssuer, db: Queryable, { lookup = true } = {}): MiddlewareHandler<ShopperEnv>[] {
  const verify = bearerAuth<ShopperEnv>({ tokens, roles: ['shopper'] });
  const once: MiddlewareHandler<ShopperEnv> = async function verifyOnce(c, next) {
    if (c.get('tokenShopper')) return next();
    return verify(c, next);
  };
  const resolveShopper: MiddlewareHandler<ShopperEnv> = async function resolveShopper(c, next) {
    if (!c.get('tokenShopper')) c.set('tokenShopper', named(c));
    if (lookup && !c.get('shopper')) {
      const caller = c.get('caller');
      const shopper = await resolveShopperCaller(db, caller.shopId, caller.userId);
      if (!shopper) throw new Unauthorized('unknown shopper');
      c.set('shopper', shopper);
    }
    await next();
  };
  return [once, resolveShopper];
}

function named(c: Context<ShopperEnv>): TokenShopper {
  const caller = c.get('caller');
  const shopperId = shopperIdOf(caller.userId);
  if (shopperId === null) throw new Unauthorized('unknown shopper');
  return { shopId: caller.shopId, shopperId };
}
