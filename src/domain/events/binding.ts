// Binding a shopper to the shopper who referred them (链动2+1, docs/domain.md §4 Referral):
// shoppers.referrer_id. A binding is permanent; a shopper cannot refer themselves, nor anyone above them (no
// cycles, so the two-level reward walk always ends).
import type { Queryable } from '../../db/db.ts';
import { EventRejected } from './rejected.ts';

// Deeper than any real chain; the walk only has to prove there is no cycle.
const MAX_CHAIN = 1000;

export type BindOutcome = 'bound' | 'already_bound';

export async function bindReferrer(tx: Queryable, shopId: string, shopperId: number, referrerId: number, at: Date): Promise<BindOutcome> {
  if (shopperId === referrerId) throw new EventRejected('a shopper cannot refer themselves');
  const { rows } = await tx.query<{ referrer_id: number | null }>(
    'SELECT referrer_id FROM shoppers WHERE shop_id = $1 AND id = $2 FOR NO KEY UPDATE',
    [shopId, shopperId],
  );
  const current = rows[0]?.referrer_id ?? null;
  if (current === referrerId) return 'already_bound';
  if (current !== null) throw new EventRejected(`shopper ${shopperId} is already bound to another referrer`);
  const { rows: chain } = await tx.query<{ hit: boolean }>(
    `WITH RECURSIVE up(id, depth) AS (
       SELECT $2::bigint, 0
       UNION ALL
       SELECT s.referrer_id, up.depth + 1 FROM shoppers s JOIN up ON s.shop_id = $1 AND s.id = up.id
        WHERE s.referrer_id IS NOT NULL AND up.depth < ${MAX_CHAIN})
     SELECT bool_or(id = $3::bigint) AS hit FROM up`,
    [shopId, referrerId, shopperId],
  );
  if (chain[0]?.hit) throw new EventRejected(`shopper ${referrerId} is referred (directly or not) by shopper ${shopperId}: no cycles`);
  await tx.query('UPDATE shoppers SET referrer_id = $3, referral_bound_at = $4 WHERE shop_id = $1 AND id = $2', [
    shopId,
    shopperId,
    referrerId,
    at,
  ]);
  return 'bound';
}
