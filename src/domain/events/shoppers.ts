// shopper.* events: registration (an upsert by openid: the mall may re-send a profile), behaviour
// (views, favourites, follows, shares, consults → behaviour_events, the interaction tags of
// docs/domain.md §3 Tiers) and referral bindings.
import type { Queryable } from '../../db/db.ts';
import { bindReferrer, type BindOutcome } from './binding.ts';
import { EventRejected } from './rejected.ts';
import { findShopper, requireProducts, requireShopper, type ResolvedShopper } from './resolve.ts';
import { BEHAVIOUR_EVENT_TYPES, type BehaviourData, type BehaviourEventType, type ReferralData, type RegisteredData } from './schemas.ts';

export interface RegistrationOutcome {
  shopperId: number;
  created: boolean;
  referrerId: number | null;
  /** 'bound' / 'already_bound', or why the event's referrer was not bound; null without one. */
  referral: BindOutcome | string | null;
}

export async function applyRegistration(tx: Queryable, shopId: string, d: RegisteredData, at: Date): Promise<RegistrationOutcome> {
  const { rows } = await tx.query<{ id: number; created: boolean }>(
    `INSERT INTO shoppers (shop_id, openid, nickname, phone, birthday, gender, skin_type, registered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (shop_id, openid) DO UPDATE SET
       nickname = excluded.nickname,
       phone = coalesce(excluded.phone, shoppers.phone),
       birthday = coalesce(excluded.birthday, shoppers.birthday),
       gender = coalesce(excluded.gender, shoppers.gender),
       skin_type = coalesce(excluded.skin_type, shoppers.skin_type)
     RETURNING id, (xmax = 0) AS created`,
    [shopId, d.openid, d.nickname, d.phone ?? null, d.birthday ?? null, d.gender ?? null, d.skinType ?? null, at],
  );
  const shopper = rows[0]!;
  let referral: RegistrationOutcome['referral'] = null;
  let referrerId: number | null = null;
  if (d.referrerOpenid !== undefined) {
    // The registration itself stands even when its referrer cannot be bound; the reason is recorded.
    const referrer = await findShopper(tx, shopId, { openid: d.referrerOpenid });
    if (!referrer) referral = `unknown referrer ${d.referrerOpenid}`;
    else {
      try {
        referral = await bindReferrer(tx, shopId, shopper.id, referrer.id, at);
        referrerId = referrer.id;
      } catch (e) {
        if (!(e instanceof EventRejected)) throw e;
        referral = e.reason;
      }
    }
  }
  return { shopperId: shopper.id, created: shopper.created, referrerId, referral };
}

export async function applyBehaviour(
  tx: Queryable,
  shopId: string,
  type: BehaviourEventType,
  d: BehaviourData,
  at: Date,
): Promise<{ shopper: ResolvedShopper; productId: number | null }> {
  const shopper = await requireShopper(tx, shopId, d);
  const productId = d.sku !== undefined ? (await requireProducts(tx, shopId, [d.sku])).get(d.sku)!.id : null;
  const payload: Record<string, unknown> = {};
  if (d.dwellSeconds !== undefined) payload.dwellSeconds = d.dwellSeconds;
  if (d.channel !== undefined) payload.channel = d.channel;
  if (d.topic !== undefined) payload.topic = d.topic;
  await tx.query(
    'INSERT INTO behaviour_events (shop_id, shopper_id, kind, product_id, payload, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [shopId, shopper.id, BEHAVIOUR_EVENT_TYPES[type], productId, JSON.stringify(payload), at],
  );
  return { shopper, productId };
}

export async function applyReferralBound(
  tx: Queryable,
  shopId: string,
  d: ReferralData,
  at: Date,
): Promise<{ shopperId: number; referrerId: number; outcome: BindOutcome }> {
  const shopper = await requireShopper(tx, shopId, d);
  const referrer = await findShopper(tx, shopId, { openid: d.referrerOpenid, shopperId: d.referrerId });
  if (!referrer) throw new EventRejected(`unknown referrer ${d.referrerOpenid ?? d.referrerId}`);
  return { shopperId: shopper.id, referrerId: referrer.id, outcome: await bindReferrer(tx, shopId, shopper.id, referrer.id, at) };
}
