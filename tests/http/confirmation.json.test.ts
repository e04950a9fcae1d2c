// "Nothing spent without a yes" (docs/domain.md §14 Confirmation) on POST /v1/chat, over a real port,
// with a scripted OpenAI-compatible model that calls a write at once. The first turn only states the
// action (pendingAction in the answer, nothing in the database); the shopper's next message decides:
// 确认 runs it exactly once — also when two arrive together —, 取消 or anything else writes nothing, and
// a yes after the action's time is told it expired. A yes in another conversation or with another
// shopper's token runs nothing, and a yes runs the last proposal shown, never one it replaced. The rows
// in after_sales, points_ledger and coupons are the proof, not the model's words.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { renderPrompt } from '../../src/agent/prompts.ts';
import type { ChatTurnResult } from '../../src/agent/turn.ts';
import type { Clock } from '../../src/context.ts';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { previewAfterSales } from '../../src/domain/aftersales/request.ts';
import { PENDING_TTL_MS } from '../../src/domain/confirmations/pendingActions.ts';
import { describeDemo, DEMO_NOW } from '../helpers/demo.ts';
import { startFakeOpenAI, type FakeOpenAI, type ScriptStep } from '../helpers/fakeOpenAI.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const ASK = '帮你申请退货退款，回复「确认」我就提交。';

