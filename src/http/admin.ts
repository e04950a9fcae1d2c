// The operator's and staff's lifecycle routes under /v1/admin: rules (versioned: PUT a whole set or
// PATCH some settings, either with the version read), shopper profiles, the tier and gaps reports,
// integration keys, policy coupon runs, 老铁 votes, feedback adoption and badges, and PIPL erasure.
// The shop is always the token's; a shopper of another shop is a 404, like one that does not exist.
import { Hono } from 'hono';
import { z } from 'zod';
import type { Caller } from '../context.ts';
import { awardBadge } from '../domain/community/badges.ts';
import { adoptFeedback, listFeedback } from '../domain/community/feedback.ts';
import { closeCampaign, createVoteCampaign, getCampaign } from '../domain/community/votes.ts';
import { createIntegrationKey, revokeIntegrationKey } from '../domain/events/integrationKeys.ts';
import { gapReport } from '../domain/gaps/report.ts';
import { shopperProfileView, similarShoppers } from '../domain/lifecycle/profile.ts';
import { reevaluateShop } from '../domain/lifecycle/refresh.ts';
import { resolvePeriod, tierReport } from '../domain/lifecycle/reports.ts';
import { currentRules, lifecycleRulesSchema, patchRules, saveRules } from '../domain/lifecycle/rules.ts';
import { issueBirthdayCoupons } from '../domain/policy/birthday.ts';
import { issueDiscountDayCoupons } from '../domain/policy/discountDay.ts';
import { eraseShopper } from '../domain/shoppers/erasure.ts';
import { NotFound } from '../errors.ts';
import { typable } from '../text/typable.ts';
import type { AppDeps } from './app.ts';
import { staffAuth, type StaffEnv } from './auth.ts';
import { jsonBody, parseOr400 } from './errors.ts';

