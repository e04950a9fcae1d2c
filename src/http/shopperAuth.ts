import type { MiddlewareHandler } from 'hono';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Caller, ShopperCaller } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import { resolveShopperCaller } from '../domain/shoppers/repo.ts';
import { Unauthorized } from '../errors.ts';
import { bearerAuth } from './auth.ts';

export type ShopperEnv = { Variables: { caller: Caller; shopper: ShopperCaller; requestId: string } };

/**
 * A shopper's token, resolved to the shopper as stored now (tier included). Runs once per request:
 * route groups overlap (`/v1/chat/*` also matches `/v1/chat` and `/v1/chat/completions`), and a
 * second pass would verify the token and read the shopper again on every turn.
 */
export function shopperAuth(tokens: TokenIssuer, db: Queryable): MiddlewareHandler<ShopperEnv>[] {
  const verify = bearerAuth<ShopperEnv>({ tokens, roles: ['shopper'] });
  const once: MiddlewareHandler<ShopperEnv> = async function verifyOnce(c, next) {
    if (c.get('shopper')) return next();
    return verify(c, next);
  };
  const resolveShopper: MiddlewareHandler<ShopperEnv> = async function resolveShopper(c, next) {
    if (c.get('shopper')) return next();
    const caller = c.get('caller');
    const shopper = await resolveShopperCaller(db, caller.shopId, caller.userId);
    if (!shopper) throw new Unauthorized('unknown shopper');
    c.set('shopper', shopper);
    await next();
  };
  return [once, resolveShopper];
}
