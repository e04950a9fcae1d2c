// The summary staff read before they answer: what the shopper asked and what the AI's tools really
// returned — from the tools' own outputs, run against the demo shop.
import { expect, it } from 'vitest';
import { appendMessage, startConversation, type StoredToolCall } from '../../src/domain/conversations/repo.ts';
import { buildSummary } from '../../src/domain/handoff/summary.ts';
import { runTool } from '../../tools/defineTool.ts';
import { TOOLS } from '../../tools/index.ts';
import { DEMO_NOW, describeDemo } from '../helpers/demo.ts';
import { shopperContext } from '../helpers/toolContext.ts';

describeDemo('the ticket summary', (db) => {
  it('says what each tool returned: a product found, three orders, nothing found, a failure, never "null"', async () => {
    const d = db();
    const { rows } = await d.query<{ id: number }>(
      `SELECT s.id FROM shoppers s WHERE s.shop_id = 'demo'
          AND (SELECT count(*) FROM orders o JOIN shipments sh ON sh.order_id = o.id WHERE o.shopper_id = s.id) >= 3 ORDER BY s.id LIMIT 1`,
    );
    const shopperId = rows[0]!.id;
    const ctx = await shopperContext(d, 'demo', shopperId, DEMO_NOW);
    const product = await d.query<{ id: number; name: string }>("SELECT id, name FROM products WHERE shop_id = 'demo' ORDER BY id LIMIT 1");
    const calls: Array<[string, Record<string, unknown>]> = [
      [TOOLS.getProduct.name, { productId: product.rows[0]!.id }],
      [TOOLS.listOrders.name, { limit: 3 }],
      [TOOLS.searchProducts.name, { query: '火星土壤面膜', category: '不存在的品类' }],
      [TOOLS.getOrder.name, { orderNo: 'LT-NO-SUCH-ORDER' }],
      [TOOLS.trackShipment.name, {}],
      [TOOLS.getPoints.name, {}],
    ];
    const toolCalls: StoredToolCall[] = [];
    for (const [name, input] of calls) {
      const def = TOOLS[name as keyof typeof TOOLS];
      toolCalls.push({ id: `c${toolCalls.length}`, name, input, output: await runTool(def, ctx, input) });
    }
    // A model may send null for an optional field: that is no reason to show "null" to staff.
    toolCalls.push({ id: 'cx', name: TOOLS.listCoupons.name, input: { status: null }, output: await runTool(TOOLS.listCoupons, ctx, {}) });

    const conv = await startConversation(d, 'demo', shopperId);
    await appendMessage(d, 'demo', conv.id, { role: 'user', content: '我的快递到哪了' });
    await appendMessage(d, 'demo', conv.id, { role: 'assistant', content: '我查了一下', toolCalls });
    const { summary, text } = await buildSummary(d, { shopId: 'demo', shopperId, conversationId: conv.id, reasons: ['asked_for_human'], note: '' });

    expect(text).not.toMatch(/null|undefined|\[object/);
    for (const c of summary.tried) expect(`${c.input} ${c.result}`).not.toMatch(/null|undefined|\[object/);
    const result = (tool: string) => summary.tried.find((c) => c.tool === tool)!.result;
    expect(result('getProduct')).toContain(product.rows[0]!.name);
    expect(result('getProduct')).not.toMatch(/0 条/);
    expect(result('listOrders')).toMatch(/^3 个订单/);
    expect(result('searchProducts')).toMatch(/^0 件商品/);
    expect(result('getOrder')).toMatch(/^失败（not_found）/);
    const tracked = toolCalls.find((c) => c.name === 'trackShipment')!.output as { orderNo: string; orderStatusLabel: string };
    expect(result('trackShipment')).toContain(tracked.orderNo);
    expect(result('trackShipment')).toContain(tracked.orderStatusLabel);
    const points = toolCalls.find((c) => c.name === 'getPoints')!.output as { balance: number };
    expect(result('getPoints')).toContain(`${points.balance} 积分`);
    expect(summary.tried.find((c) => c.tool === 'listCoupons')!.input).toBe('');
    expect(text).toContain(`getProduct ${result('getProduct')}`);
  });
});
