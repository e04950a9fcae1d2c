// PGlite is one process's database: a second process that opens the same files writes over the
// first one's pages, and the database is corrupted (seen: `npm run seed` beside `npm start`, and
// the next start failed with `Aborted()`). So every opening of a data directory first takes a lock
// file beside it, created atomically (O_EXCL) with the owner's pid and command, removed on close or
// on exit, and taken over when its owner is gone (a crash, kill -9, a container restart).
//
// Not proper-lockfile: it judges a lock stale by an mtime the owner refreshes on a timer, and PGlite
// holds this thread for seconds at a time (an HNSW build over a catalog), long enough for a live
// owner's lock to look stale; nor could its lock say who holds it. Whether a pid still runs needs no
// timer. The lock guards the processes of one machine (one pid namespace): two containers sharing a
// volume do not see each other's pids.
import { hostname } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

export interface LockHolder {
  pid: number;
  /** How the owner was started, e.g. `npm start`, `npm run seed`, `node src/main.ts`. */
  command: string;
  /** When it took the lock (ISO time). */
  since: string;
  host: string;
  /** Its start time in clock ticks since boot (Linux), so a pid reused by another process is told apart. */
  startTicks?: string;
}

/** The data directory is open in another process (or already in this one). */
export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const who = holder.pid === process.pid ? 'this process' : `pid ${holder.pid} (${holder.command})`;
    super(`the embedded database ${shown(dataDir)} is in use by ${who}: stop it first, a second process would corrupt it`);
    this.name = 'DataDirInUse';
  }
}

export interface DataDirLock {
  /** Removes the lock file if it is still this one's; idempotent. */
  release(): void;
}

/** Lock files this process holds, so opening one of them again here is refused too. */
const held = new Set<string>();

export function lockFileOf(dataDir: string): string {
  return `${resolve(dataDir)}.lock`;
}

/** Takes the lock of a data directory, or throws DataDirInUse naming the process that holds it. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = lockFileOf(dataDir);
  if (held.has(file)) throw new DataDirInUse(dataDir, readHolder(readLock(file) ?? '') ?? self());
  // A few rounds: each one either creates the file, finds a live owner, or clears a stale lock
  // (which another process may then take first: that one is then the live owner).
  for (let round = 0; round < 5; round++) {
    const me = self();
    const text = JSON.stringify(me) + '\n';
    try {
      writeFileSync(file, text, { flag: 'wx', mode: 0o644 });
      return own(file, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const found = await readSettled(file);
    if (found === null) continue; // released meanwhile
    const holder = readHolder(found);
    if (holder && isRunning(holder)) throw new DataDirInUse(dataDir, holder);
    takeOver(dataDir, file, found);
  }
  throw new Error(`could not lock ${shown(dataDir)}: its lock file ${file} keeps changing`);
}

function own(file: string, text: string): DataDirLock {
  held.add(file);
  // process.exit() and an uncaught error still run 'exit' listeners; a signal's default action or
  // kill -9 does not, and that lock is then taken over as stale by the next process.
  const onExit = () => release();
  process.on('exit', onExit);
  function release() {
    if (!held.delete(file)) return;
    process.off('exit', onExit);
    try {
      if (readFileSync(file, 'utf8') === text) unlinkSync(file);
    } catch {
      // Gone already: nothing to release.
    }
  }
  return { release };
}

/**
 * Removes a stale lock: moved aside in one step, then checked to be the one judged stale. Had
 * another process taken the lock in between, what was moved is its live lock: put back, and refused.
 */
function takeOver(dataDir: string, file: string, stale: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readLock(aside);
  if (moved === stale || moved === null) {
    unlinkSync(aside);
    return;
  }
  try {
    // rename over a file that appeared meanwhile would drop that one; writing with wx does not.
    writeFileSync(file, moved, { flag: 'wx' });
  } catch {
    // Someone else holds it now; either way the data directory is in use.
  }
  unlinkSync(aside);
  throw new DataDirInUse(dataDir, readHolder(moved) ?? self());
}

function readLock(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The lock's text once it is whole: an owner creates the file and writes it in one call, but not atomically. */
async function readSettled(file: string): Promise<string | null> {
  let text = readLock(file);
  for (let i = 0; i < 10 && text !== null && !readHolder(text); i++) {
    await new Promise((r) => setTimeout(r, 20));
    text = readLock(file);
  }
  return text;
}

function readHolder(text: string): LockHolder | null {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isSafeInteger(h.pid) || typeof h.command !== 'string') return null;
    return { pid: h.pid!, command: h.command, since: String(h.since ?? '?'), host: String(h.host ?? '?'), startTicks: h.startTicks };
  } catch {
    return null;
  }
}

function isRunning(h: LockHolder): boolean {
  // This pid is this process, which does not hold the lock (that was checked first): an earlier
  // process that had the same pid left it (a container's pid 1 after a restart).
  if (h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    // EPERM: it runs, as another user.
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const ticks = startTicksOf(h.pid);
  return !(h.startTicks && ticks && ticks !== h.startTicks);
}

function self(): LockHolder {
  return { pid: process.pid, command: commandOf(), since: new Date().toISOString(), host: hostname(), startTicks: startTicksOf(process.pid) };
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised name, which may hold spaces). */
function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** `npm start` / `npm run seed` when npm started this script, else the node command line. */
function commandOf(): string {
  const script = process.argv[1] ? shown(process.argv[1]) : '';
  const event = process.env.npm_lifecycle_event;
  // npm's variables are inherited by whatever the script starts: only this script is "npm run X".
  if (event && script && process.env.npm_lifecycle_script?.includes(script)) {
    return event === 'start' || event === 'test' ? `npm ${event}` : `npm run ${event}`;
  }
  return ['node', script, ...process.argv.slice(2)].filter(Boolean).join(' ');
}

function shown(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
