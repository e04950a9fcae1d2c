// What the card could not answer (src/domain/gaps): every AI turn that fell short is recorded once,
// with the reply, and why; a shopper's thumbs-down makes a turn one; the report groups them by meaning.
import { beforeAll, expect, it } from 'vitest';
import { createModels } from '../../src/agent/models.ts';
import { runTurn } from '../../src/agent/runTurn.ts';
import type { AgentDeps } from '../../src/agent/turn.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/context.ts';
import { rateReply } from '../../src/domain/gaps/record.ts';
import { gapReport } from '../../src/domain/gaps/report.ts';
import { ingestKnowledge } from '../../src/domain/knowledge/ingest.ts';
import { eraseShopper, remainingRows } from '../../src/domain/shoppers/erasure.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { NotFound } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { describeDb } from '../helpers/db.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';

const SHIPPING = { docKey: 'shipping', title: '发货与物流', content: '## 下单后几天能发货\n付款后48小时内发货。\n## 运费\n满69元包邮。' };
const INVOICE = { docKey: 'faq-invoice', title: '你们能开发票吗', content: '## 你们能开发票吗\n可以。下单后在订单详情里申请电子发票，3个工作日内发到你的邮箱。' };

interface GapRow {
  message_id: number;
  question_id: number;
  reasons: string[];
  intent: string | null;
  confidence: number | null;
}