// One shopper sends more turns a minute here than the rate limits let through; they are tested elsewhere.
const UNLIMITED = { RATE_LIMIT_SHOPPER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' };

describeDemo('confirming a stated write on POST /v1/chat', (db, driver) => {
  let fake: FakeOpenAI;
  let server: TestServer;
  let offline: TestServer;
  /** The servers' clock: DEMO_NOW, moved on by the tests of expiry. */
  let now = DEMO_NOW;
  const clock: Clock = { now: () => new Date(now) };
  /** 桃子 (0002) and 0007: each has one delivered order still inside its return window. */
  let returns: Array<{ shopperId: number; orderNo: string }>;
  /** 0003: enough points for several redemptions, so a yes that ran twice would show. */
  let redeemer: number;

  async function chat(s: TestServer, shopperId: number, message: string, conversationId?: string) {
    const res = await fetch(`${s.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await s.token(shopperId)}` },
      body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ChatTurnResult;
  }

  const afterSalesOf = async (orderNo: string) =>
    (
      await db().query<{ request_no: string; kind: string; amount_fen: string }>(
        'SELECT a.request_no, a.kind, a.amount_fen FROM after_sales a JOIN orders o ON o.id = a.order_id WHERE o.order_no = $1 ORDER BY a.id',
        [orderNo],
      )
    ).rows;
  /** Every points movement and coupon of the shopper: a redemption writes one of each. */
  const pointsAndCoupons = async (shopperId: number) => {
    const { rows } = await db().query<{ ledger: number; coupons: number; balance: number }>(
      `SELECT (SELECT count(*)::int FROM points_ledger WHERE shopper_id = $1) AS ledger,
              (SELECT coalesce(sum(delta), 0)::int FROM points_ledger WHERE shopper_id = $1) AS balance,
              (SELECT count(*)::int FROM coupons WHERE shopper_id = $1) AS coupons`,
      [shopperId],
    );
    return rows[0]!;
  };
  const stateOf = async (actionId: string) =>
    (await db().query<{ state: string }>('SELECT state FROM pending_actions WHERE id = $1', [actionId])).rows[0]?.state;
  /** The system prompt and the tool results the model was sent in its last request. */
  const lastModelRequest = () => {
    const messages = fake.requests.at(-1)!.body.messages;
    return { system: String(messages[0]!.content), tools: messages.filter((m) => m.role === 'tool').map((m) => String(m.content)) };
  };

  /**
   * Two 确认 that both read the action as pending before either settles it: its row is held until
   * both turns wait to update it (PostgreSQL only: PGlite runs one statement at a time).
   */
  async function twoYesesAtOnce(s: TestServer, actionId: string, conversationId: string): Promise<ChatTurnResult[]> {
    let answers: Promise<ChatTurnResult[]> | undefined;
    await db().transaction(async (tx) => {
      await tx.query('SELECT 1 FROM pending_actions WHERE id = $1 FOR UPDATE', [actionId]);
      answers = Promise.all([chat(s, redeemer, '确认', conversationId), chat(s, redeemer, '确认', conversationId)]);
      await expect
        .poll(
          async () =>
            (
              await db().query<{ n: number }>(
                "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE pending_actions%'",
              )
            ).rows[0]!.n,
          { timeout: 10_000 },
        )
        .toBe(2);
    });
    return answers!;
  }

  /** The shopper asks to return her order; the model files the request at once, then asks. */
  async function askToReturn(r: { shopperId: number; orderNo: string }, then: ScriptStep[]) {
    fake.script([{ toolCalls: [{ name: 'createAfterSales', args: { orderNo: r.orderNo, kind: 'return', reason: '用着过敏' } }] }, { text: ASK }, ...then]);
    const first = await chat(server, r.shopperId, '最近那单我要退货，用着过敏');
    expect(first.pendingAction, JSON.stringify(first)).not.toBeNull();
    return first as ChatTurnResult & { pendingAction: NonNullable<ChatTurnResult['pendingAction']> };
  }

  async function askToRedeem(shopperId: number, then: ScriptStep[]) {
    fake.script([{ toolCalls: [{ name: 'redeemPoints', args: {} }] }, { text: '用 100 积分兑换一张券，回复确认我就帮你兑换。' }, ...then]);
    const first = await chat(server, shopperId, '用积分给我换张券');
    expect(first.pendingAction, JSON.stringify(first)).not.toBeNull();
    return first as ChatTurnResult & { pendingAction: NonNullable<ChatTurnResult['pendingAction']> };
  }

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer(db(), { clock, env: { ...UNLIMITED, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL, MODEL: 'fake-model' } });
    offline = await startTestServer(db(), { clock, env: UNLIMITED });
    returns = [];
    for (const openid of ['demo-openid-0002', 'demo-openid-0007']) {
      const shopperId = (await findShopperIdByOpenid(db(), 'demo', openid))!;
      const { rows } = await db().query<{ order_no: string }>(
        "SELECT order_no FROM orders WHERE shopper_id = $1 AND status = 'delivered' ORDER BY created_at DESC LIMIT 1",
        [shopperId],
      );
      const orderNo = rows[0]!.order_no;
      // The sample as seeded: the order may be returned now (this throws when the rules refuse it).
      await previewAfterSales(db(), { shopId: 'demo', shopperId }, { orderNo, kind: 'return', reason: '过敏' }, DEMO_NOW);
      returns.push({ shopperId, orderNo });
    }
    redeemer = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0003'))!;
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  afterEach(() => {
    now = DEMO_NOW;
    fake.assertDone();
  });
  afterAll(async () => {
    await offline?.close();
    await server?.close();
    await fake?.close();
  });

  it('states the after-sales request on the first turn and files nothing', async () => {
    const [, mine] = returns;
    const first = await askToReturn(mine!, [{ text: '好的，这次不提交了。' }]);

    expect(first.pendingAction).toEqual({
      id: expect.any(String),
      tool: 'createAfterSales',
      summary: expect.stringContaining(mine!.orderNo),
      expiresAt: new Date(DEMO_NOW.getTime() + PENDING_TTL_MS).toISOString(),
      confirmWith: '确认',
    });
    expect(first.pendingAction.summary).toContain('退货退款');
    expect(first.quickReplies).toEqual(expect.any(Array));
    expect(first.reply).toBe(ASK);
    // The model was handed the pending result, not a filed request.
    expect(JSON.parse(lastModelRequest().tools[0]!)).toMatchObject({ pending: true, actionId: first.pendingAction.id });
    expect(await afterSalesOf(mine!.orderNo)).toEqual([]);
    expect(await stateOf(first.pendingAction.id)).toBe('pending');

    // Closed so the next test starts clean.
    await chat(server, mine!.shopperId, '取消', first.conversationId);
  });

  it('files the request exactly once on 确认, and a second 确认 files nothing more', async () => {
    const [mine] = returns;
    const first = await askToReturn(mine!, [{ text: '已经提交了退货申请。' }, { text: '申请已经在处理中了。' }]);
    expect(await afterSalesOf(mine!.orderNo)).toEqual([]);

    const yes = await chat(server, mine!.shopperId, '确认', first.conversationId);
    const filed = await afterSalesOf(mine!.orderNo);
    expect(filed).toHaveLength(1);
    expect(filed[0]!.kind).toBe('return');
    expect(yes.toolCalls).toEqual([
      { name: 'createAfterSales', input: { orderNo: mine!.orderNo, kind: 'return', reason: '用着过敏' }, output: expect.objectContaining({ accepted: true, requestNo: filed[0]!.request_no }) },
    ]);
    expect(yes.pendingAction).toBeNull();
    expect(yes.reply).toBe('已经提交了退货申请。');
    // The model answered knowing it ran: told so, with this turn's result in front of it.
    const told = lastModelRequest();
    expect(told.system).toContain(renderPrompt('confirm-done', { summary: first.pendingAction.summary }));
    expect(told.tools.some((t) => t.includes(filed[0]!.request_no))).toBe(true);
    expect(await stateOf(first.pendingAction.id)).toBe('confirmed');

    const again = await chat(server, mine!.shopperId, '确认', first.conversationId);
    expect(again.toolCalls).toEqual([]);
    expect(await afterSalesOf(mine!.orderNo)).toHaveLength(1);
  });

  it('files nothing on 取消, and tells the model it was cancelled', async () => {
    const [, mine] = returns;
    const first = await askToReturn(mine!, [{ text: '好的，已取消。' }]);

    const no = await chat(server, mine!.shopperId, '取消', first.conversationId);
    expect(no.toolCalls).toEqual([]);
    expect(no.reply).toBe('好的，已取消。');
    expect(lastModelRequest().system).toContain(renderPrompt('confirm-declined', { summary: first.pendingAction.summary }));
    expect(await afterSalesOf(mine!.orderNo)).toEqual([]);
    expect(await stateOf(first.pendingAction.id)).toBe('declined');
  });

  it('drops the action when the shopper says something else, and a later 确认 does not revive it', async () => {
    const [, mine] = returns;
    const first = await askToReturn(mine!, [{ text: '你有 1313 积分。' }, { text: '好的。' }]);

    const other = await chat(server, mine!.shopperId, '我现在有多少积分', first.conversationId);
    expect(other.toolCalls).toEqual([]);
    expect(await stateOf(first.pendingAction.id)).toBe('dropped');
    expect(await afterSalesOf(mine!.orderNo)).toEqual([]);

    const late = await chat(server, mine!.shopperId, '确认', first.conversationId);
    expect(late.toolCalls).toEqual([]);
    expect(await afterSalesOf(mine!.orderNo)).toEqual([]);
    expect(await stateOf(first.pendingAction.id)).toBe('dropped');
  });

  it('does not run a 确认 that comes after the action expired, and tells the model it expired', async () => {
    const [, mine] = returns;
    const first = await askToReturn(mine!, [{ text: '刚才的申请超时已取消，需要的话我再帮你提一次。' }]);
    expect(new Date(first.pendingAction.expiresAt).getTime() - DEMO_NOW.getTime()).toBe(PENDING_TTL_MS);

    now = new Date(new Date(first.pendingAction.expiresAt).getTime() + 1000);
    const late = await chat(server, mine!.shopperId, '确认', first.conversationId);
    expect(late.toolCalls).toEqual([]);
    expect(await afterSalesOf(mine!.orderNo)).toEqual([]);
    expect(await stateOf(first.pendingAction.id)).toBe('expired');
    const told = lastModelRequest();
    expect(told.system).toContain(renderPrompt('confirm-expired', { summary: first.pendingAction.summary }));
    // Only the earlier turn's statement is in front of it: no request was filed in this one.
    expect(told.tools.map((t) => JSON.parse(t) as { pending?: boolean })).toEqual([expect.objectContaining({ pending: true })]);
    expect(late.reply).toContain('超时已取消');
  });

  it('still runs a 确认 that comes a moment before the action expires', async () => {
    const before = await pointsAndCoupons(redeemer);
    const first = await askToRedeem(redeemer, [{ text: '兑换好了。' }]);
    now = new Date(new Date(first.pendingAction.expiresAt).getTime() - 1000);
    const yes = await chat(server, redeemer, '确认', first.conversationId);
    expect(yes.toolCalls[0]).toMatchObject({ name: 'redeemPoints', output: { redeemed: true } });
    const after = await pointsAndCoupons(redeemer);
    expect(after).toEqual({ ledger: before.ledger + 1, coupons: before.coupons + 1, balance: before.balance - 100 });
  });

  it('redeems once when two 确认 arrive at the same time', async () => {
    const before = await pointsAndCoupons(redeemer);
    const first = await askToRedeem(redeemer, [{ text: '兑换好了。' }, { text: '兑换好了。' }]);
    expect(await pointsAndCoupons(redeemer)).toEqual(before);

    const answers = await Promise.all([chat(server, redeemer, '确认', first.conversationId), chat(server, redeemer, '确认', first.conversationId)]);
    const ran = answers.flatMap((a) => a.toolCalls).filter((c) => c.name === 'redeemPoints');
    expect(ran).toHaveLength(1);
    expect(ran[0]!.output).toMatchObject({ redeemed: true, pointsSpent: 100 });
    expect(await pointsAndCoupons(redeemer)).toEqual({ ledger: before.ledger + 1, coupons: before.coupons + 1, balance: before.balance - 100 });
    expect(await stateOf(first.pendingAction.id)).toBe('confirmed');
  });

  // When both yeses read the action as pending, the one that loses the race must not be told it
  // expired: the other turn ran it. Forced here on PostgreSQL by holding the action's row until both
  // turns wait on it (PGlite runs one statement at a time, so the two cannot both wait there).
  (driver === 'pg' ? it : it.skip)('tells the second of two simultaneous yeses that the first ran the action, not that it expired', async () => {
    const before = await pointsAndCoupons(redeemer);
    const first = await askToRedeem(redeemer, [{ text: '兑换好了。' }, { text: '兑换好了。' }]);
    await twoYesesAtOnce(server, first.pendingAction.id, first.conversationId);
    expect(await pointsAndCoupons(redeemer)).toEqual({ ledger: before.ledger + 1, coupons: before.coupons + 1, balance: before.balance - 100 });
    const expired = renderPrompt('confirm-expired', { summary: first.pendingAction.summary });
    const systems = fake.requests.slice(-2).map((r) => String(r.body.messages[0]!.content));
    for (const system of systems) expect(system).not.toContain(expired);
    expect(systems.filter((s) => s.includes(renderPrompt('confirm-done', { summary: first.pendingAction.summary })))).toHaveLength(1);
    expect(systems.filter((s) => s.includes(renderPrompt('confirm-elsewhere', { summary: first.pendingAction.summary })))).toHaveLength(1);
  });

  (driver === 'pg' ? it : it.skip)('says the action was already submitted to the second of two simultaneous yeses (the offline model)', async () => {
    const before = await pointsAndCoupons(redeemer);
    const first = await chat(offline, redeemer, '用积分给我换张券');
    expect(first.pendingAction?.tool, first.reply).toBe('redeemPoints');

    const replies = (await twoYesesAtOnce(offline, first.pendingAction!.id, first.conversationId)).map((a) => a.reply);
    expect(await pointsAndCoupons(redeemer)).toEqual({ ledger: before.ledger + 1, coupons: before.coupons + 1, balance: before.balance - 100 });
    // The offline model's own words (prompts/offline/service.zh.md, confirm.elsewhere), and never confirm.expired.
    expect(replies.filter((r) => r.includes('已经按你的确认提交了，只提交了一次')), replies.join(' | ')).toHaveLength(1);
    expect(replies.filter((r) => r.includes('已经自动取消')), replies.join(' | ')).toEqual([]);
  });

  it('redeems nothing on a 确认 sent in another of her conversations, and the action keeps waiting where it was stated', async () => {
    const before = await pointsAndCoupons(redeemer);
    const first = await askToRedeem(redeemer, [{ text: '你想确认什么呢？' }, { text: '好的，不兑换了。' }]);

    const elsewhere = await chat(server, redeemer, '确认');
    expect(elsewhere.conversationId).not.toBe(first.conversationId);
    expect(elsewhere.toolCalls).toEqual([]);
    expect(await pointsAndCoupons(redeemer)).toEqual(before);
    expect(await stateOf(first.pendingAction.id)).toBe('pending');

    await chat(server, redeemer, '取消', first.conversationId);
    expect(await pointsAndCoupons(redeemer)).toEqual(before);
  });

  // Her own yes is not spent here: she may hold only five points coupons, and this file redeems for her often.
  it("refuses another shopper's 确认 on her conversation, and the action still waits for her own answer", async () => {
    const [stranger] = returns;
    const before = await pointsAndCoupons(redeemer);
    const strangerBefore = await pointsAndCoupons(stranger!.shopperId);
    const first = await askToRedeem(redeemer, [{ text: '好的，不兑换了。' }]);

    const res = await fetch(`${server.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.token(stranger!.shopperId)}` },
      body: JSON.stringify({ message: '确认', conversationId: first.conversationId }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(await pointsAndCoupons(redeemer)).toEqual(before);
    expect(await pointsAndCoupons(stranger!.shopperId)).toEqual(strangerBefore);
    expect(await stateOf(first.pendingAction.id)).toBe('pending');

    await chat(server, redeemer, '取消', first.conversationId);
    expect(await stateOf(first.pendingAction.id)).toBe('declined');
    expect(await pointsAndCoupons(redeemer)).toEqual(before);
  });

  it('runs the confirmed action once when the model calls the write again in the turn of the yes, and only states the second call', async () => {
    const before = await pointsAndCoupons(redeemer);
    const first = await askToRedeem(redeemer, [
      { toolCalls: [{ name: 'redeemPoints', args: {} }] },
      { text: '兑换好了，要不要再换一张？回复确认。' },
      { text: '好的，不再换了。' },
    ]);

    const yes = await chat(server, redeemer, '确认', first.conversationId);
    expect(yes.toolCalls.map((c) => c.output)).toEqual([
      expect.objectContaining({ redeemed: true, pointsSpent: 100 }),
      expect.objectContaining({ pending: true }),
    ]);
    expect(await pointsAndCoupons(redeemer)).toEqual({ ledger: before.ledger + 1, coupons: before.coupons + 1, balance: before.balance - 100 });
    expect(yes.pendingAction?.id).toEqual(expect.any(String));
    expect(yes.pendingAction!.id).not.toBe(first.pendingAction.id);
    expect(await stateOf(yes.pendingAction!.id)).toBe('pending');

    await chat(server, redeemer, '不要了', first.conversationId);
    expect(await stateOf(yes.pendingAction!.id)).toBe('declined');
    expect(await pointsAndCoupons(redeemer)).toEqual({ ledger: before.ledger + 1, coupons: before.coupons + 1, balance: before.balance - 100 });
  });

  it('files the proposal the shopper was last shown on 确认, never the one it replaced', async () => {
    const [, mine] = returns;
    const first = await askToReturn(mine!, [
      { toolCalls: [{ name: 'createAfterSales', args: { orderNo: mine!.orderNo, kind: 'exchange', reason: '想换个色号' } }] },
      { text: '改成换货，回复「确认」我就提交。' },
      { text: '换货申请提交好了。' },
    ]);
    const changed = await chat(server, mine!.shopperId, '还是换货吧，想换个色号', first.conversationId);
    expect(changed.pendingAction?.summary).toContain('换货');
    expect(changed.pendingAction!.id).not.toBe(first.pendingAction.id);
    expect(await stateOf(first.pendingAction.id)).toBe('dropped');
    expect(await afterSalesOf(mine!.orderNo)).toEqual([]);

    const yes = await chat(server, mine!.shopperId, '确认', first.conversationId);
    const filed = await afterSalesOf(mine!.orderNo);
    expect(filed.map((r) => r.kind)).toEqual(['exchange']);
    expect(yes.toolCalls).toEqual([expect.objectContaining({ name: 'createAfterSales', input: { orderNo: mine!.orderNo, kind: 'exchange', reason: '想换个色号' } })]);
    expect(await stateOf(first.pendingAction.id)).toBe('dropped');
    expect(await stateOf(changed.pendingAction!.id)).toBe('confirmed');
  });

  it('tells the redemption it ran on 确认, with the coupon and the balance left (the offline model)', async () => {
    // 小雨, whom no other test here redeems for: the coupons they leave behind can reach the holding cap.
    const xiaoyu = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0001'))!;
    const first = await chat(offline, xiaoyu, '用积分给我换张券');
    expect(first.pendingAction?.tool, first.reply).toBe('redeemPoints');
    const yes = await chat(offline, xiaoyu, '确认', first.conversationId);
    expect(yes.toolCalls.map((c) => c.name)).toEqual(['redeemPoints']);
    // prompts/offline/account.zh.md, points.redeemed: what was spent and the coupon got, not the balance sheet.
    expect(yes.reply).toMatch(/兑换成功/);
  });

  it('says so in the reply when a 确认 comes after the action expired (the offline model)', async () => {
    const before = await pointsAndCoupons(redeemer);
    const first = await chat(offline, redeemer, '用积分给我换张券');
    expect(first.pendingAction?.tool, first.reply).toBe('redeemPoints');
    expect(await pointsAndCoupons(redeemer)).toEqual(before);

    now = new Date(new Date(first.pendingAction!.expiresAt).getTime() + 1000);
    const late = await chat(offline, redeemer, '确认', first.conversationId);
    // The offline model's own words (prompts/offline/service.zh.md, confirm.expired).
    expect(late.reply).toMatch(/超过 10 分钟没有确认，已经自动取消、没有提交/);
    expect(late.toolCalls).toEqual([]);
    expect(await pointsAndCoupons(redeemer)).toEqual(before);
  });
});

