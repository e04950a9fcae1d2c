import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any fixed number: every process that migrates takes this advisory lock first, so two processes
// starting at once apply each migration exactly once (the second waits, then finds nothing to do).
const MIGRATION_LOCK = 72_410_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  /** Of the statements only: a migration's comments may be corrected after it was applied. */
  checksum: string;
  /** Of the whole file, as earlier versions of this module recorded it; accepted once, then replaced. */
  legacyChecksum?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The statements of a migration without its comments and blank lines: what the checksum covers. A
 * `--` inside a quoted string or a dollar-quoted body is not a comment; our migrations keep comments
 * on lines of their own or at the end of a line outside quotes.
 */
export function statementsOf(sql: string): string {
  const out: string[] = [];
  let inDollar = false;
  for (const line of sql.split('\n')) {
    let code = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      if (line.startsWith('$$', i)) {
        inDollar = !inDollar;
        code += '$$';
        i++;
        continue;
      }
      const ch = line[i]!;
      if (!inDollar && ch === "'") quoted = !quoted;
      if (!inDollar && !quoted && line.startsWith('--', i)) break;
      code += ch;
    }
    const trimmed = code.trimEnd();
    if (trimmed.trim()) out.push(trimmed);
  }
  return out.join('\n');
}

/** A migration file (`0001_init.sql`) with its text. */
export function toMigration(file: string, sql: string): Migration {
  return {
    version: file.slice(0, 4),
    name: file.replace(/\.sql$/, ''),
    sql,
    checksum: sha256(statementsOf(sql)),
    legacyChecksum: sha256(sql),
  };
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((file) => toMigration(file, readFileSync(dir + file, 'utf8')));
}

/** Applies the pending migrations in one transaction; returns the names applied. */
export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: string; checksum: string; name: string }>(
      'SELECT version, checksum, name FROM schema_migrations',
    );
    const applied = new Map(rows.map((r) => [r.version, r]));
    const done: string[] = [];
    for (const m of migrations) {
      const prior = applied.get(m.version);
      if (prior) {
        if (prior.checksum === m.checksum) continue;
        // Recorded over the whole file, and the file unchanged since: record it the current way.
        if (m.legacyChecksum !== undefined && prior.checksum === m.legacyChecksum) {
          await tx.query('UPDATE schema_migrations SET checksum = $2 WHERE version = $1', [m.version, m.checksum]);
          continue;
        }
        throw new Error(`migration ${m.name} was changed after it was applied; add a new migration instead`);
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      done.push(m.name);
    }
    return done;
  });
}

/** True when every migration file is recorded as applied (readiness). */
export async function migrationsApplied(db: Db, migrations = listMigrations()): Promise<boolean> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
  const have = new Set(rows.map((r) => r.version));
  return migrations.every((m) => have.has(m.version));
}
