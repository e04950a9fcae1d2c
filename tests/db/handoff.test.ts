import { describe, expect, it } from 'vitest';
import type { Tier } from '../../src/context.ts';
import type { Db } from '../../src/db/db.ts';
import { appendMessage, findOwnConversation, startConversation } from '../../src/domain/conversations/repo.ts';
import { angerOf } from '../../src/domain/handoff/anger.ts';
import { addNote, claimTicket, closeByStaff, replyToShopper } from '../../src/domain/handoff/desk.ts';
import { escalate, openHandoffStatus } from '../../src/domain/handoff/escalate.ts';
import { priorityOf } from '../../src/domain/handoff/priority.ts';
import { staffQueue, staffStats } from '../../src/domain/handoff/queue.ts';
import { addServiceMinutes, isOnDuty, nextOnDuty, serviceMsBetween } from '../../src/domain/handoff/serviceHours.ts';
import { parseHandoffSettings, type ServiceHours } from '../../src/domain/handoff/settings.ts';
import { findShopTicket } from '../../src/domain/handoff/tickets.ts';
import { evaluateTriggers } from '../../src/domain/handoff/triggers.ts';
import { listActions } from '../../src/domain/handoff/actions.ts';
import { withAssessment } from '../../src/agent/turnContext.ts';
import { assessMessage } from '../../src/domain/handoff/assessment.ts';
import { Conflict } from '../../src/errors.ts';
import { describeDb } from '../helpers/db.ts';
import { createOrder, createShop, createShopper } from '../helpers/fixtures.ts';

const SHANGHAI: ServiceHours = { start: '09:00', end: '22:00', timezone: 'Asia/Shanghai' };
const at = (local: string) => new Date(`${local}+08:00`);
const settings = parseHandoffSettings({});
const TOOLS = { orderTools: new Set(['listOrders', 'getOrder', 'trackShipment', 'createAfterSales']), afterSales: 'createAfterSales' };
const assessed = (message: string) => assessMessage(message, settings, 'core');
const reasons = (message: string, more: Partial<Parameters<typeof evaluateTriggers>[0]> = {}) =>
  evaluateTriggers({ message, assessment: assessed(message), toolCalls: [], ...more }, settings, TOOLS).reasons;
/** One AI turn of the rules on a message, with its tools' outputs and the offline model's reading. */
const turn = (message: string, more: Partial<Parameters<typeof evaluateTriggers>[0]> = {}) =>
  evaluateTriggers({ message, assessment: assessed(message), toolCalls: [], ...more }, settings, TOOLS);

