import type { MiddlewareHandler } from 'hono';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Caller, ShopperCaller } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import { resolveShopperCaller } from '../domain/shoppers/repo.ts';
import { Unauthorized } from '../errors.ts';
import { bearerAuth } from './auth.ts';

export type ShopperEnv = { Variables: { caller: Caller; shopper: ShopperCaller; requestId: string } };

/** A shopper's token, resolved to the shopper as stored now (tier included). */
export function shopperAuth(tokens: TokenIssuer, db: Queryable): MiddlewareHandler<ShopperEnv>[] {
  const resolveShopper: MiddlewareHandler<ShopperEnv> = async function resolveShopper(c, next) {
    const caller = c.get('caller');
    const shopper = await resolveShopperCaller(db, caller.shopId, caller.userId);
    if (!shopper) throw new Unauthorized('unknown shopper');
    c.set('shopper', shopper);
    await next();
  };
  return [bearerAuth<ShopperEnv>({ tokens, roles: ['shopper'] }), resolveShopper];
}
