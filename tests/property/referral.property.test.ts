// Property tests of the 链动2+1 engine over random referral forests (depth up to 6) and random streams
// of paid / delivered / refunded / settle events with replays.
//
// The split, to keep ≥ 1,000 runs per property fast in CI:
// - Part A runs the properties 1,000 times against the PURE reward computation (rewards.ts and the
//   identity rules) driven by an in-memory model of the ledger below.
// - Part B drives the real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set) with fewer
//   runs, and checks after every event that the database holds exactly what the model holds — so the
//   1,000-run properties of the model carry over to the SQL — plus the properties themselves on the
//   database's own answers (ledgerBalances, replays, refunds).
// - Part C checks on the database that the set-based batch path equals onOrderPaid order by order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIERS, type ReferralIdentity, type Tier } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { becomesAgent, becomesBoss } from '../../src/domain/referral/identity.ts';
import { applyPaidOrdersBatch, ledgerBalances, onOrderPaid, settleDue } from '../../src/domain/referral/index.ts';
import { referralPolicySchema, type ReferralPolicy } from '../../src/domain/referral/policy.ts';
import { computeOrderRewards, creditKey, reversalKey, type RewardKind, type RewardLevel } from '../../src/domain/referral/rewards.ts';
import { describeDb } from '../helpers/db.ts';
import {
  buildScenario,
  deliverOrder,
  normalizedState,
  payOrder,
  refundOrder,
  type NormalizedState,
  type ScenarioSpec,
} from '../db/referralFixtures.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINDOW_DAYS = 7;
const IDENTITIES: ReferralIdentity[] = ['member', 'agent', 'boss'];

// ── arbitraries ──────────────────────────────────────────────────────────────────────────────────

type ShopperSpec = ScenarioSpec['shoppers'][number];

/** A forest: each shopper's referrer is an earlier shopper (often the previous one, for deep chains). */
const forestArb = (maxShoppers: number) =>
  fc
    .array(
      fc.record({
        parent: fc.oneof(fc.constant<'none'>('none'), fc.constant<'prev'>('prev'), fc.nat()),
        identity: fc.constantFrom(...IDENTITIES),
        tier: fc.constantFrom(...TIERS),
      }),
      { minLength: 2, maxLength: maxShoppers },
    )
    .map((raw): ShopperSpec[] => {
      const depth: number[] = [];
      return raw.map((s, i) => {
        let parent = i === 0 || s.parent === 'none' ? null : s.parent === 'prev' ? i - 1 : s.parent % i;
        if (parent !== null && depth[parent]! >= 5) parent = null; // at most 6 generations
        depth.push(parent === null ? 0 : depth[parent]! + 1);
        return { parent, identity: s.identity, tier: s.tier };
      });
    });

const policyArb = fc
  .record({
    directRateBps: fc.integer({ min: 0, max: 3000 }),
    teamRateBps: fc.integer({ min: 0, max: 2000 }),
    teamRateBpsCore: fc.integer({ min: 0, max: 2000 }),
    boostedTiers: fc.subarray([...TIERS]),
    peerRateBps: fc.integer({ min: 0, max: 5000 }),
    helpRewardFen: fc.integer({ min: 0, max: 10_000 }),
    laotieLifetimeRateBps: fc.integer({ min: 0, max: 1000 }),
    bossAgentReferrals: fc.integer({ min: 1, max: 3 }),
    bossAgentReferralsCore: fc.integer({ min: 1, max: 2 }),
    trialRewardFen: fc.integer({ min: 0, max: 5000 }),
  })
  .map((p) => referralPolicySchema.parse(p));

type EventType = 'paid' | 'delivered' | 'refunded' | 'settle';
interface RawEvent {
  type: EventType | 'replay';
  order: number;
  hours: number;
  pick: number;
}
interface Event {
  type: EventType;
  order: number;
  at: number;
  /**
   * 'duplicate': the previous event delivered again, which must change nothing. 'late': an earlier
   * event delivered again out of order, which may legitimately act (a refund first delivered before
   * the payment, as a no-op, refunds the order now); the model says what it must do.
   */
  replay: 'duplicate' | 'late' | null;
}

