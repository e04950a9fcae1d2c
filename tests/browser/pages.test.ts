// The card and the staff console in a real browser (Debian's Chromium driven by playwright-core):
// what a shopper and a staff member see and tap. Screenshots go to test-artifacts/.
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARGS, ask, CHROMIUM, DESKTOP, describeWithBrowser, openPage, PHONE, shoot, WAIT } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const XSS = '<img src=x onerror=alert(1)>';

describeWithBrowser('the card and the staff console in Chromium', (db) => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function context(kind: typeof PHONE | typeof DESKTOP) {
    const ctx = await browser.newContext(kind);
    contexts.push(ctx);
    return ctx;
  }
  async function shopperOf(sql: string): Promise<{ id: number; token: string; nickname: string }> {
    const { rows } = await db().query<{ id: number }>(sql);
    const id = rows[0]!.id;
    const named = await db().query<{ nickname: string }>('SELECT nickname FROM shoppers WHERE id = $1', [id]);
    return { id, token: await server.token(id), nickname: named.rows[0]!.nickname };
  }
  async function staffApi(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as any;
  }

  beforeAll(async () => {
    server = await startTestServer(db());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('shows the tracking steps when a shopper asks where her parcel is', async () => {
    const shopper = await shopperOf(
      `SELECT o.shopper_id AS id FROM orders o WHERE o.shop_id = 'demo' AND o.status = 'shipped'
         AND o.created_at = (SELECT max(created_at) FROM orders x WHERE x.shopper_id = o.shopper_id)
       ORDER BY o.shopper_id LIMIT 1`,
    );
    const { page, problems } = await openPage(await context(PHONE), `${server.url}/card/demo#token=${shopper.token}`);
    expect(page.url()).not.toContain('token='); // the token leaves the address bar at once
    await expect.poll(() => page.locator('.profile h1').textContent(), WAIT).toBe('小悦');
    await shoot(page, 'card-phone-start');
    await page.click('.chip:has-text("查物流")');
    await page.waitForSelector('.tracking .steps li', { timeout: 30_000 });
    const steps = await page.locator('.tracking .steps li').count();
    expect(steps).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.tracking .head strong').textContent(), WAIT).toMatch(/\S+ \S+/);
    expect(await page.locator('.msg.assistant .text').last().textContent()).not.toBe('');
    await shoot(page, 'card-phone-tracking');
    await page.setViewportSize(DESKTOP.viewport);
    await shoot(page, 'card-desktop-tracking');
    expect(problems).toEqual([]);
  });

  it('shows product cards for a recommendation, and a tap asks about that product', async () => {
    const shopper = await shopperOf("SELECT id FROM shoppers WHERE shop_id = 'demo' AND tier = 'potential' ORDER BY id LIMIT 1");
    const { page, problems } = await openPage(await context(PHONE), `${server.url}/card/demo#token=${shopper.token}`);
    await ask(page, '推荐个适合干皮的粉底液 200以内');
    await page.waitForSelector('.product', { timeout: 30_000 });
    expect(await page.locator('.product').count()).toBeGreaterThanOrEqual(2);
    await shoot(page, 'card-phone-products');
    const second = page.locator('.product').nth(1);
    const name = (await second.locator('.name').textContent())!;
    const answers = await page.locator('.msg.assistant').count();
    await second.locator('.about').tap();
    await expect.poll(() => page.locator('.msg.user').last().textContent(), WAIT).toContain(name);
    await page.waitForFunction((n) => document.querySelectorAll('.msg.assistant:not(.typing)').length > n, answers, { timeout: 30_000 });
    await expect.poll(() => page.locator('.msg.assistant .text').last().textContent(), WAIT).toContain(name);
    // The tap asked about that one product: the agent looked it up, not the whole list again.
    const { rows } = await db().query<{ tool_calls: Array<{ name: string; output: { name?: string } }> }>(
      `SELECT m.tool_calls FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE c.shopper_id = $1 AND m.role = 'assistant' ORDER BY m.id DESC LIMIT 1`,
      [shopper.id],
    );
    expect(rows[0]!.tool_calls.find((t) => t.name === 'getProduct')?.output.name).toBe(name);
    await shoot(page, 'card-phone-product-tapped');
    expect(problems).toEqual([]);
  });

  it("opens a recommended product's page in the mall with 去看看 inside the mini-program, and says where to buy outside it", async () => {
    const shopper = await shopperOf("SELECT id FROM shoppers WHERE shop_id = 'demo' AND tier = 'converted' ORDER BY id LIMIT 1");
    // The mini-program's web-view, as WeChat's JS-SDK presents it: wx.miniProgram.navigateTo.
    const inApp = await context(PHONE);
    await inApp.addInitScript(() => {
      const w = window as unknown as { wx: unknown; opened: string[] };
      w.opened = [];
      w.wx = { miniProgram: { navigateTo: (o: { url: string; success?: () => void }) => (w.opened.push(o.url), o.success?.()) } };
    });
    const { page, problems } = await openPage(inApp, `${server.url}/card/demo#token=${shopper.token}`);
    await ask(page, '推荐个适合干皮的粉底液 200以内');
    await page.waitForSelector('.product .go', { timeout: 30_000 });
    const second = page.locator('.product').nth(1);
    const id = Number(await second.getAttribute('data-product-id'));
    const { rows } = await db().query<{ name: string }>('SELECT name FROM products WHERE id = $1', [id]);
    expect(await second.locator('.name').textContent()).toBe(rows[0]!.name);
    const answers = await page.locator('.msg.assistant').count();
    await second.locator('.go').tap();
    await expect.poll(() => page.evaluate(() => (window as unknown as { opened: string[] }).opened), WAIT).toEqual([`/pages/goods/detail?id=${id}`]);
    // Opening the page asks the card nothing.
    expect(await page.locator('.msg.assistant').count()).toBe(answers);
    await shoot(page, 'card-phone-product-go');

    // Asked how to buy it, the card answers with that product, its 「去看看」 under the reply.
    const answer = await ask(page, '第二个怎么买');
    await expect.poll(() => answer.locator('.text').textContent(), WAIT).toContain('不能替你下单');
    await expect.poll(() => answer.locator('.product').getAttribute('data-product-id'), WAIT).toBe(String(id));
    await answer.locator('.product .go').tap();
    await expect.poll(() => page.evaluate(() => (window as unknown as { opened: string[] }).opened), WAIT).toHaveLength(2);
    await shoot(page, 'card-phone-how-to-buy');
    expect(problems).toEqual([]);

    // A plain browser has no mall to open: the card says where to buy, and nothing breaks.
    const outside = await openPage(await context(PHONE), `${server.url}/card/demo#token=${shopper.token}`);
    await ask(outside.page, '推荐个适合干皮的粉底液 200以内');
    await outside.page.waitForSelector('.product .go', { timeout: 30_000 });
    await outside.page.locator('.product .go').first().tap();
    await expect.poll(() => outside.page.locator('.product .go-note').first().textContent(), WAIT).toContain('小程序');
    expect(await outside.page.locator('script[src*="res.wx.qq.com"]').count()).toBe(0);
    expect(outside.problems).toEqual([]);
  });

  it('escalates an angry shopper: staff sees the summary, claims, replies as a person, hands back, and the AI answers again', async () => {
    const shopper = await shopperOf("SELECT id FROM shoppers WHERE shop_id = 'demo' AND tier = 'laotie' ORDER BY id LIMIT 1");
    const staffToken = await server.token('wang', { role: 'staff' });
    const card = await openPage(await context(PHONE), `${server.url}/card/demo#token=${shopper.token}`);
    await ask(card.page, '快递一直不动，你们太垃圾了，我要投诉！！！');
    await expect.poll(() => card.page.locator('#handoff').textContent(), WAIT).toContain('转接人工客服');
    await shoot(card.page, 'card-phone-escalated');

    const desk = await openPage(await context(DESKTOP), `${server.url}/staff#token=${staffToken}`);
    const item = desk.page.locator('#queue .item', { hasText: shopper.nickname });
    await item.click();
    await expect.poll(() => item.textContent(), WAIT).toContain('顾客情绪激动');
    await expect.poll(() => desk.page.locator('#summary').textContent(), WAIT).toContain('我要投诉');
    // Which model wrote the AI's words: here the offline model (the service has none configured).
    await expect.poll(() => desk.page.locator('#messages .msg.assistant .model').first().textContent(), WAIT).toBe('离线模型');
    await expect.poll(() => desk.page.locator('#orders li').count(), WAIT).toBeGreaterThan(0);
    await expect.poll(() => desk.page.locator('#queue .sla').first().textContent(), WAIT).toMatch(/剩 \d+:\d\d|超时/);
    await shoot(desk.page, 'staff-desktop-ticket');

    await desk.page.click('#claim');
    // The error line is part of what is polled, so a failure shows what the console said.
    const head = async () => `${await desk.page.locator('#ticket-head').textContent()} ${await desk.page.locator('#error').textContent()}`;
    await expect.poll(head, WAIT).toContain('人工处理中');
    await expect.poll(() => card.page.locator('#handoff').textContent(), WAIT).toContain('人工客服已接入');
    await desk.page.fill('#reply-text', '非常抱歉让您久等了，我是客服小王，马上为您核实物流');
    await desk.page.click('#reply .primary');
    const staffBubble = card.page.locator('.msg.staff').last();
    await expect.poll(() => staffBubble.textContent(), WAIT).toContain('我是客服小王');
    expect(await staffBubble.locator('.badge.staff').textContent()).toBe('人工客服');
    await expect.poll(() => desk.page.locator('#messages .msg.staff').count(), WAIT).toBeGreaterThan(0);
    await shoot(card.page, 'card-phone-staff-reply');
    await shoot(desk.page, 'staff-desktop-replied');

    await desk.page.click('#handback');
    await expect.poll(() => card.page.locator('#handoff').textContent(), WAIT).toContain('继续为你服务');
    const again = await ask(card.page, '我有多少积分');
    await expect.poll(() => again.locator('.text').textContent(), WAIT).toMatch(/积分/);
    await shoot(card.page, 'card-phone-ai-again');
    await desk.page.setViewportSize(PHONE.viewport);
    await shoot(desk.page, 'staff-phone');
    expect(card.problems).toEqual([]);
    expect(desk.problems).toEqual([]);
  });

  it('shows a script-like message as text on both pages, and both pages reconnect after a server restart', async () => {
    const shopper = await shopperOf("SELECT id FROM shoppers WHERE shop_id = 'demo' AND tier = 'core' ORDER BY id LIMIT 1");
    const staffToken = await server.token('li', { role: 'staff' });
    const card = await openPage(await context(PHONE), `${server.url}/card/demo#token=${shopper.token}`);
    await ask(card.page, `转人工 ${XSS}`);
    const mine = card.page.locator('.msg.user .text').last();
    expect(await mine.textContent()).toBe(`转人工 ${XSS}`);
    expect(await card.page.locator('.chat img').count()).toBe(0);

    const desk = await openPage(await context(DESKTOP), `${server.url}/staff#token=${staffToken}`);
    await desk.page.locator('#queue .item', { hasText: shopper.nickname }).click();
    await expect.poll(() => desk.page.locator('#messages').textContent(), WAIT).toContain(XSS);
    expect(await desk.page.locator('#messages img, #summary img').count()).toBe(0);
    await expect.poll(() => desk.page.locator('#summary').textContent(), WAIT).toContain(XSS);
    await shoot(card.page, 'card-phone-xss');
    await shoot(desk.page, 'staff-desktop-xss');
    const ticketId = Number(await desk.page.locator('#queue .item.selected').getAttribute('data-ticket'));
    await expect.poll(() => desk.page.locator('#live').textContent(), WAIT).toContain('实时');

    // The server restarts mid-conversation on the same address; both pages reconnect and resume.
    const port = server.port;
    await server.close();
    await expect.poll(() => desk.page.locator('#live').textContent(), WAIT).toContain('重连');
    server = await startTestServer(db(), { port });
    await staffApi('POST', `/v1/staff/tickets/${ticketId}/reply`, staffToken, { text: `人工回复 ${XSS}` });
    const staffBubble = card.page.locator('.msg.staff .text').last();
    await expect.poll(() => staffBubble.textContent(), WAIT).toBe(`人工回复 ${XSS}`);
    await expect.poll(() => desk.page.locator('#messages .msg.staff .text').last().textContent(), WAIT).toBe(`人工回复 ${XSS}`);
    expect(await card.page.locator('.chat img').count()).toBe(0);
    expect(card.problems).toEqual([]);
    expect(desk.problems).toEqual([]);
  });
});
