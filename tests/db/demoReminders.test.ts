// The demo shop as prepared (seeded, indexed, its last week of reminders replayed through the real
// pipeline): the sample shoppers' cards already hold reminders they have not seen (docs/domain.md §8
// Reminders), worded for what each is about.
import { expect, it } from 'vitest';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { replayRecentReminders } from '../../src/demo/reminders.ts';
import { unseenReminders } from '../../src/domain/reminders/unseen.ts';
import { DEMO_NOW, describeDemo } from '../helpers/demo.ts';

describeDemo('the demo shop’s delivered reminders', (db) => {
  const unseenOf = async (openid: string) => unseenReminders(db(), 'demo', (await findShopperIdByOpenid(db(), 'demo', openid))!, DEMO_NOW);

  it('has reminders delivered to the sample shoppers’ cards and not seen yet, with their coupons', async () => {
    // 小雨: her household consumables are due for a refill, each with the refill coupon.
    const xiaoyu = await unseenOf('demo-openid-0001');
    expect(xiaoyu.length).toBeGreaterThan(0);
    expect(xiaoyu.every((r) => r.occasion === 'replenishment' && r.label === '补货提醒')).toBe(true);
    expect(xiaoyu.some((r) => r.coupon?.status === 'unused' && r.coupon.name === '补货券')).toBe(true);
    // Momo: her discount day on the 15th, announced three days ahead with its coupon.
    const momo = await unseenOf('demo-openid-0003');
    expect(momo.map((r) => r.occasion)).toContain('discountDay');
    expect(momo.find((r) => r.occasion === 'discountDay')!.message).toContain('9月15日');
    // Each is a message of one of the shopper's own card conversations.
    const { rows } = await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.id = ANY($1::bigint[]) AND c.shopper_id = $2 AND c.channel = 'card' AND m.meta->>'kind' = 'reminder'`,
      [xiaoyu.map((r) => r.messageId), (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0001'))!],
    );
    expect(rows[0]!.n).toBe(xiaoyu.length);
  });

  it('words every delivered reminder for what it is about', async () => {
    const { rows } = await db().query<{ occasion: string; message: string; category: string | null; earlier_paid: number }>(
      `SELECT r.occasion, r.message, p.category,
              (SELECT count(*)::int FROM orders x WHERE x.shopper_id = r.shopper_id AND x.paid_at IS NOT NULL
                  AND x.paid_at < o.sent_at AND x.id::text IS DISTINCT FROM r.facts->>'orderId') AS earlier_paid
         FROM reminders r JOIN reminder_outbox o ON o.reminder_id = r.id AND o.state = 'sent'
         LEFT JOIN products p ON p.id::text = r.facts->>'productId'
        WHERE r.shop_id = 'demo'`,
    );
    expect(rows.length).toBeGreaterThan(50);
    const refills = rows.filter((r) => r.occasion === 'replenishment');
    expect(refills.some((r) => r.category === '家居日用')).toBe(true);
    for (const r of refills) if (r.category === '家居日用') expect(r.message).not.toMatch(/护肤/);
    // The first-order question only to a shopper who had paid for nothing else when it was sent.
    const firsts = rows.filter((r) => r.occasion === 'secondPurchase');
    expect(firsts.length).toBeGreaterThan(0);
    expect(firsts.filter((r) => r.earlier_paid > 0)).toEqual([]);
  });

  it('replays nothing twice: the live runs and a second preparation find those days done', async () => {
    const before = (await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM reminders WHERE shop_id = 'demo'`)).rows[0]!.n;
    expect(await replayRecentReminders(db(), 'demo', DEMO_NOW)).toBe(0);
    expect((await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM reminders WHERE shop_id = 'demo'`)).rows[0]!.n).toBe(before);
  });
});