interface World {
  spec: ScenarioSpec;
  policy: ReferralPolicy;
  events: Event[];
}

const worldArb = (sizes: { shoppers: number; orders: number; events: number }) =>
  fc
    .tuple(
      forestArb(sizes.shoppers),
      policyArb,
      fc.array(
        fc.record({
          buyer: fc.nat(),
          payFen: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2_000_000 })),
          activation: fc.boolean(),
          helped: fc.boolean(),
        }),
        { minLength: 1, maxLength: sizes.orders },
      ),
      fc.array(fc.record({ holder: fc.nat(), startHours: fc.integer({ min: -100, max: 400 }) }), { maxLength: 3 }),
      fc.array(
        fc.record({
          type: fc.constantFrom<RawEvent['type']>('paid', 'paid', 'delivered', 'refunded', 'settle', 'replay', 'replay'),
          order: fc.nat(),
          hours: fc.integer({ min: 1, max: 240 }),
          pick: fc.nat(),
        }),
        { maxLength: sizes.events },
      ),
    )
    .map(([shoppers, policy, orders, trials, raw]): World => {
      const n = shoppers.length;
      const holders = [...new Map(trials.map((t) => [t.holder % n, t.startHours])).entries()];
      const spec: ScenarioSpec = {
        shoppers,
        orders: orders.map((o) => ({ ...o, buyer: o.buyer % n })),
        trials: holders.map(([holder, h]) => ({
          holder,
          startedAt: new Date(T0 + h * HOUR),
          endsAt: new Date(T0 + h * HOUR + policy.trialDays * DAY),
        })),
        policy,
      };
      const events: Event[] = [];
      let at = T0;
      for (const r of raw) {
        if (r.type === 'replay') {
          const late = r.pick % 2 === 1;
          const earlier = late ? events[(r.pick >> 1) % Math.max(events.length, 1)] : events.at(-1);
          if (earlier) events.push({ ...earlier, replay: late ? 'late' : 'duplicate' });
          continue;
        }
        at += r.hours * HOUR;
        events.push({ type: r.type, order: r.order % orders.length, at, replay: null });
      }
      return { spec, policy, events };
    });

// ── the in-memory model of the ledger ────────────────────────────────────────────────────────────

interface ModelEntry {
  order: number;
  beneficiary: number;
  kind: RewardKind;
  level: RewardLevel;
  amount: number;
  state: 'pending' | 'settled' | 'reversed';
  settleAfter: number | null;
  reversal: boolean;
}

/** The ledger as the engine should keep it, built from rewards.ts and the identity rules. Ids are indices. */
class ReferralModel {
  readonly identities: ReferralIdentity[];
  readonly orders: Array<{ status: 'created' | 'paid' | 'delivered' | 'refunded'; paidAt: number | null; deliveredAt: number | null }>;
  readonly trials = new Map<number, { startedAt: Date; endsAt: Date; rewardedOrderId: number | null }>();
  readonly ledger = new Map<string, ModelEntry>();
  readonly changes: string[] = [];
  private readonly priced = new Set<number>();
  private readonly madeAgentBy = new Map<number, Set<number>>();

  constructor(
    readonly spec: ScenarioSpec,
    readonly policy: ReferralPolicy,
  ) {
    this.identities = spec.shoppers.map((s) => s.identity);
    this.orders = spec.orders.map(() => ({ status: 'created', paidAt: null, deliveredAt: null }));
    for (const t of spec.trials) this.trials.set(t.holder, { startedAt: t.startedAt, endsAt: t.endsAt, rewardedOrderId: null });
  }

  parent(i: number | null): number | null {
    return i === null ? null : this.spec.shoppers[i]!.parent;
  }

  private isPaid(o: number) {
    const s = this.orders[o]!.status;
    return s === 'paid' || s === 'delivered';
  }

  apply(e: Event) {
    if (e.type === 'paid') this.paid(e.order, e.at);
    else if (e.type === 'delivered') this.delivered(e.order, e.at);
    else if (e.type === 'refunded') this.refunded(e.order);
    else this.settle(e.at);
  }

  private member(i: number) {
    return { id: i, identity: this.identities[i]!, tier: this.spec.shoppers[i]!.tier };
  }

