// The embedded database is one process's: `npm start` from an empty data directory (as a fresh clone
// runs it: seeding, indexing, then the start-up banner), then every command that opens the database
// run beside it. Each must stop with one line naming the server's pid, change nothing, and exit ≠ 0;
// the server restarted on the same data is healthy and the data is what it was. Also: another
// process on the port, and NODE_ENV=production without SEED_DEMO.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../../src/auth/tokens.ts';
import type { Db } from '../../src/db/db.ts';
import { lockFileOf } from '../../src/db/dataDirLock.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { SAMPLE_SHOPPERS } from '../../src/demo/samples.ts';
import { startService, type Service } from '../faults/service.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AUTH_SECRET = 'one-writer-test-secret-'.padEnd(40, 'x');
const dirs: string[] = [];
function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'laotie-onewriter-'));
  dirs.push(dir);
  return dir;
}
const running: Service[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop(5_000)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A command as npm runs it (tsx over the script), with only the service's own settings. */
function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** What a second writer would have changed: row counts and the sample shoppers' ids (a re-seed renumbers them). */
async function facts(db: Db) {
  const { rows } = await db.query<{ shoppers: number; orders: number; embeddings: number; embedded_at: string; messages: number; samples: string }>(
    `SELECT (SELECT count(*) FROM shoppers)::int AS shoppers, (SELECT count(*) FROM orders)::int AS orders,
            (SELECT count(*) FROM product_embeddings)::int AS embeddings,
            (SELECT max(updated_at)::text FROM product_embeddings) AS embedded_at,
            (SELECT count(*) FROM messages)::int AS messages,
            (SELECT string_agg(openid || '=' || id, ',' ORDER BY openid) FROM shoppers WHERE openid = ANY($1::text[])) AS samples`,
    [SAMPLE_SHOPPERS.map((s) => s.openid)],
  );
  return rows[0]!;
}

describe('one process on the embedded database [pglite, file-backed]', () => {
  it(
    'a first npm start seeds with progress and prints the pages, a staff token and each sample shopper; every command beside it refuses in one line and changes nothing; restarted, the data is intact',
    async () => {
      const dataDir = freshDataDir();
      const env = { DATA_DIR: dataDir, AUTH_SECRET, SEED_DEMO: 'true', REMINDERS_SCHEDULER: 'false' };
      const server = await startService(env, 300_000);
      running.push(server);
      const out = server.output();

      // Progress while seeding and indexing, then the banner.
      expect(out).toMatch(/Preparing the demo shop "demo"/);
      expect(out).toMatch(/seeded \d+ products, \d+ shoppers, \d+ orders/);
      expect(out).toMatch(/indexed (\d+)\/\1 products/);
      expect(out).toMatch(/loaded \d+ knowledge documents/);
      expect(out.indexOf('Preparing the demo shop')).toBeLessThan(out.indexOf('Laotie is serving on'));
      const cardUrl = new RegExp(`^\\s+(${server.url}/card/demo#token=(\\S+))$`, 'm').exec(out);
      const staffUrl = new RegExp(`^\\s+(${server.url}/staff#token=(\\S+))$`, 'm').exec(out);
      expect(cardUrl, out).not.toBeNull();
      expect(staffUrl, out).not.toBeNull();
      expect(out).toContain(`Staff token: ${staffUrl![2]}`);
      const tokens = createTokenIssuer(AUTH_SECRET);
      expect(await tokens.verify(staffUrl![2]!)).toMatchObject({ shopId: 'demo', role: 'staff' });
      for (const s of SAMPLE_SHOPPERS) {
        const m = new RegExp(`^  ${s.openid}  ${s.nickname}  shopper (\\d+)  ${s.tier} / ${s.identity}\\n    try: .+\\n    token: (\\S+)$`, 'm').exec(out);
        expect(m, `${s.openid} in:\n${out}`).not.toBeNull();
        expect(await tokens.verify(m![2]!)).toEqual({ shopId: 'demo', role: 'shopper', shopperId: Number(m![1]) });
      }
      const page = await fetch(`${server.url}/card/demo`);
      expect(page.status).toBe(200);
      const queue = await fetch(`${server.url}/v1/staff/queue`, { headers: { authorization: `Bearer ${staffUrl![2]}` } });
      expect(queue.status).toBe(200);

      // Every command that opens the database, beside the server (and a second server on another port).
      const refusal = new RegExp(`^the embedded database \\S+ is in use by pid ${server.pid} \\(node \\S*src/main\\.ts\\): stop it first, a second process would corrupt it\\n$`);
      const commands: Array<[string, string[]]> = [
        ['src/cli/seed.ts', []],
        ['src/cli/chat.ts', ['--user', '1']],
        ['src/cli/reminders.ts', ['--shop', 'demo', '--deliver']],
        ['src/cli/reindex.ts', ['--force']],
        ['src/cli/settle.ts', ['--shop', 'demo']],
        ['src/main.ts', []],
      ];
      const results = await Promise.all(commands.map(([script, args]) => run(script, args, { ...env, HOST: '127.0.0.1', PORT: '0' })));
      results.forEach((r, i) => {
        const what = `${commands[i]![0]}: exit ${r.code}\n${r.stdout}${r.stderr}`;
        expect(r.code, what).not.toBe(0);
        expect(r.code, what).not.toBeNull();
        expect(r.stderr, what).toMatch(refusal);
        expect(r.stdout, what).toBe('');
      });
      // The token command needs no database: it runs beside the server.
      const token = await run('src/cli/token.ts', ['--shop', 'demo', '--user', '1'], env);
      expect(token.code, token.stderr).toBe(0);
      expect(await tokens.verify(token.stdout.trim())).toEqual({ shopId: 'demo', role: 'shopper', shopperId: 1 });

      // Still serving; then stopped, its lock gone, and the data as it was.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await server.stop();
      running.splice(running.indexOf(server), 1);
      expect(existsSync(lockFileOf(join(dataDir, 'pglite'))), 'lock released on stop').toBe(false);
      const db = await openPglite({ dataDir: join(dataDir, 'pglite') });
      const before = await facts(db);
      await db.close();
      expect(before.samples.split(',')).toHaveLength(SAMPLE_SHOPPERS.length);
      expect(before.samples).toContain(`demo-openid-0001=${/shopper (\d+)/.exec(out.slice(out.indexOf('demo-openid-0001  ')))![1]}`);

      const again = await startService(env, 120_000);
      running.push(again);
      expect(again.output()).not.toContain('Preparing the demo shop');
      expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${again.url}/v1/staff/queue`, { headers: { authorization: `Bearer ${staffUrl![2]}` } })).status).toBe(200);
      await again.stop();
      running.splice(running.indexOf(again), 1);
      const db2 = await openPglite({ dataDir: join(dataDir, 'pglite') });
      expect(await facts(db2)).toEqual(before);
      await db2.close();
    },
    600_000,
  );

  it('says in one line that the port is in use, and leaves the data directory unlocked', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const dataDir = freshDataDir();
      const r = await run('src/main.ts', [], { DATA_DIR: dataDir, AUTH_SECRET, SEED_DEMO: 'false', HOST: '127.0.0.1', PORT: String(port) });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`port ${port} is in use — set PORT\n`);
      expect(existsSync(lockFileOf(join(dataDir, 'pglite')))).toBe(false);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  }, 120_000);

  it('under NODE_ENV=production seeds no demo shop and prints no token unless SEED_DEMO=true', async () => {
    const dataDir = freshDataDir();
    const env = { NODE_ENV: 'production', DATA_DIR: dataDir, AUTH_SECRET, REMINDERS_SCHEDULER: 'false' };
    const server = await startService(env, 120_000);
    running.push(server);
    const out = server.output();
    await server.stop();
    running.splice(running.indexOf(server), 1);
    expect(out).toMatch(/Laotie is serving on/);
    expect(out).not.toMatch(/token|demo-openid|Preparing/i);
    const db = await openPglite({ dataDir: join(dataDir, 'pglite') });
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM shops WHERE id = 'demo'`);
    await db.close();
    expect(rows[0]!.n).toBe(0);
    const seed = await run('src/cli/seed.ts', [], env);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toBe('NODE_ENV=production: the demo shop is seeded only with SEED_DEMO=true\n');
  }, 240_000);
});
