// `npm run reminders` as an operator runs it: a process of its own on the embedded database in
// DATA_DIR. A shop with its own model has its reminders written by that model, as the service's
// scheduler writes them (a fake OpenAI-compatible server over real HTTP stands in for it).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/auth/secretBox.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { saveShopModel } from '../../src/domain/shops/model.ts';
import { createDestinationGuard } from '../../src/net/destinationGuard.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AUTH_SECRET = 'reminders-cli-test-secret-'.padEnd(40, 'x');
const KEY = 'sk-cli-0123456789';

function remindersCli(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/reminders.ts', ...args],
      // Only what the command needs from ours: no DATABASE_URL or OPENAI_API_KEY leaking in.
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run reminders with a shop of its own model [pglite, file-backed]', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'laotie-reminders-'));
  let fake: FakeOpenAI;
  let shopId = '';

  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: KEY });
    const db = await openPglite({ dataDir: join(dataDir, 'pglite') });
    const guard = createDestinationGuard({ allowHosts: [{ host: '127.0.0.1', port: null }] });
    try {
      await migrate(db);
      shopId = (await createShop(db)).id;
      await createShopper(db, { shopId, tier: 'core' });
      // Her birthday is today in the shop's time zone.
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit' }).format(new Date());
      await db.query(`UPDATE shoppers SET birthday = $2::date, registered_at = '2024-01-01' WHERE shop_id = $1`, [shopId, `1990-${today}`]);
      await saveShopModel(db, createSecretBox(AUTH_SECRET), shopId, { baseURL: fake.baseURL, model: 'qwen-cli', apiKey: KEY, expectedVersion: 0 }, new Date(), guard);
    } finally {
      await guard.close();
      await db.close();
    }
  }, 120_000);
  afterAll(async () => {
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("writes the shop's reminders with the shop's own model", async () => {
    fake.script([
      {
        text: (body) => {
          const facts = JSON.parse(String(body.messages.at(-1)!.content).replace(/^事实：/, '')) as { 券: { 规则: string } };
          return `生日快乐！送您一张生日券：${facts.券.规则}。`;
        },
      },
    ]);
    const r = await remindersCli({ DATA_DIR: dataDir, AUTH_SECRET, WEBHOOK_ALLOW_HOSTS: '127.0.0.1' }, ['--shop', shopId]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('written by {"qwen-cli":1}');
    expect(r.stdout).toContain('生日快乐！送您一张生日券');
    fake.assertDone();
    expect(fake.requests.at(-1)!.body.model).toBe('qwen-cli');
  }, 180_000);
});
