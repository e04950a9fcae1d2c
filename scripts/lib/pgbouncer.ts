// A real PgBouncer (Debian's package) in transaction pooling in front of a PostgreSQL server, for the
// pooler tests and scripts/cluster-check.ts. Every database name is passed through to the server of
// the same name (the `*` entry), logging in as the server URL's user, so a client needs no password.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';
export const hasPgBouncer = () => existsSync(PGBOUNCER_BIN);

export interface PgBouncer {
  port: number;
  /** The process id (PgBouncer drops to the postgres user in place: the same process). */
  pid: number;
  /** The URL of `database` through the pooler. */
  url(database: string): string;
  /** SHOW of the admin console (`pools`, `stats`, …), through the pooler's own `pgbouncer` database. */
  show(what: string): Promise<Record<string, unknown>[]>;
  /** A command of the admin console (`RECONNECT db`: server connections are made anew once released). */
  admin(command: string): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

export interface PgBouncerOptions {
  /** Server connections per database and user: few, so that clients share them. */
  poolSize?: number;
  maxClients?: number;
}

export async function startPgBouncer(serverUrl: string, { poolSize = 4, maxClients = 2000 }: PgBouncerOptions = {}): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const dir = mkdtempSync(join(tmpdir(), 'laotie-pgbouncer-'));
  // Run as root, PgBouncer drops to the postgres user (it refuses to run as root), which must read this.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const user = decodeURIComponent(server.username || 'postgres');
  const conf = join(dir, 'pgbouncer.ini');
  writeFileSync(
    conf,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432} user=${user} password=${decodeURIComponent(server.password)}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      `max_client_conn = ${maxClients}`,
      `admin_users = ${user}`,
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const root = process.getuid?.() === 0;
  const child: ChildProcess = spawn(PGBOUNCER_BIN, [...(root ? ['-u', 'postgres'] : []), conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  child.stderr!.on('data', (b: Buffer) => {
    log.push(b.toString('utf8'));
    if (log.length > 50) log.shift();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (database: string) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  const admin = async (command: string) => {
    const c = new pg.Client({ connectionString: url('pgbouncer') });
    await c.connect();
    try {
      // The admin console speaks the simple protocol only: no parameters.
      return (await c.query(command)).rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  };
  const show = (what: string) => admin(`SHOW ${what}`);

  const stop = async () => {
    child.kill('SIGINT');
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(force);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await show('version');
      break;
    } catch (e) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`PgBouncer did not start: ${(e as Error).message}\n${log.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, pid: child.pid!, url, show, admin: async (command) => void (await admin(command)), stop };
}

/** A new database on the server of `serverUrl`, with pgvector; `drop` removes it (connections too). */
export async function createDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  await runSql(serverUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await runSql(u.toString(), 'CREATE EXTENSION IF NOT EXISTS vector');
  return { url: u.toString(), drop: () => runSql(serverUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`) };
}

/** Runs SQL on `url` (DDL of the recipe: ALTER DATABASE … SET). */
export async function runSql(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

