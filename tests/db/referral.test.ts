import { expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import {
  applyActivityRule,
  getReferralPolicy,
  identityHistory,
  ledgerBalances,
  ledgerEntries,
  monthlyRanking,
  onOrderPaid,
  onOrderRefunded,
  putReferralPolicy,
  recordHelp,
  referralStatus,
  rewardTotals,
  settleDue,
  startAgentTrial,
} from '../../src/domain/referral/index.ts';
import { runTool } from '../../tools/defineTool.ts';
import { getReferralStatus } from '../../tools/getReferralStatus.ts';
import { describeDb } from '../helpers/db.ts';
import { shopperContext } from '../helpers/toolContext.ts';
import {
  createReferralOrder,
  createReferralShop,
  createReferralShopper,
  daysAfter,
  deliverOrder,
  identityOf,
  payOrder,
  refundOrder,
} from './referralFixtures.ts';

const T0 = new Date('2026-03-10T02:00:00Z');

/** What each beneficiary got for an order: 'kind@beneficiary' → fen. */
async function rewardsOf(db: Db, shopId: string, orderId: number) {
  const entries = await ledgerEntries(db, shopId, orderId);
  return Object.fromEntries(entries.map((e) => [`${e.kind}@${e.beneficiaryId}`, e.amountFen]));
}

describeDb('the referral engine', (db) => {
  it('pays the direct reward (10 %, rounded down) to an agent referrer and nothing to a member', async () => {
    const shop = await createReferralShop(db());
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent' });
    const member = await createReferralShopper(db(), shop.id);
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
    const other = await createReferralShopper(db(), shop.id, { referrerId: member });
    const o1 = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 12_345 });
    const o2 = await createReferralOrder(db(), shop, { buyerId: other, payFen: 12_345 });
    expect((await payOrder(db(), shop.id, o1, T0)).credited).toBe(1);
    await payOrder(db(), shop.id, o2, T0);
    expect(await rewardsOf(db(), shop.id, o1)).toEqual({ [`direct@${agent}`]: 1234 });
    expect(await rewardsOf(db(), shop.id, o2)).toEqual({});
    const [entry] = await ledgerEntries(db(), shop.id, o1);
    expect(entry).toMatchObject({ level: 1, state: 'pending', policyVersion: 0, entryKey: `${o1}:${agent}:direct`, settleAfter: null });
  });

  it('pays the team reward to the boss above an agent, 7 % for a core boss', async () => {
    const shop = await createReferralShop(db());
    const boss = await createReferralShopper(db(), shop.id, { identity: 'boss', tier: 'potential' });
    const coreBoss = await createReferralShopper(db(), shop.id, { identity: 'boss', tier: 'core' });
    const a1 = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: boss });
    const a2 = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: coreBoss });
    const b1 = await createReferralShopper(db(), shop.id, { referrerId: a1 });
    const b2 = await createReferralShopper(db(), shop.id, { referrerId: a2 });
    const o1 = await createReferralOrder(db(), shop, { buyerId: b1, payFen: 10_001 });
    const o2 = await createReferralOrder(db(), shop, { buyerId: b2, payFen: 10_001 });
    await payOrder(db(), shop.id, o1, T0);
    await payOrder(db(), shop.id, o2, T0);
    expect(await rewardsOf(db(), shop.id, o1)).toEqual({ [`direct@${a1}`]: 1000, [`team@${boss}`]: 500 });
    expect(await rewardsOf(db(), shop.id, o2)).toEqual({ [`direct@${a2}`]: 1000, [`team@${coreBoss}`]: 700 });
    expect((await ledgerEntries(db(), shop.id, o1)).find((e) => e.kind === 'team')?.level).toBe(2);
  });

  it('pays a boss referrer direct + team and the boss who referred them the peer reward, never a third level', async () => {
    const shop = await createReferralShop(db());
    const top = await createReferralShopper(db(), shop.id, { identity: 'boss' });
    const upper = await createReferralShopper(db(), shop.id, { identity: 'boss', referrerId: top });
    const boss = await createReferralShopper(db(), shop.id, { identity: 'boss', referrerId: upper });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: boss });
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 9_999 });
    await payOrder(db(), shop.id, o, T0);
    expect(await rewardsOf(db(), shop.id, o)).toEqual({ [`direct@${boss}`]: 999, [`team@${boss}`]: 499, [`peer@${upper}`]: 99 });
  });

  it('pays a 老铁 referrer 3 % for life even as a member', async () => {
    const shop = await createReferralShop(db());
    const laotie = await createReferralShopper(db(), shop.id, { tier: 'laotie' });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: laotie });
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 3_333 });
    await payOrder(db(), shop.id, o, T0);
    expect(await rewardsOf(db(), shop.id, o)).toEqual({ [`laotie_lifetime@${laotie}`]: 99 });
  });

  it('pays the help reward when a boss helped a low-activity agent of the team complete an order', async () => {
    const shop = await createReferralShop(db());
    const boss = await createReferralShopper(db(), shop.id, { identity: 'boss' });
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: boss });
    const stranger = await createReferralShopper(db(), shop.id, { identity: 'agent' });
    await createReferralOrder(db(), shop, { buyerId: agent, payFen: 1_000, paidAt: daysAfter(T0, -31) });
    const o = await createReferralOrder(db(), shop, { buyerId: agent, payFen: 2_000, createdAt: T0 });

    await expect(db().transaction((tx) => recordHelp(tx, shop.id, stranger, agent, o, T0))).rejects.toThrow(/boss referred/);
    const help = await db().transaction((tx) => recordHelp(tx, shop.id, boss, agent, o, T0));
    expect(help).toMatchObject({ bossId: boss, agentId: agent, orderId: o });
    expect(await db().transaction((tx) => recordHelp(tx, shop.id, boss, agent, o, T0))).toEqual(help);
    await payOrder(db(), shop.id, o, daysAfter(T0, 1));
    expect(await rewardsOf(db(), shop.id, o)).toEqual({ [`direct@${boss}`]: 200, [`team@${boss}`]: 100, [`help@${boss}`]: 5000 });
  });

  it('refuses a help for an agent who bought recently or for an order already paid', async () => {
    const shop = await createReferralShop(db());
    const boss = await createReferralShopper(db(), shop.id, { identity: 'boss' });
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: boss });
    await createReferralOrder(db(), shop, { buyerId: agent, payFen: 1_000, paidAt: daysAfter(T0, -5) });
    const o = await createReferralOrder(db(), shop, { buyerId: agent, payFen: 2_000, createdAt: T0 });
    await expect(db().transaction((tx) => recordHelp(tx, shop.id, boss, agent, o, T0))).rejects.toThrow(/low-activity/);
    const paid = await createReferralOrder(db(), shop, { buyerId: agent, payFen: 2_000, paidAt: T0 });
    await expect(db().transaction((tx) => recordHelp(tx, shop.id, boss, agent, paid, T0))).rejects.toThrow(/before the order is paid/);
  });

  it('pays the agent trial reward once, for the first order of a new buyer within 15 days', async () => {
    const shop = await createReferralShop(db());
    const holder = await createReferralShopper(db(), shop.id, { tier: 'potential' });
    const converted = await createReferralShopper(db(), shop.id, { tier: 'converted' });
    await expect(db().transaction((tx) => startAgentTrial(tx, shop.id, converted, T0))).rejects.toThrow(/potential/);
    const trial = await db().transaction((tx) => startAgentTrial(tx, shop.id, holder, T0));
    expect(trial.endsAt).toEqual(daysAfter(T0, 15));
    await expect(db().transaction((tx) => startAgentTrial(tx, shop.id, holder, T0))).rejects.toThrow(/once/);

    const [b1, b2, b3] = [
      await createReferralShopper(db(), shop.id, { referrerId: holder }),
      await createReferralShopper(db(), shop.id, { referrerId: holder }),
      await createReferralShopper(db(), shop.id, { referrerId: holder }),
    ];
    const before = await createReferralOrder(db(), shop, { buyerId: b1, payFen: 5_000 });
    await payOrder(db(), shop.id, before, daysAfter(T0, -1)); // before the trial: nothing
    const repeat = await createReferralOrder(db(), shop, { buyerId: b1, payFen: 5_000 });
    await payOrder(db(), shop.id, repeat, daysAfter(T0, 2)); // not b1's first order: nothing
    const first = await createReferralOrder(db(), shop, { buyerId: b2, payFen: 5_000 });
    await payOrder(db(), shop.id, first, daysAfter(T0, 3));
    const second = await createReferralOrder(db(), shop, { buyerId: b3, payFen: 5_000 });
    await payOrder(db(), shop.id, second, daysAfter(T0, 4)); // once only
    expect(await rewardsOf(db(), shop.id, before)).toEqual({});
    expect(await rewardsOf(db(), shop.id, repeat)).toEqual({});
    expect(await rewardsOf(db(), shop.id, first)).toEqual({ [`trial@${holder}`]: 2000 });
    expect(await rewardsOf(db(), shop.id, second)).toEqual({});
  });

  it('promotes a member who buys an activation product to agent, and their referrer to boss at 2 agents', async () => {
    const shop = await createReferralShop(db());
    const referrer = await createReferralShopper(db(), shop.id, { identity: 'agent', tier: 'converted' });
    const m1 = await createReferralShopper(db(), shop.id, { referrerId: referrer });
    const m2 = await createReferralShopper(db(), shop.id, { referrerId: referrer });
    const plain = await createReferralOrder(db(), shop, { buyerId: m1, payFen: 9_900 });
    expect((await payOrder(db(), shop.id, plain, T0)).promotions).toEqual([]);
    const act1 = await createReferralOrder(db(), shop, { buyerId: m1, payFen: 9_900, activation: true });
    expect((await payOrder(db(), shop.id, act1, T0)).promotions).toEqual([
      { shopperId: m1, from: 'member', to: 'agent', reason: 'activation_purchase', orderId: act1 },
    ]);
    expect(await identityOf(db(), shop.id, referrer)).toBe('agent');
    const act2 = await createReferralOrder(db(), shop, { buyerId: m2, payFen: 9_900, activation: true });
    const { promotions } = await payOrder(db(), shop.id, act2, T0);
    expect(promotions.map((p) => `${p.shopperId}:${p.to}`)).toEqual([`${m2}:agent`, `${referrer}:boss`]);
    // The order that made the referrer a boss is paid at the agent's rates; the next at the boss's.
    expect(await rewardsOf(db(), shop.id, act2)).toEqual({ [`direct@${referrer}`]: 990 });
    const next = await createReferralOrder(db(), shop, { buyerId: m2, payFen: 9_900 });
    await payOrder(db(), shop.id, next, T0);
    expect(await rewardsOf(db(), shop.id, next)).toEqual({ [`direct@${referrer}`]: 990, [`team@${referrer}`]: 495 });
    expect((await identityHistory(db(), shop.id, referrer)).map((h) => [h.from, h.to, h.reason, h.policyVersion, h.orderId])).toEqual([
      ['agent', 'boss', 'agent_referrals_reached', 0, act2],
    ]);
  });

  it('makes a core agent a boss with a single agent referral, and a member with enough agents a boss on activation', async () => {
    const shop = await createReferralShop(db());
    const core = await createReferralShopper(db(), shop.id, { identity: 'agent', tier: 'core' });
    const m = await createReferralShopper(db(), shop.id, { referrerId: core });
    await payOrder(db(), shop.id, await createReferralOrder(db(), shop, { buyerId: m, payFen: 100, activation: true }), T0);
    expect(await identityOf(db(), shop.id, core)).toBe('boss');

    const late = await createReferralShopper(db(), shop.id, { tier: 'converted' });
    await createReferralShopper(db(), shop.id, { referrerId: late, identity: 'agent' });
    await createReferralShopper(db(), shop.id, { referrerId: late, identity: 'agent' });
    const own = await createReferralOrder(db(), shop, { buyerId: late, payFen: 100, activation: true });
    const { promotions } = await payOrder(db(), shop.id, own, T0);
    expect(promotions.map((p) => p.to)).toEqual(['agent', 'boss']);
  });

  it('pays nothing twice when paid and refunded events are replayed, even after identities changed', async () => {
    const shop = await createReferralShop(db());
    const boss = await createReferralShopper(db(), shop.id, { identity: 'boss' });
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: boss });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 20_000, activation: true });
    await payOrder(db(), shop.id, o, T0);
    const once = await ledgerEntries(db(), shop.id);
    await db().query("UPDATE shoppers SET referral_identity = 'boss' WHERE id = $1", [agent]);
    expect(await db().transaction((tx) => onOrderPaid(tx, shop.id, o, daysAfter(T0, 1)))).toEqual({ credited: 0, promotions: [] });
    expect(await ledgerEntries(db(), shop.id)).toEqual(once);

    await refundOrder(db(), shop.id, o, daysAfter(T0, 2));
    const refunded = await ledgerEntries(db(), shop.id);
    expect(refunded.every((e) => e.state === 'reversed')).toBe(true);
    expect((await db().transaction((tx) => onOrderRefunded(tx, shop.id, o, daysAfter(T0, 3)))).clawedBack).toBe(0);
    expect(await ledgerEntries(db(), shop.id)).toEqual(refunded);
    // A paid event arriving after the refund pays nothing either.
    expect((await db().transaction((tx) => onOrderPaid(tx, shop.id, o, daysAfter(T0, 4)))).credited).toBe(0);
  });

  it('settles rewards once the return window after delivery has passed', async () => {
    const shop = await createReferralShop(db(), { returnWindowDays: 7 });
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent' });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 10_000 });
    await payOrder(db(), shop.id, o, T0);
    expect(await settleDue(db(), shop.id, daysAfter(T0, 60))).toBe(0); // not delivered: not due
    const delivered = daysAfter(T0, 2);
    await deliverOrder(db(), shop.id, o, delivered);
    expect((await ledgerEntries(db(), shop.id, o))[0]!.settleAfter).toEqual(daysAfter(delivered, 7));
    expect(await settleDue(db(), shop.id, new Date(daysAfter(delivered, 7).getTime() - 1))).toBe(0);
    expect(await settleDue(db(), shop.id, daysAfter(delivered, 7))).toBe(1);
    expect(await settleDue(db(), shop.id, daysAfter(delivered, 8))).toBe(0);
    expect(await rewardTotals(db(), shop.id, agent)).toEqual({ pendingFen: 0, settledFen: 1000, reversedFen: 0 });
  });

  it('starts the window from a delivery recorded before the payment was priced', async () => {
    const shop = await createReferralShop(db(), { returnWindowDays: 3 });
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent' });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
    const delivered = daysAfter(T0, 1);
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 10_000, paidAt: T0, deliveredAt: delivered });
    await db().transaction((tx) => onOrderPaid(tx, shop.id, o, daysAfter(T0, 2)));
    expect((await ledgerEntries(db(), shop.id, o))[0]!.settleAfter).toEqual(daysAfter(delivered, 3));
  });

  it('holds back settlement while an after-sales request is open', async () => {
    const shop = await createReferralShop(db());
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent' });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 10_000 });
    await payOrder(db(), shop.id, o, T0);
    await deliverOrder(db(), shop.id, o, T0);
    await db().query(
      "INSERT INTO after_sales (shop_id, request_no, order_id, shopper_id, kind, reason) VALUES ($1, $2, $3, $4, 'return', '不合适')",
      [shop.id, `AS${o}`, o, buyer],
    );
    expect(await settleDue(db(), shop.id, daysAfter(T0, 30))).toBe(0);
  });

  it('claws back a settled reward with a negative entry, so the beneficiary is back to zero', async () => {
    const shop = await createReferralShop(db());
    const boss = await createReferralShopper(db(), shop.id, { identity: 'boss' });
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: boss });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 30_000 });
    await payOrder(db(), shop.id, o, T0);
    await deliverOrder(db(), shop.id, o, T0);
    expect(await settleDue(db(), shop.id, daysAfter(T0, 7))).toBe(2);
    expect(await rewardTotals(db(), shop.id, agent)).toEqual({ pendingFen: 0, settledFen: 3000, reversedFen: 0 });

    expect((await refundOrder(db(), shop.id, o, daysAfter(T0, 9))).clawedBack).toBe(2);
    const entries = await ledgerEntries(db(), shop.id, o);
    expect(entries.map((e) => [e.entryKey, e.amountFen, e.state])).toEqual([
      [`${o}:${agent}:direct`, 3000, 'settled'],
      [`${o}:${boss}:team`, 1500, 'settled'],
      [`${o}:${agent}:direct:reversal`, -3000, 'reversed'],
      [`${o}:${boss}:team:reversal`, -1500, 'reversed'],
    ]);
    expect(await rewardTotals(db(), shop.id, agent)).toEqual({ pendingFen: 0, settledFen: 0, reversedFen: 3000 });
    expect(await rewardTotals(db(), shop.id, boss)).toEqual({ pendingFen: 0, settledFen: 0, reversedFen: 1500 });
    const balances = await ledgerBalances(db(), shop.id);
    expect(balances.balanced).toBe(true);
    expect(balances.shop).toEqual({ creditsFen: 4500, reversalsFen: 4500, payableFen: 0 });
  });

  it('returns a buyer whose only activation purchase was refunded to member', async () => {
    const shop = await createReferralShop(db());
    const buyer = await createReferralShopper(db(), shop.id);
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 9_900, activation: true });
    await payOrder(db(), shop.id, o, T0);
    expect(await identityOf(db(), shop.id, buyer)).toBe('agent');
    expect((await refundOrder(db(), shop.id, o, daysAfter(T0, 1))).identityChange).toMatchObject({ to: 'member', reason: 'activation_refunded' });
    expect(await identityOf(db(), shop.id, buyer)).toBe('member');
  });

  it('keeps the ledger balanced: payable equals the sum of balances', async () => {
    const shop = await createReferralShop(db());
    const boss = await createReferralShopper(db(), shop.id, { identity: 'boss' });
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: boss });
    const orders = [];
    for (const pay of [1_001, 2_002, 3_003]) {
      const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
      const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: pay });
      await payOrder(db(), shop.id, o, T0);
      orders.push(o);
    }
    await deliverOrder(db(), shop.id, orders[0]!, T0);
    await settleDue(db(), shop.id, daysAfter(T0, 7));
    await refundOrder(db(), shop.id, orders[0]!, daysAfter(T0, 8));
    await refundOrder(db(), shop.id, orders[1]!, daysAfter(T0, 8));
    const b = await ledgerBalances(db(), shop.id);
    expect(b.balanced).toBe(true);
    expect(b.shop.payableFen).toBe(300 + 150); // only the third order's rewards remain
    expect(b.beneficiaries.reduce((s, x) => s + x.pendingFen + x.settledFen, 0)).toBe(b.shop.payableFen);
  });

  it('cannot store a reward beyond the second level', async () => {
    const shop = await createReferralShop(db());
    const s = await createReferralShopper(db(), shop.id);
    const o = await createReferralOrder(db(), shop, { buyerId: s, payFen: 100 });
    await expect(
      db().query(
        `INSERT INTO reward_ledger (shop_id, order_id, buyer_id, beneficiary_id, kind, level, amount_fen, state, entry_key, policy_version, created_at)
         VALUES ($1, $2, $3, $3, 'team', 3, 10, 'pending', 'x', 0, now())`,
        [shop.id, o, s],
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('versions the policy, validates it, and records the version on every entry', async () => {
    const shop = await createReferralShop(db());
    expect((await getReferralPolicy(db(), shop.id)).version).toBe(0);
    await expect(putReferralPolicy(db(), shop.id, { directRateBps: -1 })).rejects.toThrow(/invalid referral policy/);
    expect((await putReferralPolicy(db(), shop.id, { directRateBps: 1200 })).version).toBe(1);
    const v2 = await putReferralPolicy(db(), shop.id, { directRateBps: 1500 });
    expect(v2.version).toBe(2);
    expect((await getReferralPolicy(db(), shop.id)).policy.directRateBps).toBe(1500);
    const agent = await createReferralShopper(db(), shop.id, { identity: 'agent' });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: agent });
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 10_000 });
    await payOrder(db(), shop.id, o, T0);
    expect((await ledgerEntries(db(), shop.id, o)).map((e) => [e.amountFen, e.policyVersion])).toEqual([[1500, 2]]);
  });

  it('demotes a boss whose team agents bought nothing for 30 days, and re-promotes when the team buys again', async () => {
    const shop = await createReferralShop(db());
    const idle = await createReferralShopper(db(), shop.id, { identity: 'boss' });
    const active = await createReferralShopper(db(), shop.id, { identity: 'boss' });
    const lonely = await createReferralShopper(db(), shop.id, { identity: 'boss' }); // no agents: nobody to help
    const a1 = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: idle });
    const a2 = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: active });
    await createReferralOrder(db(), shop, { buyerId: a1, payFen: 1_000, paidAt: daysAfter(T0, -31) });
    await createReferralOrder(db(), shop, { buyerId: a2, payFen: 1_000, paidAt: daysAfter(T0, -10) });

    expect(await applyActivityRule(db(), shop.id, T0)).toEqual({ demoted: [idle], repromoted: [] });
    expect(await identityOf(db(), shop.id, idle)).toBe('agent');
    expect(await identityOf(db(), shop.id, lonely)).toBe('boss');
    expect(await applyActivityRule(db(), shop.id, T0)).toEqual({ demoted: [], repromoted: [] });

    // The demoted boss helps the idle agent complete an order: the team is active again.
    const helped = await createReferralOrder(db(), shop, { buyerId: a1, payFen: 3_000, createdAt: daysAfter(T0, 1) });
    await db().transaction((tx) => recordHelp(tx, shop.id, idle, a1, helped, daysAfter(T0, 1)));
    await payOrder(db(), shop.id, helped, daysAfter(T0, 2));
    expect(await rewardsOf(db(), shop.id, helped)).toEqual({ [`direct@${idle}`]: 300 }); // an agent now: no help reward
    expect(await applyActivityRule(db(), shop.id, daysAfter(T0, 3))).toEqual({ demoted: [], repromoted: [idle] });
    expect((await identityHistory(db(), shop.id, idle)).map((h) => `${h.from}>${h.to} ${h.reason}`)).toEqual([
      'boss>agent inactive_team',
      'agent>boss team_active_again',
    ]);
    expect(await applyActivityRule(db(), shop.id, daysAfter(T0, 25))).toEqual({ demoted: [active], repromoted: [] });
  });

  it('does not judge a boss promoted less than a window ago', async () => {
    const shop = await createReferralShop(db());
    const fresh = await createReferralShopper(db(), shop.id);
    for (let i = 0; i < 2; i++) {
      const agent = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: fresh });
      await createReferralOrder(db(), shop, { buyerId: agent, payFen: 1_000, paidAt: daysAfter(T0, -60) });
    }
    const own = await createReferralOrder(db(), shop, { buyerId: fresh, payFen: 9_900, activation: true });
    await payOrder(db(), shop.id, own, daysAfter(T0, -5));
    expect(await identityOf(db(), shop.id, fresh)).toBe('boss');
    expect((await applyActivityRule(db(), shop.id, T0)).demoted).toEqual([]);
    expect((await applyActivityRule(db(), shop.id, daysAfter(T0, 26))).demoted).toEqual([fresh]);
  });

  it('ranks the month’s 裂变之星 by new referred buyers, in the shop’s time zone', async () => {
    const shop = await createReferralShop(db());
    const [r1, r2, r3, r4] = [
      await createReferralShopper(db(), shop.id, { nickname: '阿花' }),
      await createReferralShopper(db(), shop.id, { nickname: '阿明' }),
      await createReferralShopper(db(), shop.id, { nickname: '阿强' }),
      await createReferralShopper(db(), shop.id, { nickname: '阿丽' }),
    ];
    const buyerPaying = async (referrerId: number, paidAt: string, status: 'paid' | 'refunded' = 'paid') => {
      const b = await createReferralShopper(db(), shop.id, { referrerId });
      const o = await createReferralOrder(db(), shop, { buyerId: b, payFen: 1_000, paidAt: new Date(paidAt) });
      if (status === 'refunded') await refundOrder(db(), shop.id, o, new Date(paidAt));
      return b;
    };
    // 2026-02-28 16:30 UTC is 2026-03-01 00:30 in Shanghai: a March buyer.
    await buyerPaying(r1, '2026-02-28T16:30:00Z');
    await buyerPaying(r1, '2026-03-05T02:00:00Z');
    await buyerPaying(r1, '2026-03-06T02:00:00Z', 'refunded');
    await buyerPaying(r2, '2026-03-02T02:00:00Z');
    await buyerPaying(r2, '2026-03-03T02:00:00Z');
    await buyerPaying(r3, '2026-03-02T02:00:00Z');
    await buyerPaying(r3, '2026-03-01T02:00:00Z');
    await buyerPaying(r4, '2026-02-27T02:00:00Z'); // February
    const repeat = await buyerPaying(r4, '2026-02-26T02:00:00Z');
    await createReferralOrder(db(), shop, { buyerId: repeat, payFen: 1_000, paidAt: new Date('2026-03-04T02:00:00Z') }); // not new in March

    const ranking = await monthlyRanking(db(), shop.id, '2026-03');
    // r2 and r3 tie with r1 at two; r3 reached two first (03-02), then r2 (03-03), then r1 (03-05).
    expect(ranking).toEqual([
      { rank: 1, shopperId: r3, nickname: '阿强', referredBuyers: 2 },
      { rank: 2, shopperId: r2, nickname: '阿明', referredBuyers: 2 },
      { rank: 3, shopperId: r1, nickname: '阿花', referredBuyers: 2 },
    ]);
    expect(await monthlyRanking(db(), shop.id, '2026-02')).toEqual([{ rank: 1, shopperId: r4, nickname: '阿丽', referredBuyers: 2 }]);
    await expect(monthlyRanking(db(), shop.id, '2026-13')).rejects.toThrow(/YYYY-MM/);
  });

  it('tells a shopper their status, and the tool shows it in yuan', async () => {
    const shop = await createReferralShop(db());
    const me = await createReferralShopper(db(), shop.id, { identity: 'agent', tier: 'converted' });
    const a = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: me });
    await createReferralShopper(db(), shop.id, { referrerId: me });
    await createReferralShopper(db(), shop.id, { referrerId: a });
    const buyer = await createReferralShopper(db(), shop.id, { referrerId: me });
    const o = await createReferralOrder(db(), shop, { buyerId: buyer, payFen: 12_990 });
    await payOrder(db(), shop.id, o, T0);

    const status = await referralStatus(db(), shop.id, me, T0);
    expect(status).toMatchObject({
      identity: 'agent',
      directReferrals: { count: 3, agents: 1 },
      bossThreshold: 2,
      agentsNeededForBoss: 1,
      needsActivationPurchase: false,
      teamSize: 4,
      rewards: { pendingFen: 1299, settledFen: 0, reversedFen: 0 },
      month: '2026-03',
      monthRank: 1,
      referredBuyersThisMonth: 1,
      isReferralStar: true,
      trial: null,
    });

    const ctx = await shopperContext(db(), shop.id, me, T0);
    const out = await runTool(getReferralStatus, ctx, {});
    expect(out).toMatchObject({
      identityName: '代理',
      agentsNeededForBoss: 1,
      rewards: { pending: { fen: 1299, display: '¥12.99' }, settled: { fen: 0, display: '¥0.00' } },
      monthRank: 1,
    });
  });
});