type AdminDeps = Pick<AppDeps, 'db' | 'clock' | 'tokens'>;

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const periodQuery = z.object({ from: typable().max(40).optional(), to: typable().max(40).optional() });
// A local day of the shop or an instant with its offset, as resolvePeriod reads them.
const periodBound = z.union([day, z.iso.datetime({ offset: true })], { error: 'must be a date YYYY-MM-DD or an ISO instant with offset' });
const gapsQuery = z.object({ from: periodBound.optional(), to: periodBound.optional() });
const runBody = z.object({ date: day.optional() });
const keyBody = z.object({ label: typable().max(60).default('') });
const voteBody = z.object({
  title: typable().trim().min(1).max(100),
  productIds: z.array(id).min(1).max(100),
  closesAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
});
const feedbackQuery = z.object({
  status: z.enum(['submitted', 'adopted']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const adoptBody = z.object({
  rewardFen: z.number().int().min(0),
  credit: typable().trim().min(1).max(200).optional(),
  badge: typable().min(1).max(40).nullable().optional(),
});
const badgeBody = z.object({ badge: typable().min(1).max(40), reason: typable().trim().max(200).default('') });
const similarQuery = z.object({ k: z.coerce.number().int().min(1).max(50).default(5) });
// The version the editor read (0: the defaults, nothing saved yet); a stale one is a 409.
const rulesVersion = z.number().int().min(0).max(2_147_483_647);
const rulesPut = z.strictObject({
  version: rulesVersion,
  rules: lifecycleRulesSchema,
  // Read-only fields of the GET, accepted (and ignored) so that what was read can be sent back as is.
  createdAt: z.string().max(40).nullable().optional(),
  createdBy: z.string().max(200).nullable().optional(),
});
const rulesPatch = z.strictObject({
  version: rulesVersion,
  // Checked key by key once laid over the rules in force (patchRules): a record schema here would drop
  // a '__proto__' key instead of refusing it.
  set: z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be an object of the settings to change')
    .refine((v) => Object.keys(v).length > 0, 'names nothing to change'),
});

const shopOf = (caller: Caller) => caller.shopId;

export function adminRoutes(deps: AdminDeps) {
  const { db, clock, tokens } = deps;
  const app = new Hono<StaffEnv>();
  const staff = staffAuth({ tokens, db, roles: ['staff', 'admin'] });
  const admin = staffAuth({ tokens, db, roles: ['admin'] });

  app.get('/v1/admin/rules', admin, async (c) => c.json(await currentRules(db, shopOf(c.get('caller')))));

  app.put('/v1/admin/rules', admin, async (c) => {
    const caller = c.get('caller');
    const body = await jsonBody(c, rulesPut);
    return c.json(await saveRules(db, caller.shopId, body.rules, caller.staffId, body.version));
  });

  app.patch('/v1/admin/rules', admin, async (c) => {
    const caller = c.get('caller');
    const body = await jsonBody(c, rulesPatch);
    return c.json(await patchRules(db, caller.shopId, body.set, caller.staffId, body.version));
  });

  app.post('/v1/admin/tiers/reevaluate', admin, async (c) => {
    const moved = await reevaluateShop(db, shopOf(c.get('caller')), clock.now());
    return c.json({ moved: moved.map((r) => ({ shopperId: r.shopperId, from: r.tierBefore, to: r.tier, steps: r.steps.map((s) => s.reason) })) });
  });

  app.get('/v1/admin/shoppers/:id/profile', staff, async (c) => {
    const shopperId = parseOr400(id, c.req.param('id'), 'id');
    return c.json(await shopperProfileView(db, shopOf(c.get('caller')), shopperId));
  });

  app.get('/v1/admin/shoppers/:id/similar', staff, async (c) => {
    const shopId = shopOf(c.get('caller'));
    const shopperId = parseOr400(id, c.req.param('id'), 'id');
    const { k } = parseOr400(similarQuery, c.req.query(), 'query');
    await shopperProfileView(db, shopId, shopperId); // 404 for a shopper of another shop
    return c.json({ similar: await similarShoppers(db, shopId, shopperId, k) });
  });

  // PIPL erasure (个人信息删除): the person goes, the money trail stays de-identified (erasure.ts).
  app.delete('/v1/admin/shoppers/:id', admin, async (c) => {
    const shopperId = id.safeParse(c.req.param('id'));
    if (!shopperId.success) throw new NotFound('shopper');
    const caller = c.get('caller');
    return c.json(await eraseShopper(db, caller.shopId, shopperId.data, `admin:${caller.staffId}`, clock.now()));
  });

  app.post('/v1/admin/shoppers/:id/badges', staff, async (c) => {
    const caller = c.get('caller');
    const shopperId = parseOr400(id, c.req.param('id'), 'id');
    const body = await jsonBody(c, badgeBody);
    await shopperProfileView(db, caller.shopId, shopperId);
    const { badges } = (await currentRules(db, caller.shopId)).rules.community;
    const awarded = await awardBadge(db, caller.shopId, shopperId, { code: body.badge, reason: body.reason, by: caller.staffId }, badges, clock.now());
    return c.json({ awarded }, awarded ? 201 : 200);
  });

  app.get('/v1/admin/reports/tiers', admin, async (c) => {
    const shopId = shopOf(c.get('caller'));
    const q = parseOr400(periodQuery, c.req.query(), 'query');
    return c.json(await tierReport(db, shopId, await resolvePeriod(db, shopId, q, clock.now())));
  });

  app.get('/v1/admin/reports/gaps', admin, async (c) => {
    const shopId = shopOf(c.get('caller'));
    const q = parseOr400(gapsQuery, c.req.query(), 'query');
    return c.json(await gapReport(db, shopId, await resolvePeriod(db, shopId, q, clock.now())));
  });

  app.post('/v1/admin/integration-keys', admin, async (c) => {
    const { label } = await jsonBody(c, keyBody);
    return c.json(await createIntegrationKey(db, shopOf(c.get('caller')), label), 201);
  });

  app.delete('/v1/admin/integration-keys/:id', admin, async (c) => {
    await revokeIntegrationKey(db, shopOf(c.get('caller')), parseOr400(id, c.req.param('id'), 'id'), clock.now());
    return c.body(null, 204);
  });

  app.post('/v1/admin/coupons/birthday', admin, async (c) => {
    const { date } = await jsonBody(c, runBody);
    const now = clock.now();
    return c.json(await issueBirthdayCoupons(db, shopOf(c.get('caller')), date ?? now, now));
  });

  app.post('/v1/admin/coupons/discount-day', admin, async (c) => {
    const { date } = await jsonBody(c, runBody);
    const now = clock.now();
    return c.json(await issueDiscountDayCoupons(db, shopOf(c.get('caller')), date ?? now, now));
  });

  app.post('/v1/admin/votes', admin, async (c) => {
    const shopId = shopOf(c.get('caller'));
    const body = await jsonBody(c, voteBody);
    const { vote } = (await currentRules(db, shopId)).rules.community;
    return c.json(await createVoteCampaign(db, shopId, body, vote, clock.now()), 201);
  });

  app.get('/v1/admin/votes/:id', staff, async (c) => {
    const campaign = await getCampaign(db, shopOf(c.get('caller')), parseOr400(id, c.req.param('id'), 'id'));
    if (!campaign) throw new NotFound('vote');
    return c.json(campaign);
  });

  app.post('/v1/admin/votes/:id/close', admin, async (c) => {
    return c.json(await closeCampaign(db, shopOf(c.get('caller')), parseOr400(id, c.req.param('id'), 'id'), clock.now()));
  });

  app.get('/v1/admin/feedback', staff, async (c) => {
    const q = parseOr400(feedbackQuery, c.req.query(), 'query');
    return c.json({ feedback: await listFeedback(db, shopOf(c.get('caller')), q) });
  });

  app.post('/v1/admin/feedback/:id/adopt', staff, async (c) => {
    const caller = c.get('caller');
    const feedbackId = parseOr400(id, c.req.param('id'), 'id');
    const body = await jsonBody(c, adoptBody);
    const { community } = (await currentRules(db, caller.shopId)).rules;
    return c.json(await adoptFeedback(db, caller.shopId, feedbackId, body, community, caller.staffId, clock.now()));
  });

  return app;
}
