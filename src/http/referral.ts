// Admin routes of the 链动2+1 rewards (docs/domain.md §4.5 Reward lifecycle), for an admin of their own shop:
//   POST /v1/admin/referral/settle   {date?, dryRun?}   settle the rewards due by the end of a local day
//                                                       (today: now), or only show them (dry)
import { Hono } from 'hono';
import { z } from 'zod';
import type { TokenIssuer } from '../auth/tokens.ts';
import { settleRewards, type SettlementDeps } from '../domain/referral/settlement.ts';
import { isIsoDate } from '../domain/reminders/time.ts';
import { staffAuth, type StaffEnv } from './auth.ts';
import { jsonBody } from './errors.ts';

export interface ReferralRouteDeps extends SettlementDeps {
  tokens: TokenIssuer;
}

const settleBody = z.strictObject({
  date: z.string().refine(isIsoDate, 'date must be YYYY-MM-DD').optional(),
  dryRun: z.boolean().optional(),
});

export function referralRoutes(deps: ReferralRouteDeps) {
  const app = new Hono<StaffEnv>();
  // Per route, not app.use('/v1/admin/*'): a path-wide middleware would also guard other groups' routes.
  const admin = staffAuth({ tokens: deps.tokens, db: deps.db, roles: ['admin'] });

  app.post('/v1/admin/referral/settle', admin, async (c) => {
    const body = await jsonBody(c, settleBody);
    return c.json(await settleRewards(deps, { shopId: c.get('caller').shopId, date: body.date, dryRun: body.dryRun ?? false }));
  });

  return app;
}
