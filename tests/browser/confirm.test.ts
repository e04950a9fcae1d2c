// Confirmation on the card in a real browser (docs/domain.md §14 Confirmation): the sample shopper
// 桃子 asks to return her latest order, delivered days ago; the card states the action with 确认 /
// 取消 and nothing is filed until she taps 确认. The demo shop and the offline model, as shipped.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { formatFen } from '../../src/domain/orders/money.ts';
import { answerTo, ARGS, ask, CHROMIUM, describeWithBrowser, openPage, PHONE, shoot, WAIT } from '../helpers/browser.ts';
import { DEMO_NOW } from '../helpers/demo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const RETURN_IT = '最近那单我要退货，用着过敏';

describeWithBrowser('confirming an after-sales request on the card in Chromium', (db) => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let shopperId: number;
  let order: { orderNo: string; pay: string };

  /** A fresh card for 桃子 (a new browser context: a conversation of its own). */
  async function card() {
    const ctx = await browser.newContext(PHONE);
    contexts.push(ctx);
    return openPage(ctx, `${server.url}/card/demo#token=${await server.token(shopperId)}`);
  }
  const requests = async () =>
    (
      await db().query<{ request_no: string }>(
        'SELECT a.request_no FROM after_sales a JOIN orders o ON o.id = a.order_id WHERE o.order_no = $1 ORDER BY a.id',
        [order.orderNo],
      )
    ).rows.map((r) => r.request_no);

  /** She asks to return the order; the card states the action with its two answers, and files nothing. */
  async function askToReturn(page: Page) {
    await ask(page, RETURN_IT);
    // Pinned to this answer: later answers come after it.
    const box = page.locator('.msg.assistant').nth((await page.locator('.msg.assistant').count()) - 1).locator('.confirm');
    await expect.poll(() => box.locator('.summary').textContent(), WAIT).toContain(order.orderNo);
    const summary = (await box.locator('.summary').textContent())!;
    expect(summary).toContain('退货退款');
    expect(summary).toContain(order.pay);
    const yes = box.getByRole('button', { name: '确认' });
    const no = box.getByRole('button', { name: '取消' });
    await expect.poll(() => yes.isEnabled(), WAIT).toBe(true);
    expect(await no.isEnabled()).toBe(true);
    // The buttons are described by the action they answer, for a screen reader.
    expect(await yes.getAttribute('aria-describedby')).toBe(await box.locator('.summary').getAttribute('id'));
    expect(await requests()).toEqual([]);
    return { box, yes, no };
  }

  beforeAll(async () => {
    server = await startTestServer(db());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    shopperId = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0002'))!;
    const { rows } = await db().query<{ order_no: string; pay_fen: string; status: string; delivered_at: Date }>(
      `SELECT o.order_no, o.pay_fen, o.status, s.delivered_at FROM orders o JOIN shipments s ON s.order_id = o.id
        WHERE o.shopper_id = $1 ORDER BY o.created_at DESC LIMIT 1`,
      [shopperId],
    );
    const latest = rows[0]!;
    // The sample as seeded: her latest order was delivered within the last 3 days, and is hers to return.
    expect(latest.status).toBe('delivered');
    expect(DEMO_NOW.getTime() - new Date(latest.delivered_at).getTime()).toBeLessThan(3 * 86_400_000);
    order = { orderNo: latest.order_no, pay: formatFen(Number(latest.pay_fen)) };
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('files nothing when she taps 取消, and says it was cancelled', async () => {
    const { page, problems } = await card();
    const { box, yes, no } = await askToReturn(page);
    await shoot(page, 'card-phone-confirm-asked');

    const reply = await answerTo(page, () => no.tap());
    expect(await page.locator('.msg.user .text').last().textContent()).toBe('取消');
    await expect.poll(() => reply.locator('.text').textContent(), WAIT).toMatch(/取消/);
    expect(await yes.isDisabled()).toBe(true);
    expect(await no.isDisabled()).toBe(true);
    expect(await no.getAttribute('aria-pressed')).toBe('true');
    expect(await box.getAttribute('class')).toContain('answered');
    expect(await requests()).toEqual([]);
    await shoot(page, 'card-phone-confirm-cancelled');
    expect(problems).toEqual([]);
  });

  it('closes the buttons when she types something else instead, and files nothing', async () => {
    const { page, problems } = await card();
    const { yes, no } = await askToReturn(page);
    await ask(page, '我现在有多少积分');
    expect(await yes.isDisabled()).toBe(true);
    expect(await no.isDisabled()).toBe(true);
    expect(await requests()).toEqual([]);
    // The server read the words as moving on: the stated action is dropped, not waiting for a later yes.
    const conversationId = await page.evaluate(() => sessionStorage.getItem('laotie.conversation.demo'));
    const { rows } = await db().query<{ state: string }>('SELECT state FROM pending_actions WHERE conversation_id = $1', [conversationId]);
    expect(rows.map((r) => r.state)).toEqual(['dropped']);
    expect(problems).toEqual([]);
  });

  it('files exactly one request when she taps 确认, and shows its number', async () => {
    const { page, problems } = await card();
    const { yes, no } = await askToReturn(page);

    const reply = await answerTo(page, () => yes.tap());
    expect(await page.locator('.msg.user .text').last().textContent()).toBe('确认');
    expect(await yes.isDisabled()).toBe(true);
    expect(await no.isDisabled()).toBe(true);
    const filed = await requests();
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatch(/^AS/);
    await expect.poll(() => reply.locator('.text').textContent(), WAIT).toContain(filed[0]!);
    await shoot(page, 'card-phone-confirm-filed');
    expect(problems).toEqual([]);
  });
});
