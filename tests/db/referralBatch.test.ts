// The set-based batch path must give what onOrderPaid gives order by order. Random forests are in
// tests/property/referral.property.test.ts; here are the cases that are easiest to get wrong.
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { applyPaidOrdersBatch, ledgerEntries, onOrderPaid } from '../../src/domain/referral/index.ts';
import { describeDb } from '../helpers/db.ts';
import { buildScenario, daysAfter, normalizedState, type ScenarioSpec } from './referralFixtures.ts';

const T0 = new Date('2026-03-10T02:00:00Z');
const at = (h: number) => new Date(T0.getTime() + h * 3_600_000);

// 0 boss ─ 1 agent ─ 2 member ─ 5 member
//        │        └ 3 member
//        └ 4 member (core) ─ 6 member, 7 member (laotie) ─ 8 member
// 9 potential member with a trial ─ 10, 11
const SPEC: ScenarioSpec = {
  shoppers: [
    { parent: null, identity: 'boss', tier: 'converted' },
    { parent: 0, identity: 'agent', tier: 'converted' },
    { parent: 1, identity: 'member', tier: 'converted' },
    { parent: 1, identity: 'member', tier: 'converted' },
    { parent: 0, identity: 'member', tier: 'core' },
    { parent: 2, identity: 'member', tier: 'converted' },
    { parent: 4, identity: 'member', tier: 'converted' },
    { parent: 4, identity: 'member', tier: 'laotie' },
    { parent: 7, identity: 'member', tier: 'converted' },
    { parent: null, identity: 'member', tier: 'potential' },
    { parent: 9, identity: 'member', tier: 'converted' },
    { parent: 9, identity: 'member', tier: 'converted' },
  ],
  orders: [
    { buyer: 5, payFen: 10_000, activation: false, helped: false, paidAt: at(1) }, // 2 still a member: nothing
    { buyer: 2, payFen: 9_999, activation: true, helped: false, paidAt: at(2) }, // 2 → agent
    { buyer: 5, payFen: 10_000, activation: false, helped: false, paidAt: at(3) }, // 2 is an agent now
    { buyer: 3, payFen: 12_345, activation: true, helped: false, paidAt: at(4) }, // 3 → agent, 1 → boss
    { buyer: 2, payFen: 20_000, activation: false, helped: true, paidAt: at(5) }, // 1 a boss: team + peer + help
    { buyer: 6, payFen: 5_000, activation: true, helped: false, paidAt: at(6) }, // 4 still a member
    { buyer: 4, payFen: 5_000, activation: true, helped: false, paidAt: at(7) }, // 4 → agent → boss (core: 1 agent)
    { buyer: 8, payFen: 7_777, activation: false, helped: false, paidAt: at(8) }, // 老铁 lifetime to 7
    { buyer: 10, payFen: 3_000, activation: false, helped: false, paidAt: at(9) }, // trial reward to 9
    { buyer: 11, payFen: 3_000, activation: false, helped: false, paidAt: at(10) }, // trial already used
    { buyer: 6, payFen: 1_000, activation: false, helped: false }, // never paid
    { buyer: 3, payFen: 4_000, activation: false, helped: false, paidAt: at(11), deliveredAt: at(30) },
  ],
  trials: [{ holder: 9, startedAt: T0, endsAt: daysAfter(T0, 15) }],
};

async function sequentially(db: Db, spec: ScenarioSpec) {
  const s = await buildScenario(db, spec);
  for (const id of s.orderIds) await db.transaction((tx) => onOrderPaid(tx, s.shop.id, id, T0));
  return normalizedState(db, s.shop.id, s.shopperIds, s.orderIds);
}

async function inBatches(db: Db, spec: ScenarioSpec, ids: (orderIds: number[]) => number[][]) {
  const s = await buildScenario(db, spec);
  for (const batch of ids(s.orderIds)) await db.transaction((tx) => applyPaidOrdersBatch(tx, s.shop.id, batch, T0));
  return normalizedState(db, s.shop.id, s.shopperIds, s.orderIds);
}

describeDb('the batch path for paid orders', (db) => {
  it('gives the same ledger, identities, identity history and trials as onOrderPaid order by order', async () => {
    const expected = await sequentially(db(), SPEC);
    expect(expected.ledger).toContain('4:0:peer L2 200 pending -'); // 20 % of 1's team reward of 1000
    expect(expected.ledger).toContain('4:1:help L1 5000 pending -');
    expect(expected.changes).toContain('1 agent>boss agent_referrals_reached @3');
    expect(expected.changes).toContain('4 agent>boss agent_referrals_reached @6');
    expect(expected.trials).toEqual(['9:8']);
    expect(await inBatches(db(), SPEC, (ids) => [ids])).toEqual(expected);
    expect(await inBatches(db(), SPEC, (ids) => [ids.slice(0, 4), ids.slice(4)])).toEqual(expected);
  });

  it('counts a repeated order once, at its first position, and skips orders priced before', async () => {
    const expected = await sequentially(db(), SPEC);
    const replayed = await inBatches(db(), SPEC, (ids) => [[ids[0]!, ids[1]!, ids[0]!], [ids[1]!, ...ids.slice(2), ids[3]!], ids]);
    expect(replayed).toEqual(expected);

    const s = await buildScenario(db(), SPEC);
    for (const id of s.orderIds.slice(0, 5)) await db().transaction((tx) => onOrderPaid(tx, s.shop.id, id, T0));
    const out = await db().transaction((tx) => applyPaidOrdersBatch(tx, s.shop.id, s.orderIds, T0));
    expect(await normalizedState(db(), s.shop.id, s.shopperIds, s.orderIds)).toEqual(expected);
    expect((await db().transaction((tx) => applyPaidOrdersBatch(tx, s.shop.id, s.orderIds, T0))).credited).toBe(0);
    expect(out.credited).toBeGreaterThan(0);
  });

  it('starts the settlement window from delivery, in whole days of 24 hours', async () => {
    const s = await buildScenario(db(), SPEC, { returnWindowDays: 5 });
    await db().transaction((tx) => applyPaidOrdersBatch(tx, s.shop.id, s.orderIds, T0));
    const entries = await ledgerEntries(db(), s.shop.id, s.orderIds[11]!);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.settleAfter).toEqual(daysAfter(at(30), 5));
  });
});
