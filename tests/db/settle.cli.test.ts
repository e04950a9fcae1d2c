// `npm run settle` as an operator runs it: a process of its own on the embedded database in DATA_DIR,
// printing what would settle (--dry-run, nothing saved) or what settled. The clock is the real one, so
// the orders are delivered relative to now.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { ledgerEntries } from '../../src/domain/referral/index.ts';
import { createReferralOrder, createReferralShop, createReferralShopper, daysAfter, deliverOrder, payOrder } from './referralFixtures.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function settleCli(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/settle.ts', ...args],
      // Only what the command needs from ours: no DATABASE_URL leaking in.
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run settle [pglite, file-backed]', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'laotie-settle-'));
  let shopId = '';
  let orderNo = '';

  async function withDb<T>(f: (db: Db) => Promise<T>): Promise<T> {
    const db = await openPglite({ dataDir: join(dataDir, 'pglite') });
    try {
      return await f(db);
    } finally {
      await db.close();
    }
  }
  const states = () => withDb(async (db) => (await ledgerEntries(db, shopId)).map((e) => e.state));

  beforeAll(async () => {
    await withDb(async (db) => {
      await migrate(db);
      const shop = await createReferralShop(db);
      shopId = shop.id;
      const boss = await createReferralShopper(db, shop.id, { identity: 'boss', nickname: '老板阿May' });
      const agent = await createReferralShopper(db, shop.id, { identity: 'agent', referrerId: boss, nickname: '代理桃子' });
      const now = Date.now();
      // One order delivered 10 days ago (its 7-day window has passed), one 2 days ago (inside it).
      for (const days of [10, 2]) {
        const buyer = await createReferralShopper(db, shop.id, { referrerId: agent });
        const delivered = daysAfter(new Date(now), -days);
        const order = await createReferralOrder(db, shop, { buyerId: buyer, payFen: 10_000, createdAt: daysAfter(delivered, -3) });
        await payOrder(db, shop.id, order, daysAfter(delivered, -3));
        await deliverOrder(db, shop.id, order, delivered);
        if (days === 10) orderNo = (await db.query<{ order_no: string }>('SELECT order_no FROM orders WHERE id = $1', [order])).rows[0]!.order_no;
      }
    });
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('shows with --dry-run what would settle and saves nothing', async () => {
    const r = await settleCli(dataDir, ['--shop', shopId, '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^DRY RUN — nothing saved\\. shop ${shopId}, day \\d{4}-\\d{2}-\\d{2}, rewards due by `));
    expect(lines[1]).toBe('  would settle 2 rewards, ¥15.00 in all');
    expect(lines.filter((l) => l.includes(`order ${orderNo}`))).toEqual([
      expect.stringMatching(/ 代理桃子 \(shopper \d+\)  direct L1  ¥10\.00 /),
      expect.stringMatching(/ 老板阿May \(shopper \d+\)  team L2  ¥5\.00 /),
    ]);
    expect(await states()).toEqual(['pending', 'pending', 'pending', 'pending']);
  }, 180_000);

  it('settles the rewards past their window, refuses a day ahead, and finds nothing left the second time', async () => {
    const ahead = await settleCli(dataDir, ['--shop', shopId, '--date', '2999-01-01']);
    expect(ahead.code).toBe(1);
    expect(ahead.stderr).toMatch(/after today .* only a dry run can look ahead/);

    const r = await settleCli(dataDir, ['--shop', shopId]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('  settled 2 rewards, ¥15.00 in all');
    expect(await states()).toEqual(['settled', 'settled', 'pending', 'pending']);
    expect((await settleCli(dataDir, ['--shop', shopId])).stdout.split('\n')[1]).toBe('  settled 0 rewards, ¥0.00 in all');
  }, 300_000);
});
