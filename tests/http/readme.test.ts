// The README's sample-shopper table and its curl, played against the demo shop as written: every "what
// to try" line is sent as that shopper over HTTP (the offline model), and the facts of each reply are
// checked against the database (order number and state, window end, coupons, direct referrals, team
// size, reward amounts).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatPrice } from '../../src/domain/catalog/price.ts';
import { getReferralPolicy } from '../../src/domain/referral/policy.ts';
import { DEMO_NOW, describeDemo } from '../helpers/demo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Turn {
  reply: string;
  toolCalls: Array<{ name: string; input: Record<string, unknown>; output: any }>;
}

/** The table's rows: openid and the messages to try, in order (notes without a message left out). */
function readmeLines(): Array<{ openid: string; messages: string[] }> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const rows: Array<{ openid: string; messages: string[] }> = [];
  for (const m of readme.matchAll(/^\| (demo-openid-\d{4}) \([^)]*\) \| [^|]* \| ([^|]*) \|$/gm)) {
    const messages: string[] = [];
    for (const item of m[2]!.split(';')) {
      // "推荐个… 200以内, then 第二个呢?" is two turns; "(latest order in transit)" is a note about the line.
      const turns = item.replace(/\([^)]*\)/g, '').split(/, then /).map((t) => t.trim());
      // A line to try is Chinese; "birthday in 5 days" or "洗衣液 bought 52 days ago" describe the shopper.
      if (turns.every((t) => !/[a-z]{2,}/i.test(t.replace(/\d+/g, '')))) messages.push(...turns);
    }
    rows.push({ openid: m[1]!, messages });
  }
  return rows;
}