  private change(shopper: number, from: ReferralIdentity, to: ReferralIdentity, reason: string, order: number) {
    this.identities[shopper] = to;
    this.changes.push(`${shopper} ${from}>${to} ${reason} @${order}`);
  }

  paid(o: number, at: number) {
    const order = this.orders[o]!;
    if (order.status === 'created') Object.assign(order, { status: 'paid', paidAt: at });
    if (!this.isPaid(o) || this.priced.has(o)) return;
    this.priced.add(o);
    const spec = this.spec.orders[o]!;
    const buyer = spec.buyer;
    const r1 = this.parent(buyer);
    const r2 = this.parent(r1);
    const paidAt = order.paidAt!;
    const firstPaid = this.orders.every(
      (other, j) => j === o || this.spec.orders[j]!.buyer !== buyer || other.paidAt === null || other.paidAt > paidAt || (other.paidAt === paidAt && j > o),
    );
    const trial = r1 === null ? undefined : this.trials.get(r1);
    const lines = computeOrderRewards(
      {
        orderId: o,
        payFen: spec.payFen,
        paidAt: new Date(paidAt),
        upline: r1 === null ? null : { referrer: this.member(r1), referrerOfReferrer: r2 === null ? null : this.member(r2) },
        helpedByBossId: spec.helped ? r1 : null,
        referrerTrial: trial ?? null,
        buyersFirstPaidOrder: firstPaid,
      },
      this.policy,
    );
    for (const l of lines) {
      if (l.kind === 'trial') trial!.rewardedOrderId = o;
      this.ledger.set(creditKey(o, l.beneficiaryId, l.kind), {
        order: o,
        beneficiary: l.beneficiaryId,
        kind: l.kind,
        level: l.level,
        amount: l.amountFen,
        state: 'pending',
        settleAfter: order.deliveredAt === null ? null : order.deliveredAt + WINDOW_DAYS * DAY,
        reversal: false,
      });
    }
    if (!becomesAgent(this.identities[buyer]!, spec.activation)) return;
    this.change(buyer, 'member', 'agent', 'activation_purchase', o);
    this.madeAgentBy.set(buyer, (this.madeAgentBy.get(buyer) ?? new Set()).add(o));
    for (const c of [buyer, r1]) {
      if (c === null) continue;
      const agents = this.spec.shoppers.filter((s, i) => s.parent === c && this.identities[i] !== 'member').length;
      if (becomesBoss(this.identities[c]!, agents, this.spec.shoppers[c]!.tier, this.policy)) this.change(c, 'agent', 'boss', 'agent_referrals_reached', o);
    }
  }

  /** Only a real delivery (paid → delivered) reaches the engine, as event ingestion forwards it. */
  delivered(o: number, at: number) {
    const order = this.orders[o]!;
    if (order.status !== 'paid') return;
    Object.assign(order, { status: 'delivered', deliveredAt: at });
    for (const e of this.ledger.values()) {
      if (e.order === o && e.state === 'pending') e.settleAfter = at + WINDOW_DAYS * DAY;
    }
  }

  refunded(o: number) {
    if (this.isPaid(o)) this.orders[o]!.status = 'refunded';
    for (const [key, e] of [...this.ledger.entries()]) {
      if (e.order !== o || e.reversal) continue;
      if (e.state === 'pending') e.state = 'reversed';
      else if (e.state === 'settled' && !this.ledger.has(reversalKey(key))) {
        this.ledger.set(reversalKey(key), { ...e, amount: -e.amount, state: 'reversed', settleAfter: null, reversal: true });
      }
    }
    const buyer = this.spec.orders[o]!.buyer;
    const otherActivation = this.spec.orders.some((s, j) => j !== o && s.buyer === buyer && s.activation && this.isPaid(j));
    if (this.identities[buyer] === 'agent' && this.madeAgentBy.get(buyer)?.has(o) && !otherActivation) {
      this.change(buyer, 'agent', 'member', 'activation_refunded', o);
    }
  }

  settle(at: number) {
    for (const e of this.ledger.values()) {
      if (e.state === 'pending' && e.settleAfter !== null && e.settleAfter <= at) e.state = 'settled';
    }
  }

