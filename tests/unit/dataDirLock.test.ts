// The lock that keeps a second process off an embedded data directory: the process holding it is
// named, a lock left by a process that is gone (kill -9, a crash) is taken over, and a release frees it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DataDirInUse, lockDataDir, lockFileOf, type DataDirLock } from '../../src/db/dataDirLock.ts';

const root = mkdtempSync(join(tmpdir(), 'laotie-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `pglite-${n++}`);
const locks: DataDirLock[] = [];
afterEach(() => locks.splice(0).forEach((l) => l.release()));

function lockOf(pid: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ pid, command: 'npm start', since: new Date().toISOString(), host: 'here', ...extra }) + '\n';
}

/** A pid that ran a moment ago and is gone now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('the data directory lock', () => {
  it('is taken by a file beside the directory naming this process, and removed on release', async () => {
    const dir = freshDir();
    const lock = await lockDataDir(dir);
    const held = JSON.parse(readFileSync(lockFileOf(dir), 'utf8'));
    expect(held.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lockFileOf(dir))).toBe(false);
    locks.push(await lockDataDir(dir));
  });

  it('refuses a second opening in the same process', async () => {
    const dir = freshDir();
    locks.push(await lockDataDir(dir));
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by this process/);
  });

  it('refuses while another running process holds it, naming its pid and command', async () => {
    const dir = freshDir();
    let other: ChildProcess | undefined;
    try {
      other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      const ticks = readFileSync(`/proc/${other.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];
      const theirs = lockOf(other.pid!, { startTicks: ticks });
      writeFileSync(lockFileOf(dir), theirs);
      const err = await lockDataDir(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataDirInUse);
      expect((err as Error).message).toBe(
        `the embedded database ${dir} is in use by pid ${other.pid} (npm start): stop it first, a second process would corrupt it`,
      );
      expect(readFileSync(lockFileOf(dir), 'utf8'), 'their lock untouched').toBe(theirs);
    } finally {
      other?.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = freshDir();
    writeFileSync(lockFileOf(dir), lockOf(deadPid()));
    const lock = await lockDataDir(dir);
    locks.push(lock);
    expect(JSON.parse(readFileSync(lockFileOf(dir), 'utf8')).pid).toBe(process.pid);
  });

  it('takes over a lock whose pid now belongs to another process (started later than the owner)', async () => {
    const dir = freshDir();
    // This test's parent runs, but it is not the process that wrote the lock: its start time differs.
    writeFileSync(lockFileOf(dir), lockOf(process.ppid, { startTicks: '1' }));
    locks.push(await lockDataDir(dir));
    expect(JSON.parse(readFileSync(lockFileOf(dir), 'utf8')).pid).toBe(process.pid);
  });

  it('takes over a lock file that is not a lock (left half-written)', async () => {
    const dir = freshDir();
    writeFileSync(lockFileOf(dir), '{"pid":');
    locks.push(await lockDataDir(dir));
    expect(JSON.parse(readFileSync(lockFileOf(dir), 'utf8')).pid).toBe(process.pid);
  });

  it('is released when the process exits without closing', async () => {
    const dir = freshDir();
    const script = `import { lockDataDir } from ${JSON.stringify(new URL('../../src/db/dataDirLock.ts', import.meta.url).href)};
      await lockDataDir(${JSON.stringify(dir)}); console.log('locked'); process.exit(3);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stdout).toContain('locked');
    expect(r.status).toBe(3);
    expect(existsSync(lockFileOf(dir))).toBe(false);
  });
});