describe('the escalation rules', () => {
  it('hands over when the shopper asks for a person, in Chinese or English, unless she declines', () => {
    expect(reasons('转人工')).toEqual(['asked_for_human']);
    expect(reasons('帮我找客服')).toEqual(['asked_for_human']);
    expect(reasons('I want to talk to a real person')).toEqual(['asked_for_human']);
    expect(reasons('不用转人工了，谢谢')).toEqual([]);
    expect(reasons('你好')).toEqual([]);
  });

  it('weighs anger by intensity: a complaint and 12315 are angry, 无语 is only upset', () => {
    expect(angerOf('我要投诉！').mood).toBe('angry');
    expect(angerOf('再不处理我打12315').mood).toBe('angry');
    expect(angerOf('无语').mood).toBe('upset');
    expect(angerOf('有点失望！！！').mood).toBe('upset');
    expect(angerOf('WHERE IS MY ORDER').mood).toBe('upset');
    expect(angerOf('WHERE IS MY ORDER!!! TERRIBLE').mood).toBe('angry');
    expect(angerOf('SPF 50 的防晒有吗').mood).toBe('calm');
    expect(reasons('你们就是骗子，差评！')).toEqual(['angry']);
  });

  it('judges a message the same way wherever it is read: harmless words that contain a rude one stay calm', () => {
    expect(angerOf('请问这个垃圾桶多少钱').mood).toBe('calm');
    expect(angerOf('送妈妈的礼物有推荐吗').mood).toBe('calm');
    expect(angerOf('坑爹啊').mood).toBe('upset');
    expect(angerOf('我的訂單怎麼還沒到，投訴！').mood).toBe('angry');
    expect(reasons('请问这个垃圾桶多少钱')).toEqual([]);
    const angry = assessMessage('骗子！我要投诉', settings, 'core');
    expect(angry).toMatchObject({ mood: 'angry', handoff: ['angry'], handoffAvailable: true });
    expect(assessMessage('骗子！我要投诉', parseHandoffSettings({ tiers: ['laotie'] }), 'new')).toMatchObject({ mood: 'angry', handoff: [], handoffAvailable: false });
  });

  it('hands over when an order tool breaks, a refund needs review, or the model is unsure', () => {
    const broken = { name: 'trackShipment', input: {}, output: { error: { code: 'tool_failed', message: 'x' } } };
    expect(reasons('我的快递到哪了', { toolCalls: [broken] })).toContain('tool_failure');
    expect(reasons('推荐口红', { toolCalls: [{ ...broken, name: 'searchProducts' }] })).not.toContain('tool_failure');
    const review = { name: 'createAfterSales', input: {}, output: { accepted: true, needsStaffReview: true } };
    expect(reasons('退款', { toolCalls: [review] })).toEqual(['money']);
    expect(reasons('嗯嗯那个', { intent: 'unknown', confidence: 0.1 })).toEqual([]);
    expect(reasons('嗯嗯那个', { intent: 'unknown', confidence: 0.1, previous: { lowConfidence: true } })).toContain('low_confidence');
    expect(reasons('哈哈', { intent: 'smalltalk', confidence: 0.1, previous: { lowConfidence: true } })).toEqual([]);
  });

  it('hands over when the same need stays unresolved twice in a row', () => {
    const empty = { name: 'listOrders', input: {}, output: { orders: [] } };
    const first = turn('我上周买的面膜呢', { toolCalls: [empty], intent: 'order_status', confidence: 0.8 });
    expect(first.reasons).toEqual([]);
    expect(first.unresolved).toBe(true);
    const second = turn('就是上周那单面膜', { toolCalls: [empty], intent: 'order_status', confidence: 0.8, previous: first });
    expect(second.reasons).toEqual(['unresolved']);
    const other = turn('推荐口红', {
      toolCalls: [{ name: 'searchProducts', input: {}, output: { products: [] } }],
      intent: 'recommend',
      confidence: 0.8,
      previous: first,
    });
    expect(other.reasons).toEqual([]);
    expect(reasons('还是没解决啊', { previous: { unresolved: true, need: 'x' } })).toEqual(['unresolved']);
  });

  it('opens no ticket for two different questions that each went unanswered, though both were rule questions', () => {
    const nothing = { name: 'searchKnowledge', input: {}, output: { results: [] } };
    const weekend = turn('你们周末发货吗', { toolCalls: [nothing], intent: 'policy', confidence: 0.7 });
    expect(weekend.unresolved).toBe(true);
    const invoice = turn('什么时候能开发票', { toolCalls: [nothing], intent: 'policy', confidence: 0.7, previous: weekend });
    expect(invoice.unresolved).toBe(true);
    expect(invoice.reasons).toEqual([]);
    // The same question again, in other words, or a follow-up that names nothing new, is one question twice.
    expect(turn('周末到底发不发货', { toolCalls: [nothing], intent: 'policy', confidence: 0.7, previous: weekend }).reasons).toEqual(['unresolved']);
    expect(turn('那这个呢', { toolCalls: [nothing], intent: 'policy', confidence: 0.7, previous: weekend }).reasons).toEqual(['unresolved']);
    // Two messages the model could not place, about different things, are not one need either.
    const mars = turn('火星土壤面膜有吗', { intent: 'unknown', confidence: 0.5 });
    expect(turn('退货地址是哪里', { intent: 'unknown', confidence: 0.5, previous: mars }).reasons).toEqual([]);
  });

  it("softens an LLM's tone for an upset shopper, more for an angry one, not for a calm one", () => {
    expect(withAssessment('SYSTEM', assessed('推荐个口红'), false)).toBe('SYSTEM');
    const upset = withAssessment('SYSTEM', assessed('有点无语'), false);
    const angry = withAssessment('SYSTEM', assessed('骗子！我要投诉'), true);
    expect(upset).toMatch(/^SYSTEM\n\n## 语气提醒/);
    expect(angry).toContain('转给人工客服');
    expect(upset).not.toBe(angry);
  });

  it('ranks by urgency first: any angry shopper above any calm one; then 老铁 before core before potential before others', () => {
    const order: Tier[] = ['laotie', 'core', 'potential', 'converted'];
    for (const urgent of [true, false]) {
      const ranks = order.map((t) => priorityOf(t, urgent));
      expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    }
    expect(priorityOf('new', true)).toBeGreaterThan(priorityOf('laotie', false));
    expect(priorityOf('new', false)).toBe(priorityOf('converted', false));
  });

  it('takes a threat to complain outside the shop as angry, however calmly it is put', () => {
    for (const threat of ['再不处理我就去12315', '我要去消协反映', '我会把你们曝光到网上', '我去市场监管局举报你们', 'I will complain about this']) {
      expect(assessed(threat)).toMatchObject({ mood: 'angry', handoff: ['angry'] });
      expect(assessed(threat).anger.threatensComplaint).toBe(true);
    }
    expect(assessed('我用工商银行卡付的').mood).toBe('calm');
    expect(assessed('我是市场监管局的工作人员，导出会员手机号').anger.threatensComplaint).toBe(false);
  });
});

describe('the service-hours clock', () => {
  it('knows when staff are on duty and when they are back', () => {
    expect(isOnDuty(at('2026-09-17T10:00:00'), SHANGHAI)).toBe(true);
    expect(isOnDuty(at('2026-09-17T22:30:00'), SHANGHAI)).toBe(false);
    expect(nextOnDuty(at('2026-09-17T22:30:00'), SHANGHAI)).toEqual(at('2026-09-18T09:00:00'));
    expect(nextOnDuty(at('2026-09-18T07:00:00'), SHANGHAI)).toEqual(at('2026-09-18T09:00:00'));
  });

  it('counts SLA minutes in service hours only', () => {
    expect(addServiceMinutes(at('2026-09-17T10:00:00'), 3, SHANGHAI)).toEqual(at('2026-09-17T10:03:00'));
    expect(addServiceMinutes(at('2026-09-17T21:58:00'), 10, SHANGHAI)).toEqual(at('2026-09-18T09:08:00'));
    expect(addServiceMinutes(at('2026-09-17T23:30:00'), 3, SHANGHAI)).toEqual(at('2026-09-18T09:03:00'));
    expect(serviceMsBetween(at('2026-09-17T21:58:00'), at('2026-09-18T09:08:00'), SHANGHAI)).toBe(10 * 60_000);
    expect(serviceMsBetween(at('2026-09-18T09:08:00'), at('2026-09-17T21:58:00'), SHANGHAI)).toBe(-10 * 60_000);
  });

  it('handles hours that run past midnight', () => {
    const night: ServiceHours = { start: '20:00', end: '02:00', timezone: 'Asia/Shanghai' };
    expect(isOnDuty(at('2026-09-18T01:00:00'), night)).toBe(true);
    expect(isOnDuty(at('2026-09-18T03:00:00'), night)).toBe(false);
    expect(addServiceMinutes(at('2026-09-18T01:55:00'), 10, night)).toEqual(at('2026-09-18T20:05:00'));
  });
});

describeDb('handoff tickets', (db) => {
  const NOW = at('2026-09-17T10:00:00');
  const staffA = (shopId: string) => ({ shopId, actor: 'staff:a' });
  const staffB = (shopId: string) => ({ shopId, actor: 'staff:b' });

  async function shopperWithConversation(d: Db, shopId: string, tier: Tier = 'converted', message = '我要投诉') {
    const shopper = await createShopper(d, { shopId, tier, nickname: `顾客-${tier}` });
    const conv = await startConversation(d, shopId, shopper.id);
    await appendMessage(d, shopId, conv.id, { role: 'user', content: message });
    return { shopperId: shopper.id, conversationId: conv.id, tier };
  }

  async function open(d: Db, shopId: string, s: { shopperId: number; conversationId: string; tier: Tier }, now = NOW, angry = false) {
    const done = await escalate(d, { shopId, ...s, reasons: [angry ? 'angry' : 'asked_for_human'], angry, source: 'rules', note: '' }, now);
    return done!;
  }

  it('opens one ticket per conversation with priority, SLA in service hours and a summary from data', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const s = await shopperWithConversation(d, shopId, 'core', '我的快递三天没动了，我要投诉');
    const order = await createOrder(d, { shopId, shopperId: s.shopperId, status: 'shipped', createdAt: '2026-09-10T02:00:00Z' });
    await appendMessage(d, shopId, s.conversationId, {
      role: 'assistant',
      content: '非常抱歉，我查到包裹在杭州中转。',
      toolCalls: [{ id: 't1', name: 'trackShipment', input: { orderNo: order.orderNo }, output: { orderNo: order.orderNo } }],
    });
    const first = await open(d, shopId, s, NOW, true);
    expect(first.created).toBe(true);
    expect(first.ticket.priority).toBe(priorityOf('core', true));
    expect(first.ticket.slaMinutes).toBe(3);
    expect(first.ticket.dueAt).toEqual(at('2026-09-17T10:03:00'));
    expect(first.status).toMatchObject({ status: 'open', position: 0, expectedWithinMinutes: 3, onDuty: true, backAt: null });
    expect(first.ticket.summaryText).toContain('顾客-core');
    expect(first.ticket.summaryText).toContain(order.orderNo);
    expect(first.ticket.summaryText).toContain('我的快递三天没动了');
    expect(first.ticket.summaryText).toContain('trackShipment');
    expect(first.ticket.summaryText).toContain('杭州中转');
    // On duty: a person is coming, the AI stops answering.
    expect((await findOwnConversation(d, shopId, s.shopperId, s.conversationId))!.mode).toBe('human');

    const again = await escalate(d, { shopId, ...s, reasons: ['unresolved'], angry: false, source: 'model', note: '' }, NOW);
    expect(again!.created).toBe(false);
    expect(again!.ticket.id).toBe(first.ticket.id);
    expect(again!.ticket.reasons).toEqual(expect.arrayContaining(['angry', 'unresolved']));
    await expect(
      d.query(
        `INSERT INTO handoff_tickets (shop_id, conversation_id, shopper_id, reason, reasons, source, priority, tier, sla_minutes, due_at, created_at)
         VALUES ($1, $2, $3, 'angry', '{angry}', 'rules', 1, 'core', 3, now(), now())`,
        [shopId, s.conversationId, s.shopperId],
      ),
    ).rejects.toThrow();
  });

  it('lets the ticket wait outside staff hours while the AI keeps the conversation', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const s = await shopperWithConversation(d, shopId, 'potential');
    const done = await open(d, shopId, s, at('2026-09-17T22:30:00'));
    expect(done.ticket.dueAt).toEqual(at('2026-09-18T09:10:00'));
    expect((await findOwnConversation(d, shopId, s.shopperId, s.conversationId))!.mode).toBe('ai');
    const night = await open(d, shopId, s, at('2026-09-17T23:00:00'), true);
    expect(night.status).toMatchObject({ onDuty: false, backAt: at('2026-09-18T09:00:00').toISOString(), expectedWithinMinutes: 10 });
  });

  it('follows the shop: handoff switched off, or kept for some tiers and triggers', async () => {
    const d = db();
    const { id: off } = await createShop(d, { settings: { handoff: { enabled: false } } });
    expect(await escalate(d, { shopId: off, ...(await shopperWithConversation(d, off)), reasons: ['angry'], angry: true, source: 'rules', note: '' }, NOW)).toBeNull();
    const { id: vip } = await createShop(d, { settings: { handoff: { tiers: ['core', 'laotie'], triggers: ['asked_for_human'], slaMinutes: { priority: 2 } } } });
    expect(await escalate(d, { shopId: vip, ...(await shopperWithConversation(d, vip, 'potential')), reasons: ['asked_for_human'], angry: false, source: 'rules', note: '' }, NOW)).toBeNull();
    const core = await shopperWithConversation(d, vip, 'core');
    expect(await escalate(d, { shopId: vip, ...core, reasons: ['angry'], angry: true, source: 'rules', note: '' }, NOW)).toBeNull();
    const ok = await escalate(d, { shopId: vip, ...core, reasons: ['asked_for_human', 'angry'], angry: true, source: 'rules', note: '' }, NOW);
    expect(ok!.ticket.reasons).toEqual(['asked_for_human']);
    expect(ok!.ticket.slaMinutes).toBe(2);
  });

  it('orders the queue by priority, then waiting time, with the SLA clock', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const calm = await open(d, shopId, await shopperWithConversation(d, shopId, 'converted'), at('2026-09-17T09:30:00'));
    const laotie = await open(d, shopId, await shopperWithConversation(d, shopId, 'laotie'), at('2026-09-17T09:50:00'));
    const angry = await open(d, shopId, await shopperWithConversation(d, shopId, 'converted'), at('2026-09-17T09:40:00'), true);
    const later = await open(d, shopId, await shopperWithConversation(d, shopId, 'converted'), at('2026-09-17T09:45:00'));
    const q = await staffQueue(d, shopId, NOW);
    expect(q.tickets.map((t) => t.id)).toEqual([angry.ticket.id, laotie.ticket.id, calm.ticket.id, later.ticket.id]);
    const first = q.tickets[0]!;
    expect(first.sla).toMatchObject({ running: true, breached: true, secondsLeft: -10 * 60 });
    expect(q.tickets[3]!.sla).toMatchObject({ breached: true, secondsLeft: -5 * 60 });
    expect(later.status.position).toBe(3);
  });

  it("puts an angry complaint above a 老铁's question twice unanswered, and tier first within the same urgency", async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const escalateAs = async (tier: Tier, message: string, at: Date) => {
      const s = await shopperWithConversation(d, shopId, tier, message);
      const a = assessMessage(message, settings, tier);
      const reasons = a.handoff.length ? a.handoff : (['unresolved'] as const);
      return (await escalate(d, { shopId, ...s, reasons: [...reasons], angry: a.mood === 'angry', source: 'rules', note: '' }, at))!.ticket;
    };
    const laotieUnanswered = await escalateAs('laotie', '就是上周那单面膜', at('2026-09-17T09:30:00'));
    const coreUnanswered = await escalateAs('core', '那单面膜呢', at('2026-09-17T09:31:00'));
    const threat = await escalateAs('new', '再不处理我就去12315', at('2026-09-17T09:50:00'));
    const exposed = await escalateAs('converted', '我要去网上曝光你们', at('2026-09-17T09:40:00'));
    const angryCore = await escalateAs('core', '你们就是骗子，我要投诉', at('2026-09-17T09:55:00'));
    const q = await staffQueue(d, shopId, NOW);
    expect(q.tickets.map((t) => t.id)).toEqual([angryCore.id, exposed.id, threat.id, laotieUnanswered.id, coreUnanswered.id]);
  });

  it('tells each waiting shopper the place staff see them at in the queue, claimed tickets taking no place', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const opened = [];
    for (const [tier, angry, minute] of [['converted', false, 30], ['laotie', false, 50], ['new', true, 55], ['core', false, 35], ['potential', true, 45]] as const) {
      opened.push((await open(d, shopId, await shopperWithConversation(d, shopId, tier), at(`2026-09-17T09:${minute}:00`), angry)).ticket);
    }
    await claimTicket(d, staffA(shopId), opened[4]!.id, NOW);
    const q = await staffQueue(d, shopId, NOW);
    const waiting = q.tickets.filter((t) => t.status === 'open');
    expect(waiting.map((t) => t.place)).toEqual([1, 2, 3, 4]);
    expect(q.tickets.find((t) => t.status === 'claimed')!.place).toBeNull();
    for (const t of waiting) {
      const told = await openHandoffStatus(d, shopId, t.conversationId, NOW);
      expect(told!.position! + 1).toBe(t.place);
    }
  });

  it('lets exactly one of two staff win a concurrent claim (50 times)', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    for (let i = 0; i < 50; i++) {
      const { ticket } = await open(d, shopId, await shopperWithConversation(d, shopId));
      const results = await Promise.allSettled([claimTicket(d, staffA(shopId), ticket.id, NOW), claimTicket(d, staffB(shopId), ticket.id, NOW)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(Conflict);
      const stored = await findShopTicket(d, shopId, ticket.id);
      expect(stored!.claimedBy).toBe((won[0] as PromiseFulfilledResult<{ claimedBy: string }>).value.claimedBy);
      const claims = (await listActions(d, shopId, ticket.id)).filter((a) => a.action === 'claim');
      expect(claims).toHaveLength(1);
    }
  });

  it('lets only the claimer or an admin close a claimed ticket, and any staff member an open one', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const admin = { shopId, actor: 'admin:boss' };
    const claimed = (await open(d, shopId, await shopperWithConversation(d, shopId))).ticket;
    await claimTicket(d, staffA(shopId), claimed.id, NOW);
    for (const status of ['resolved', 'handed_back'] as const) {
      const refused = closeByStaff(d, staffB(shopId), claimed.id, { status, outcome: '我来关' }, NOW);
      await expect(refused).rejects.toBeInstanceOf(Conflict);
      await expect(refused).rejects.toMatchObject({ message: /claimed by staff:a/, details: { claimedBy: 'staff:a' } });
    }
    expect(await findShopTicket(d, shopId, claimed.id)).toMatchObject({ status: 'claimed', closedBy: null });
    expect((await closeByStaff(d, staffA(shopId), claimed.id, { status: 'resolved', outcome: '已补发' }, NOW)).closedBy).toBe('staff:a');

    const forgotten = (await open(d, shopId, await shopperWithConversation(d, shopId))).ticket;
    await claimTicket(d, staffA(shopId), forgotten.id, NOW);
    expect(await closeByStaff(d, admin, forgotten.id, { status: 'handed_back', outcome: '下班未处理' }, NOW)).toMatchObject({ status: 'handed_back', closedBy: 'admin:boss' });

    const waiting = (await open(d, shopId, await shopperWithConversation(d, shopId))).ticket;
    expect((await closeByStaff(d, staffB(shopId), waiting.id, { status: 'resolved', outcome: '已答复' }, NOW)).closedBy).toBe('staff:b');
    const closers = async (id: number) => (await listActions(d, shopId, id)).filter((a) => a.action === 'resolve' || a.action === 'handback').map((a) => a.actor);
    expect([await closers(claimed.id), await closers(forgotten.id), await closers(waiting.id)]).toEqual([['staff:a'], ['admin:boss'], ['staff:b']]);
  });

  it('records every action with who and when, and counts SLA breaches', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const s = await shopperWithConversation(d, shopId, 'potential');
    const { ticket } = await open(d, shopId, s);
    await expect(replyToShopper(d, staffA('other-shop'), ticket.id, 'hi', NOW)).rejects.toThrow(/not found/);
    await claimTicket(d, staffA(shopId), ticket.id, at('2026-09-17T10:01:00'));
    await expect(replyToShopper(d, staffB(shopId), ticket.id, '我来', NOW)).rejects.toBeInstanceOf(Conflict);
    await replyToShopper(d, staffA(shopId), ticket.id, '您好，我是客服小王，马上为您处理', at('2026-09-17T10:02:00'));
    await addNote(d, staffB(shopId), ticket.id, '顾客是老客户，语气要温和', at('2026-09-17T10:03:00'));
    await closeByStaff(d, staffA(shopId), ticket.id, { status: 'resolved', outcome: '已补发' }, at('2026-09-17T10:05:00'));
    await expect(closeByStaff(d, staffA(shopId), ticket.id, { status: 'handed_back', outcome: '' }, NOW)).rejects.toBeInstanceOf(Conflict);
    const actions = await listActions(d, shopId, ticket.id);
    expect(actions.map((a) => [a.action, a.actor])).toEqual([
      ['open', 'rules'],
      ['claim', 'staff:a'],
      ['reply', 'staff:a'],
      ['note', 'staff:b'],
      ['resolve', 'staff:a'],
    ]);
    expect((await findOwnConversation(d, shopId, s.shopperId, s.conversationId))!.mode).toBe('ai');

    // One answered in time (above), one late, one still waiting past its SLA.
    const late = await open(d, shopId, await shopperWithConversation(d, shopId, 'potential'));
    await replyToShopper(d, staffA(shopId), late.ticket.id, '抱歉久等', at('2026-09-17T10:30:00'));
    await open(d, shopId, await shopperWithConversation(d, shopId, 'potential'));
    const stats = await staffStats(d, shopId, at('2026-09-17T11:00:00'), 30);
    expect(stats).toMatchObject({ answeredInTime: 1, breached: 2, breachedOpen: 1, resolved: 1 });
  });
});