  /** What each beneficiary is owed now (pending + settled, net of reversal entries). */
  balances(): Map<number, number> {
    const out = new Map<number, number>();
    for (const e of this.ledger.values()) {
      if (e.state === 'reversed' && !e.reversal) continue;
      out.set(e.beneficiary, (out.get(e.beneficiary) ?? 0) + e.amount);
    }
    return out;
  }

  /** In the shape of normalizedState(), to compare with the database. */
  state(): NormalizedState {
    return {
      ledger: [...this.ledger.entries()]
        .map(([key, e]) => `${key} L${e.level} ${e.amount} ${e.state} ${e.settleAfter === null ? '-' : new Date(e.settleAfter).toISOString()}`)
        .sort(),
      identities: [...this.identities],
      changes: [...this.changes].sort(),
      trials: [...this.trials.entries()].map(([h, t]) => `${h}:${t.rewardedOrderId ?? '-'}`).sort(),
    };
  }
}

// ── properties over the model (Part A) ───────────────────────────────────────────────────────────

/** (1) Every entry goes to the buyer's referrer (level 1) or that referrer's referrer (level 2). */
function assertTwoLevels(m: ReferralModel) {
  for (const e of m.ledger.values()) {
    const buyer = m.spec.orders[e.order]!.buyer;
    const ancestor = e.level === 1 ? m.parent(buyer) : m.parent(m.parent(buyer));
    expect(e.beneficiary).toBe(ancestor);
    expect([1, 2]).toContain(e.level);
    if (e.kind === 'peer') expect(e.level).toBe(2);
    else if (e.kind !== 'team') expect(e.level).toBe(1);
  }
}

/** (2) Live credits minus reversal entries equal the sum of balances; no balance below zero; every reversal mirrors a settled credit. */
function assertBalanced(m: ReferralModel) {
  let credits = 0;
  let reversals = 0;
  for (const [key, e] of m.ledger) {
    if (e.reversal) {
      reversals -= e.amount;
      const credit = m.ledger.get(key.slice(0, -':reversal'.length))!;
      expect(credit.state).toBe('settled');
      expect(credit.amount + e.amount).toBe(0);
    } else if (e.state !== 'reversed') credits += e.amount;
  }
  const balances = [...m.balances().values()];
  expect(balances.reduce((a, b) => a + b, 0)).toBe(credits - reversals);
  for (const b of balances) expect(b).toBeGreaterThanOrEqual(0);
}

