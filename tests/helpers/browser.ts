// Pages in a real browser (Debian's Chromium driven by playwright-core): what the browser tests share.
// Screenshots go to test-artifacts/.
import { existsSync, mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe } from 'vitest';
import { describeDemo } from './demo.ts';
import { ARTIFACTS_DIR } from './paths.ts';

export const CHROMIUM = '/usr/bin/chromium';
// The flags this machine needs: no sandbox as root, and no background traffic to a closed network.
export const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
export const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };
// How long the page may take to show something (shared, busy CI machines).
export const WAIT = { timeout: 20_000 };

/** A page that records what must never happen: dialogs (an XSS alert), script errors, CSP violations. */
export async function openPage(ctx: BrowserContext, url: string) {
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|ERR_CONNECTION_REFUSED|EventSource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

export async function shoot(page: Page, name: string) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png` });
}

/** Does `act` on the card, then waits for the card's answer to it to finish; returns that answer. */
export async function answerTo(page: Page, act: () => Promise<void>) {
  const before = await page.locator('.msg.assistant').count();
  await act();
  await page.waitForFunction(
    (n) => {
      const answers = document.querySelectorAll('.msg.assistant');
      return answers.length > n && !answers[answers.length - 1]!.classList.contains('typing') && !document.querySelector('#composer.busy');
    },
    before,
    { timeout: 30_000 },
  );
  return page.locator('.msg.assistant').last();
}

/** Types `text` into the card and sends it; returns the card's answer. */
export async function ask(page: Page, text: string) {
  return answerTo(page, async () => {
    await page.fill('#input', text);
    await page.click('#send');
  });
}

/** describeDemo when Chromium is installed; otherwise the suite is skipped, saying why. */
export const describeWithBrowser = existsSync(CHROMIUM)
  ? describeDemo
  : (title: string) => describe.skip(`${title} — skipped: ${CHROMIUM} is absent (CI installs it in .ci/run)`, () => {});