describeDb('the gaps in what the card could answer', (db) => {
  const embedder = createLocalEmbedder();
  let deps: AgentDeps;
  let shopId: string;

  const shopper = async () => (await createShopper(db(), { shopId })).id;
  const ask = (shopperId: number, message: string, conversationId?: string) =>
    runTurn(deps, { role: 'shopper', shopId, shopperId }, { message, ...(conversationId ? { conversationId } : {}) });
  const gapsOf = async (conversationId: string) =>
    (
      await db().query<GapRow>(
        'SELECT message_id, question_id, reasons, intent, confidence FROM answer_gaps WHERE conversation_id = $1 ORDER BY message_id',
        [conversationId],
      )
    ).rows;
  const questionOf = async (conversationId: string) =>
    (await db().query<{ id: number }>(`SELECT max(id) AS id FROM messages WHERE conversation_id = $1 AND role = 'user'`, [conversationId])).rows[0]!.id;
  const period = () => ({ from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000) });

  beforeAll(async () => {
    deps = { db: db(), embedder, clock: fixedClock(new Date()), log: silentLogger, models: createModels(loadConfig({}), embedder, silentLogger) };
    shopId = (await createShop(db())).id;
    await ingestKnowledge(db(), embedder, shopId, SHIPPING);
  });

  it("records a question the shop's documents have no passage for, once, with the reply and its intent guess", async () => {
    const turn = await ask(await shopper(), '你们能开发票吗');
    expect(turn.toolCalls.map((c) => c.name)).toEqual(['searchKnowledge']);
    const gaps = await gapsOf(turn.conversationId);
    expect(gaps).toEqual([
      { message_id: turn.messageId, question_id: await questionOf(turn.conversationId), reasons: ['no_knowledge'], intent: 'knowledge', confidence: expect.any(Number) },
    ]);
  });

  it('records a message it did not understand as a fallback', async () => {
    const turn = await ask(await shopper(), 'asdfgh');
    expect(await gapsOf(turn.conversationId)).toMatchObject([{ message_id: turn.messageId, reasons: ['fallback'], intent: 'unknown' }]);
  });

  it('records nothing for a question the documents answer, nor for small talk', async () => {
    const answered = await ask(await shopper(), '下单后几天能发货');
    expect(answered.reply).toContain('发货与物流');
    const hello = await ask(await shopper(), '你好');
    expect(await gapsOf(answered.conversationId)).toEqual([]);
    expect(await gapsOf(hello.conversationId)).toEqual([]);
  });

  it('records a hand-off for lack of an answer with the turn that handed over', async () => {
    const who = await shopper();
    const first = await ask(who, 'asdfgh');
    const second = await ask(who, 'qwerty', first.conversationId);
    expect(second.handoff).not.toBeNull();
    expect((await gapsOf(first.conversationId)).map((g) => g.reasons)).toEqual([['fallback'], ['fallback', 'handoff']]);
  });

  it('answers the same question once a document answers it, and records no gap for it then', async () => {
    const shop = (await createShop(db())).id;
    const who = (await createShopper(db(), { shopId: shop })).id;
    const before = await runTurn(deps, { role: 'shopper', shopId: shop, shopperId: who }, { message: '你们能开发票吗' });
    expect(await gapsOf(before.conversationId)).toHaveLength(1);
    await ingestKnowledge(db(), embedder, shop, INVOICE);
    const after = await runTurn(deps, { role: 'shopper', shopId: shop, shopperId: who }, { message: '你们能开发票吗' });
    expect(after.reply).toContain('《你们能开发票吗》');
    expect(after.reply).toContain('电子发票');
    expect(await gapsOf(after.conversationId)).toEqual([]);
  });

  it('makes an answered turn a gap on a thumbs-down, keeps one rating per reply, and takes it back on a thumbs-up', async () => {
    const who = await shopper();
    const turn = await ask(who, '下单后几天能发货');
    await rateReply(db(), shopId, who, turn.messageId, 'down', new Date());
    await rateReply(db(), shopId, who, turn.messageId, 'down', new Date());
    expect(await gapsOf(turn.conversationId)).toMatchObject([{ message_id: turn.messageId, reasons: ['thumbs_down'], intent: 'knowledge' }]);
    await rateReply(db(), shopId, who, turn.messageId, 'up', new Date());
    expect(await gapsOf(turn.conversationId)).toEqual([]);
    const { rows } = await db().query('SELECT rating FROM answer_ratings WHERE message_id = $1', [turn.messageId]);
    expect(rows).toEqual([{ rating: 'up' }]);
  });

  it('adds a thumbs-down to the reasons of a turn that was already a gap, and a thumbs-up takes only that back', async () => {
    const who = await shopper();
    const turn = await ask(who, '你们有实体店吗');
    await rateReply(db(), shopId, who, turn.messageId, 'down', new Date());
    expect((await gapsOf(turn.conversationId)).map((g) => g.reasons)).toEqual([['no_knowledge', 'thumbs_down']]);
    await rateReply(db(), shopId, who, turn.messageId, 'up', new Date());
    expect((await gapsOf(turn.conversationId)).map((g) => g.reasons)).toEqual([['no_knowledge']]);
  });

  it("refuses to rate another shopper's reply, the shopper's own message, or a reply of another shop", async () => {
    const owner = await shopper();
    const turn = await ask(owner, '下单后几天能发货');
    const other = await shopper();
    await expect(rateReply(db(), shopId, other, turn.messageId, 'down', new Date())).rejects.toBeInstanceOf(NotFound);
    await expect(rateReply(db(), shopId, owner, await questionOf(turn.conversationId), 'down', new Date())).rejects.toBeInstanceOf(NotFound);
    await expect(rateReply(db(), 'no-such-shop', owner, turn.messageId, 'down', new Date())).rejects.toBeInstanceOf(NotFound);
    const { rows } = await db().query('SELECT 1 FROM answer_ratings WHERE message_id = $1', [turn.messageId]);
    expect(rows).toEqual([]);
  });

  it('groups the gaps by meaning with counts, examples, the intent guess and the last time seen, beside the daily rates', async () => {
    const shop = (await createShop(db())).id;
    await ingestKnowledge(db(), embedder, shop, SHIPPING);
    const asked: string[] = ['你们能开发票吗', '你们有实体店吗', '可以开发票吗', '实体店在哪里', '你们能开发票吗', '下单后几天能发货'];
    const turns = [];
    for (const message of asked) {
      const who = (await createShopper(db(), { shopId: shop })).id;
      turns.push({ who, turn: await runTurn(deps, { role: 'shopper', shopId: shop, shopperId: who }, { message }) });
    }
    // The answered question, rated down by its shopper.
    const rated = turns.at(-1)!;
    await rateReply(db(), shop, rated.who, rated.turn.messageId, 'down', new Date());
    await rateReply(db(), shop, turns[0]!.who, turns[0]!.turn.messageId, 'up', new Date());

    const report = await gapReport(db(), shop, period());
    expect(report.gapTurns).toBe(6);
    expect(report.gaps.map((g) => ({ count: g.count, examples: g.examples, intent: g.intent, reasons: g.reasons }))).toEqual([
      { count: 3, examples: ['你们能开发票吗', '可以开发票吗'], intent: 'knowledge', reasons: { no_knowledge: 3 } },
      // 实体店在哪里 is not placed with confidence: a fallback, in the same group by meaning.
      { count: 2, examples: ['实体店在哪里', '你们有实体店吗'], intent: 'knowledge', reasons: { fallback: 1, no_knowledge: 1 } },
      { count: 1, examples: ['下单后几天能发货'], intent: 'knowledge', reasons: { thumbs_down: 1 } },
    ]);
    const [invoice] = report.gaps;
    const { rows } = await db().query<{ created_at: Date }>('SELECT created_at FROM messages WHERE id = $1', [turns[4]!.turn.messageId]);
    expect(invoice!.lastSeen).toEqual(rows[0]!.created_at);
    expect(invoice!.id).toBe(turns[0]!.turn.messageId);

    const figures = { turns: 6, aiTurns: 6, unanswered: 5, unansweredRate: 0.8333, rated: 2, thumbsDown: 1, thumbsDownRate: 0.5, automated: 6, automationRate: 1 };
    expect(report.totals).toEqual(figures);
    expect(report.days).toEqual([{ day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), ...figures }]);
    // The same gaps give the same groups.
    expect((await gapReport(db(), shop, period())).gaps).toEqual(report.gaps);
  });

  it('counts a turn a person answers as not automated', async () => {
    const shop = (await createShop(db())).id;
    const who = (await createShopper(db(), { shopId: shop })).id;
    const turn = await runTurn(deps, { role: 'shopper', shopId: shop, shopperId: who }, { message: '我要转人工' });
    expect(turn.handoff).not.toBeNull();
    const report = await gapReport(db(), shop, period());
    expect(report.totals).toMatchObject({ turns: 1, aiTurns: 1, automated: 0, automationRate: 0, unanswered: 0 });
  });

  it('erases the gaps and ratings of an erased shopper with their conversations', async () => {
    const who = await shopper();
    const turn = await ask(who, '你们能开发票吗');
    await rateReply(db(), shopId, who, turn.messageId, 'down', new Date());
    await eraseShopper(db(), shopId, who, 'test', new Date());
    expect(await remainingRows(db(), shopId, who)).toEqual({});
    expect(await gapsOf(turn.conversationId)).toEqual([]);
  });
});