describe('the referral engine over random forests (pure model, 1,000 runs each)', () => {
  const sizes = { shoppers: 30, orders: 30, events: 60 };
  const run = (world: World) => {
    const m = new ReferralModel(world.spec, world.policy);
    for (const e of world.events) m.apply(e);
    return m;
  };

  it('(1) pays nobody but the buyer’s referrer and that referrer’s referrer', () => {
    fc.assert(fc.property(worldArb(sizes), (w) => assertTwoLevels(run(w))), { numRuns: 1000 });
  });

  it('(2) keeps the ledger balanced', () => {
    fc.assert(fc.property(worldArb(sizes), (w) => assertBalanced(run(w))), { numRuns: 1000 });
  });

  it('(3) changes nothing when an event is delivered twice', () => {
    fc.assert(
      fc.property(worldArb(sizes), (w) => {
        const m = new ReferralModel(w.spec, w.policy);
        for (const e of w.events) {
          m.apply(e);
          const before = m.state();
          m.apply(e);
          expect(m.state()).toEqual(before);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('(4) returns every beneficiary to where they were when the orders are refunded', () => {
    fc.assert(
      fc.property(worldArb(sizes), (w) => {
        const m = run(w);
        const last = w.events.at(-1)?.at ?? T0;
        m.settle(last + 30 * DAY); // some credits settled, some pending
        w.spec.orders.forEach((_, o) => m.refunded(o));
        for (const b of m.balances().values()) expect(b).toBe(0);
        assertBalanced(m);
      }),
      { numRuns: 1000 },
    );
  });
});

// ── the same against the database (Part B) and the batch path (Part C) ───────────────────────────

async function applyToDb(db: Db, shopId: string, orderIds: number[], e: Event) {
  const at = new Date(e.at);
  if (e.type === 'paid') await payOrder(db, shopId, orderIds[e.order]!, at);
  else if (e.type === 'delivered') await deliverOrder(db, shopId, orderIds[e.order]!, at);
  else if (e.type === 'refunded') await refundOrder(db, shopId, orderIds[e.order]!, at);
  else await db.transaction((tx) => settleDue(tx, shopId, at));
}

// The issue asks for at least 1,000 cases per property in CI, on the database as on the model.
// Generous timeouts: each run builds a shop; the shared CI machines can be slow.
const DB_PROPERTY_RUNS = 1000;
const DB_PROPERTY_TIMEOUT = 1_800_000;

describeDb('the referral engine over random forests (database)', (db, driver) => {
  const small = { shoppers: 10, orders: 8, events: 20 };

  it('holds what the model holds after every event; balanced, replay-proof, refunds to zero', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb(small), async (w) => {
        const s = await buildScenario(db(), w.spec, { returnWindowDays: WINDOW_DAYS });
        const m = new ReferralModel(w.spec, w.policy);
        const dbState = () => normalizedState(db(), s.shop.id, s.shopperIds, s.orderIds);
        for (const e of w.events) {
          const before = e.replay === 'duplicate' ? await dbState() : null;
          await applyToDb(db(), s.shop.id, s.orderIds, e);
          m.apply(e);
          const now = await dbState();
          expect(now).toEqual(m.state());
          if (before) expect(now).toEqual(before); // (3) on the database
        }
        assertTwoLevels(m); // (1), and the database equals the model
        expect((await ledgerBalances(db(), s.shop.id)).balanced).toBe(true); // (2)
        const end = new Date((w.events.at(-1)?.at ?? T0) + 30 * DAY);
        await db().transaction((tx) => settleDue(tx, s.shop.id, end));
        for (const id of s.orderIds) await refundOrder(db(), s.shop.id, id, end);
        const after = await ledgerBalances(db(), s.shop.id); // (4)
        expect(after.balanced).toBe(true);
        expect(after.shop.payableFen).toBe(0);
        for (const b of after.beneficiaries) expect(b.pendingFen + b.settledFen).toBe(0);
      }),
      { numRuns: DB_PROPERTY_RUNS },
    );
  }, DB_PROPERTY_TIMEOUT);

  it('prices paid orders in batches exactly as onOrderPaid does one by one', async () => {
    const batchWorld = fc.tuple(
      worldArb({ shoppers: 10, orders: 10, events: 0 }),
      fc.array(fc.nat(), { maxLength: 12 }), // replays mixed into the stream
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }), // batch sizes
    );
    await fc.assert(
      fc.asyncProperty(batchWorld, async ([w, replays, sizes]) => {
        const paid: ScenarioSpec = {
          ...w.spec,
          orders: w.spec.orders.map((o, i) => ({ ...o, paidAt: new Date(T0 + ((i * 7) % 5) * HOUR) })),
        };
        const stream = paid.orders.map((_, i) => i);
        for (const r of replays) stream.splice(r % (stream.length + 1), 0, r % paid.orders.length);

        const one = await buildScenario(db(), paid);
        for (const i of stream) await db().transaction((tx) => onOrderPaid(tx, one.shop.id, one.orderIds[i]!, new Date(T0)));
        const many = await buildScenario(db(), paid);
        for (let k = 0, from = 0; from < stream.length; k++) {
          const size = sizes[k % sizes.length]!;
          const ids = stream.slice(from, from + size).map((i) => many.orderIds[i]!);
          await db().transaction((tx) => applyPaidOrdersBatch(tx, many.shop.id, ids, new Date(T0)));
          from += size;
        }
        expect(await normalizedState(db(), many.shop.id, many.shopperIds, many.orderIds)).toEqual(
          await normalizedState(db(), one.shop.id, one.shopperIds, one.orderIds),
        );
      }),
      { numRuns: DB_PROPERTY_RUNS },
    );
  }, DB_PROPERTY_TIMEOUT);
});
