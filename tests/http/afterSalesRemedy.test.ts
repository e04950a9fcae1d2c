// What a complaint asks for, on POST /v1/chat with the offline model over the demo shop: "睫毛夹坏了
// 能换个新的吗" asks for the exchange of the order holding it (stated, then filed on the shopper's yes);
// "粉底液颜色不对 帮我换一个 不要积分" is an exchange, never a redemption; a question about the fee
// beside the reason ("我就是不想要了") states nothing. The rows in after_sales and points_ledger are the proof.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChatTurnResult } from '../../src/agent/turn.ts';
import type { Clock } from '../../src/context.ts';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { describeDemo, DEMO_NOW } from '../helpers/demo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const UNLIMITED = { RATE_LIMIT_SHOPPER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' };

describeDemo('a complaint that asks for a remedy, on the offline model', (db) => {
  let server: TestServer;
  const clock: Clock = { now: () => DEMO_NOW };

  async function chat(shopperId: number, message: string, conversationId?: string) {
    const res = await fetch(`${server.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.token(shopperId)}` },
      body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ChatTurnResult;
  }

  const shopper = async (n: string) => (await findShopperIdByOpenid(db(), 'demo', `demo-openid-${n}`))!;
  /** The shopper's latest delivered order whose items name the word. */
  async function deliveredWith(shopperId: number, word: string): Promise<string> {
    const { rows } = await db().query<{ order_no: string }>(
      `SELECT o.order_no FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.shopper_id = $1 AND o.status = 'delivered' AND i.product_name LIKE '%' || $2 || '%'
        ORDER BY o.created_at DESC LIMIT 1`,
      [shopperId, word],
    );
    return rows[0]!.order_no;
  }
  const requestsOf = async (shopperId: number) =>
    (
      await db().query<{ order_no: string; kind: string }>(
        'SELECT o.order_no, a.kind FROM after_sales a JOIN orders o ON o.id = a.order_id WHERE o.shopper_id = $1 ORDER BY a.id',
        [shopperId],
      )
    ).rows;
  const ledgerOf = async (shopperId: number) =>
    (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM points_ledger WHERE shopper_id = $1', [shopperId])).rows[0]!.n;

  beforeAll(async () => {
    server = await startTestServer(db(), { clock, env: UNLIMITED });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('states the exchange of the order holding the broken curler for "睫毛夹坏了 能换个新的吗", and files it on 确认', async () => {
    const who = await shopper('0007');
    const orderNo = await deliveredWith(who, '睫毛夹');
    const before = await requestsOf(who);

    const first = await chat(who, '睫毛夹坏了 能换个新的吗');
    expect(first.pendingAction, first.reply).toMatchObject({ tool: 'createAfterSales', summary: expect.stringContaining(orderNo) });
    expect(first.pendingAction!.summary).toContain('换货');
    expect(await requestsOf(who)).toEqual(before);

    await chat(who, '确认', first.conversationId);
    expect(await requestsOf(who)).toEqual([...before, { order_no: orderNo, kind: 'exchange' }]);
  });

  it('reads "粉底液颜色不对 帮我换一个 不要积分" as an exchange of the foundation, never a redemption', async () => {
    const who = await shopper('0002');
    const orderNo = await deliveredWith(who, '粉底液');
    const points = await ledgerOf(who);

    const first = await chat(who, '粉底液颜色不对 帮我换一个 不要积分');
    expect(first.pendingAction, first.reply).toMatchObject({ tool: 'createAfterSales', summary: expect.stringContaining(orderNo) });
    expect(first.pendingAction!.summary).toContain('换货');
    await chat(who, '取消', first.conversationId);
    expect(await ledgerOf(who)).toBe(points);
  });

  it('states nothing for a question about the return fee beside the reason ("退货运费谁出啊 我就是不想要了")', async () => {
    const who = await shopper('0002');
    const before = await requestsOf(who);
    const r = await chat(who, '退货运费谁出啊 我就是不想要了');
    expect(r.pendingAction, r.reply).toBeNull();
    expect(await requestsOf(who)).toEqual(before);
  });
});
