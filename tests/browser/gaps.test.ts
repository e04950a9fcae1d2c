// What the card could not answer, in a real browser: the shopper rates a reply on the card, the
// operator sees the question in the console and writes its answer there, and the card answers it.
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARGS, ask, CHROMIUM, DESKTOP, describeWithBrowser, openPage, PHONE, shoot, WAIT } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const QUESTION = '你们能开发票吗';
const ANSWER = '可以开电子发票：收货后在订单详情里点“申请发票”，3个工作日内发到你的邮箱。';

describeWithBrowser('rating replies and answering the gaps in Chromium', (db) => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function context(kind: typeof PHONE | typeof DESKTOP) {
    const ctx = await browser.newContext(kind);
    contexts.push(ctx);
    return ctx;
  }
  async function shopperToken(offset: number) {
    const { rows } = await db().query<{ id: number }>("SELECT id FROM shoppers WHERE shop_id = 'demo' ORDER BY id OFFSET $1 LIMIT 1", [offset]);
    return { id: rows[0]!.id, token: await server.token(rows[0]!.id) };
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

  it('lets the shopper rate a reply down and change it, and keeps the rating when the card is opened again', async () => {
    const shopper = await shopperToken(3);
    const { page, problems } = await openPage(await context(PHONE), `${server.url}/card/demo#token=${shopper.token}`);
    const answer = await ask(page, '你好');
    const down = answer.locator('.rate button.down');
    await down.tap();
    await expect.poll(() => down.getAttribute('aria-pressed'), WAIT).toBe('true');
    await shoot(page, 'card-phone-rated');
    const messageId = Number(await answer.getAttribute('data-id'));
    const rating = async () => (await db().query<{ rating: string }>('SELECT rating FROM answer_ratings WHERE message_id = $1', [messageId])).rows;
    expect(await rating()).toEqual([{ rating: 'down' }]);

    await answer.locator('.rate button.up').tap();
    await expect.poll(() => answer.locator('.rate button.up').getAttribute('aria-pressed'), WAIT).toBe('true');
    expect(await down.getAttribute('aria-pressed')).toBe('false');
    expect(await rating()).toEqual([{ rating: 'up' }]);

    await page.reload();
    const again = page.locator(`.msg.assistant[data-id="${messageId}"]`);
    await expect.poll(() => again.locator('.rate button.up').getAttribute('aria-pressed'), WAIT).toBe('true');
    // The shopper's own message has nothing to rate.
    expect(await page.locator('.msg.user .rate').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('shows an admin the unanswered question, and the answer written there is what the card answers next', async () => {
    const shopper = await shopperToken(4);
    const card = await openPage(await context(PHONE), `${server.url}/card/demo#token=${shopper.token}`);
    const first = await ask(card.page, QUESTION);
    expect(await first.locator('.text').textContent()).not.toContain('电子发票');

    // Staff who are no admin see the queue alone.
    const staff = await openPage(await context(DESKTOP), `${server.url}/staff#token=${await server.token('wang', { role: 'staff' })}`);
    await expect.poll(() => staff.page.locator('#duty').textContent(), WAIT).not.toBe('');
    expect(await staff.page.locator('#gaps-panel').isHidden()).toBe(true);

    const desk = await openPage(await context(DESKTOP), `${server.url}/staff#token=${await server.token('boss', { role: 'admin' })}`);
    const gap = desk.page.locator('#gaps .gap', { hasText: QUESTION });
    await expect.poll(() => gap.count(), WAIT).toBe(1);
    expect(await gap.locator('.meta').textContent()).toContain('知识库无答案');
    await expect.poll(() => desk.page.locator('#gaps-rates').textContent(), WAIT).toMatch(/未答率 \d+(\.\d)?% · 差评率 .+ · 自动化率 \d+(\.\d)?%/);
    await shoot(desk.page, 'staff-desktop-gaps');
    await gap.locator('button.write').click();
    expect(await gap.locator('input.title').inputValue()).toBe(QUESTION);
    await gap.locator('textarea.answer').fill(ANSWER);
    await gap.locator('button[type=submit]').click();
    await expect.poll(() => gap.locator('.done').textContent(), WAIT).toContain(`已写入知识库《${QUESTION}》`);
    await shoot(desk.page, 'staff-desktop-gap-answered');
    // Opened again, the console shows the question as answered rather than asking for it twice.
    await desk.page.reload();
    await expect.poll(() => gap.locator('.done').textContent(), WAIT).toContain(`已写入知识库《${QUESTION}》`);
    expect(await gap.locator('button.write').count()).toBe(0);

    const next = await ask(card.page, QUESTION);
    await expect.poll(() => next.locator('.text').textContent(), WAIT).toContain('申请发票');
    expect(card.problems).toEqual([]);
    expect(staff.problems).toEqual([]);
    expect(desk.problems).toEqual([]);
  });
});
