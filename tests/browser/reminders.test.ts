// Reminders on the card in a real browser (docs/domain.md §8 Reminders): a reminder is delivered into
// the shopper's latest conversation, but the card opens on a new one. When it opens it shows what was
// delivered since she last looked, with its coupon, and marks it seen: the next opening shows it no
// more. The demo shop as seeded, where the last week's reminders have been delivered.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { ARGS, ask, CHROMIUM, describeWithBrowser, PHONE, shoot, WAIT } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Delivered {
  id: number;
  message: string;
  conversation_id: string;
  seen_at: Date | null;
  coupon_name: string | null;
}

describeWithBrowser('reminders shown on the card in Chromium', (db) => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const delivered = async (shopperId: number) =>
    (
      await db().query<Delivered>(
        `SELECT r.id, r.message, o.result->>'conversationId' AS conversation_id, o.seen_at, t.name AS coupon_name
           FROM reminders r JOIN reminder_outbox o ON o.reminder_id = r.id AND o.channel = 'in_card' AND o.state = 'sent'
           LEFT JOIN coupons c ON c.id = r.coupon_id LEFT JOIN coupon_templates t ON t.id = c.template_id
          WHERE r.shopper_id = $1 ORDER BY o.sent_at, r.id`,
        [shopperId],
      )
    ).rows;

  /**
   * Opens the card for the shopper, optionally in an existing conversation of hers, and waits for it to
   * have asked for her unseen reminders. Returns the page and what must never happen on it.
   */
  async function card(shopperId: number, conversationId?: string) {
    const ctx = await browser.newContext(PHONE);
    contexts.push(ctx);
    if (conversationId) await ctx.addInitScript((id) => sessionStorage.setItem('laotie.conversation.demo', id), conversationId);
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource|ERR_CONNECTION_REFUSED|EventSource/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    const asked = page.waitForResponse((r) => r.url().endsWith('/v1/reminders/unseen'), WAIT);
    await page.goto(`${server.url}/card/demo#token=${await server.token(shopperId)}`);
    expect((await asked).status()).toBe(200);
    return { page, problems };
  }
  const reminderTexts = (page: Page) => page.locator('.msg.reminder .text').allTextContents();

  beforeAll(async () => {
    server = await startTestServer(db());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('shows 小雨 the reminders delivered to another conversation, with their coupon, once', async () => {
    const shopperId = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0001'))!;
    const before = await delivered(shopperId);
    // The seeded demo: her refill reminders are delivered, and she has not opened the card since.
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((r) => r.seen_at === null)).toBe(true);

    const { page, problems } = await card(shopperId);
    await expect.poll(() => reminderTexts(page), WAIT).toEqual(before.map((r) => r.message));
    // The page opened no conversation: each one was written to the conversation she had before.
    expect(await page.evaluate(() => sessionStorage.getItem('laotie.conversation.demo'))).toBeNull();
    const badges = await page.locator('.msg.reminder .badge').allTextContents();
    expect(badges.every((b) => b.includes('补货提醒'))).toBe(true);
    const withCoupon = before.filter((r) => r.coupon_name);
    expect(withCoupon.length).toBeGreaterThan(0);
    expect(await page.locator('.msg.reminder .coupon-ticket .name').allTextContents()).toEqual(withCoupon.map((r) => r.coupon_name));
    expect(await page.locator('.msg.reminder .coupon-ticket .rule').first().textContent()).toBe('满80减10');
    await shoot(page, 'card-phone-reminders');

    // Marked seen once shown; the next opening shows none of them.
    await expect.poll(async () => (await delivered(shopperId)).every((r) => r.seen_at !== null), WAIT).toBe(true);
    const again = await card(shopperId);
    await again.page.locator('.profile h1').waitFor(WAIT);
    expect(await again.page.locator('.msg.reminder').count()).toBe(0);

    // A question asked on the page is answered below them.
    const answer = await ask(page, '我有多少积分');
    expect(await answer.getAttribute('class')).not.toContain('reminder');
    expect(await page.locator('.msg').last().evaluate((n) => n.classList.contains('assistant') && !n.classList.contains('reminder'))).toBe(true);
    expect([...problems, ...again.problems]).toEqual([]);
  });

  it('shows a reminder once when the card reopens the conversation it was delivered to', async () => {
    const shopperId = (await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0002'))!;
    const [first, ...rest] = await delivered(shopperId);
    expect(first).toBeDefined();
    expect(rest.every((r) => r.conversation_id === first!.conversation_id)).toBe(true);

    const { page, problems } = await card(shopperId, first!.conversation_id);
    await expect.poll(() => reminderTexts(page), WAIT).toEqual([first!.message, ...rest.map((r) => r.message)]);
    // In its conversation's history, not a second copy of it.
    expect(await page.locator('.msg .text', { hasText: first!.message }).count()).toBe(1);
    await expect.poll(async () => (await delivered(shopperId)).every((r) => r.seen_at !== null), WAIT).toBe(true);
    expect(problems).toEqual([]);
  });
});
