// The shopper's side of the in-card reminders (docs/domain.md §8 Reminders), for the card page:
//   GET  /v1/reminders/unseen                 the delivered reminders not seen yet, with their coupon
//   POST /v1/reminders/seen   {reminderIds}   marks them seen (idempotent); answers the ids now seen
// Whose reminders always comes from the shopper's token; another shopper's id is ignored, like an
// unknown one. Why a seen mark rather than a second delivery: src/domain/reminders/unseen.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Clock } from '../context.ts';
import type { Queryable } from '../db/db.ts';
import { ruleText } from '../domain/coupons/templates.ts';
import { markRemindersSeen, SEEN_MAX, unseenReminders, type UnseenReminder } from '../domain/reminders/unseen.ts';
import { jsonBody } from './errors.ts';
import { shopperAuth, type ShopperEnv } from './shopperAuth.ts';

const seenBody = z.strictObject({
  reminderIds: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(SEEN_MAX),
});

function view(r: UnseenReminder) {
  return {
    id: r.id,
    occasion: r.occasion,
    label: r.label,
    sentAt: r.sentAt.toISOString(),
    message: r.message,
    conversationId: r.conversationId,
    messageId: r.messageId,
    coupon: r.coupon
      ? { name: r.coupon.name, rule: ruleText(r.coupon), validUntil: r.coupon.validUntil.toISOString(), lastDay: r.coupon.lastDay, status: r.coupon.status }
      : null,
  };
}

export function cardReminderRoutes(deps: { db: Queryable; clock: Clock; tokens: TokenIssuer }) {
  const app = new Hono<ShopperEnv>();
  app.use('/v1/reminders/*', ...shopperAuth(deps.tokens, deps.db));

  app.get('/v1/reminders/unseen', async (c) => {
    const { shopId, shopperId } = c.get('shopper');
    const reminders = await unseenReminders(deps.db, shopId, shopperId, deps.clock.now());
    return c.json({ reminders: reminders.map(view) });
  });

  app.post('/v1/reminders/seen', async (c) => {
    const { shopId, shopperId } = c.get('shopper');
    const body = await jsonBody(c, seenBody);
    return c.json({ seen: await markRemindersSeen(deps.db, shopId, shopperId, body.reminderIds, deps.clock.now()) });
  });

  return app;
}