describeDemo("the README's sample shoppers, as the README says to try them", (db) => {
  let server: TestServer;
  const lines = readmeLines();

  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server?.close());

  const one = async <T>(sql: string, params: unknown[]) => (await db().query<T>(sql, params)).rows[0]!;
  const shopperOf = async (openid: string) => (await one<{ id: number }>(`SELECT id FROM shoppers WHERE shop_id = 'demo' AND openid = $1`, [openid])).id;
  const latestOrder = (shopperId: number) =>
    one<{ id: number; order_no: string; status: string; pay_fen: number }>(
      `SELECT id, order_no, status, pay_fen FROM orders WHERE shop_id = 'demo' AND shopper_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [shopperId],
    );

  /** The shop-local day the order's return window ended on, or false while it is still open. */
  async function windowEnd(orderId: number): Promise<string | false> {
    const r = await one<{ ended: boolean; day: string }>(
      `SELECT o.delivered_at + make_interval(days => 7) <= $2 AS ended,
              to_char((o.delivered_at + make_interval(days => 7)) AT TIME ZONE s.timezone, 'YYYY-MM-DD') AS day
         FROM orders o JOIN shops s ON s.id = o.shop_id WHERE o.id = $1`,
      [orderId, DEMO_NOW],
    );
    return r.ended && r.day;
  }

  async function referralFacts(shopperId: number) {
    return one<{ direct: number; team: number; pending: number; settled: number }>(
      `SELECT (SELECT count(*) FROM shoppers r WHERE r.shop_id = 'demo' AND r.referrer_id = $1) AS direct,
              (SELECT count(*) FROM shoppers r WHERE r.shop_id = 'demo' AND r.referrer_id = $1)
              + (SELECT count(*) FROM shoppers r JOIN shoppers g ON g.referrer_id = r.id
                  WHERE r.shop_id = 'demo' AND r.referrer_id = $1 AND r.referral_identity = 'agent') AS team,
              (SELECT coalesce(sum(amount_fen), 0) FROM reward_ledger WHERE shop_id = 'demo' AND beneficiary_id = $1 AND state = 'pending') AS pending,
              (SELECT coalesce(sum(amount_fen), 0) FROM reward_ledger WHERE shop_id = 'demo' AND beneficiary_id = $1 AND state = 'settled') AS settled`,
      [shopperId],
    );
  }

  // What each line's reply must say, from the database.
  const checks: Record<string, (shopperId: number, turn: Turn, previous: Turn | undefined) => Promise<void>> = {
    async 我的订单到哪了(shopperId, t) {
      const order = await latestOrder(shopperId);
      expect(order.status).toBe('shipped');
      const { carrier } = await one<{ carrier: string }>('SELECT carrier FROM shipments WHERE order_id = $1', [order.id]);
      expect(t.reply).toContain(order.order_no);
      expect(t.reply).toContain(carrier);
    },
    async 我的推广(shopperId, t) {
      const f = await referralFacts(shopperId);
      expect(f.pending).toBeGreaterThan(0);
      expect(f.settled).toBeGreaterThan(0);
      expect(t.reply).toContain(`直推${f.direct}人，团队${f.team}人`);
      expect(t.reply).toContain(`待结算${formatPrice(f.pending)}，已结算${formatPrice(f.settled)}`);
    },
    async 我的推广收益(shopperId, t, previous) {
      await checks['我的推广']!(shopperId, t, previous);
    },
    async 我要退货(shopperId, t) {
      // Inside the window: the return is stated for the shopper's yes, not filed yet.
      const order = await latestOrder(shopperId);
      expect(order.status).toBe('delivered');
      expect(await windowEnd(order.id)).toBe(false);
      expect(t.reply).toContain(order.order_no);
      expect(t.reply).toContain(`退款 ${formatPrice(order.pay_fen)}`);
      expect(await one<{ n: number }>('SELECT count(*) AS n FROM after_sales WHERE order_id = $1', [order.id])).toEqual({ n: 0 });
    },
    async 还能退货吗(shopperId, t) {
      const order = await latestOrder(shopperId);
      expect(t.reply).toContain(order.order_no);
      expect(t.reply).toContain(`售后期已于 ${await windowEnd(order.id)} 结束`);
    },
    async 我的订单怎么还没发货(shopperId, t) {
      const order = await latestOrder(shopperId);
      expect(order.status).toBe('paid');
      expect(t.reply).toContain(order.order_no);
    },
    async 我有什么优惠券(shopperId, t) {
      const { names } = await one<{ names: string[] }>(
        `SELECT coalesce(array_agg(DISTINCT t.name), '{}') AS names FROM coupons c JOIN coupon_templates t ON t.id = c.template_id
          WHERE c.shop_id = 'demo' AND c.shopper_id = $1 AND c.status = 'unused'`,
        [shopperId],
      );
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(t.reply).toContain(name);
    },
    async '推荐个适合干皮的粉底液 200以内'(_shopperId, t) {
      const shown = [...t.reply.matchAll(/^\d+\. (.+?)  (¥\d+\.\d\d)/gm)].map((m) => ({ name: m[1]!, price: m[2]! }));
      expect(shown.length).toBeGreaterThan(1);
      for (const item of shown) {
        const p = await one<{ price_fen: number; status: string }>(`SELECT price_fen, status FROM products WHERE shop_id = 'demo' AND name = $1`, [item.name]);
        expect(item.name).toContain('粉底液');
        expect(formatPrice(p.price_fen)).toBe(item.price);
        expect(p.price_fen).toBeLessThanOrEqual(20_000);
      }
    },
    async '第二个呢?'(_shopperId, t, previous) {
      const second = /^2\. (.+?)  ¥/m.exec(previous!.reply)![1]!;
      expect(t.reply).toContain(second);
    },
    async 团队奖是啥意思(_shopperId, t) {
      // From the shop's rules document, at the shop's own rates.
      const { policy } = await getReferralPolicy(db(), 'demo');
      expect(t.toolCalls.map((c) => c.name)).toContain('searchKnowledge');
      expect(t.reply).toContain(`${policy.teamRateBps / 100}%的团队奖`);
      expect(t.reply).toContain(`团队奖比例提高到${policy.teamRateBpsCore / 100}%`);
    },
    async 怎么才能当老板(shopperId, t) {
      // An agent: how many more directly referred agents make boss (2; 1 for core and 老铁).
      const { tier, agents } = await one<{ tier: string; agents: number }>(
        `SELECT s.tier, (SELECT count(*) FROM shoppers r WHERE r.referrer_id = s.id AND r.referral_identity IN ('agent', 'boss')) AS agents
           FROM shoppers s WHERE s.id = $1`,
        [shopperId],
      );
      const needed = Math.max(0, (tier === 'core' || tier === 'laotie' ? 1 : 2) - agents);
      expect(needed).toBeGreaterThan(0);
      expect(t.reply).toContain(`再直推${needed}位代理就能升级为老板`);
    },
  };

  it('lists a message to try for every sample shopper, each with its check', () => {
    expect(lines.map((l) => l.openid)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `demo-openid-000${n}`));
    for (const l of lines) {
      expect(l.messages.length, l.openid).toBeGreaterThan(0);
      for (const m of l.messages) expect(Object.keys(checks), `${l.openid}: ${m}`).toContain(m);
    }
  });

  // Lines the card answers wrong today: each is a test expected to fail, so that the fix turns it red
  // and the entry is removed with it.
  const KNOWN_WRONG: Record<string, string> = {
  };

  it("answers the README's curl as the shopper whose token npm start prints (demo-openid-0001)", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const body = /curl -s localhost:8787\/v1\/chat [^\n]*\\\n\s*-d '([^']*)'/.exec(readme)![1]!;
    const { message } = JSON.parse(body) as { message: string };
    const shopperId = await shopperOf('demo-openid-0001');
    const res = await fetch(`${server.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.token(shopperId)}` },
      body,
    });
    expect(res.status).toBe(200);
    expect(Object.keys(checks)).toContain(message);
    await checks[message]!(shopperId, (await res.json()) as Turn, undefined);
  });

  for (const { openid, messages } of lines) {
    // The lines of one shopper are one conversation, in order ("第二个呢?" follows the recommendation).
    const conversation: { id?: string; previous?: Turn } = {};
    for (const message of messages) {
      const known = KNOWN_WRONG[`${openid} ${message}`];
      (known ? it.fails : it)(`answers ${openid}: ${message}${known ? ` (known wrong: ${known})` : ''}`, async () => {
        const shopperId = await shopperOf(openid);
        const res = await fetch(`${server.url}/v1/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.token(shopperId)}` },
          body: JSON.stringify({ message, ...(conversation.id ? { conversationId: conversation.id } : {}) }),
        });
        expect(res.status).toBe(200);
        const turn = (await res.json()) as Turn & { conversationId: string };
        const previous = conversation.previous;
        Object.assign(conversation, { id: turn.conversationId, previous: turn });
        await checks[message]!(shopperId, turn, previous);
      });
    }
  }
});
