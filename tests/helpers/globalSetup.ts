// Runs once per `vitest run`: builds a migrated PGlite and a seeded demo PGlite and snapshots both,
// so each test file starts from a snapshot (≈ 0.4 s) instead of initdb + migrations + seed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { seedDemo } from './demo.ts';
import { DEMO_SNAPSHOT_FILE, SNAPSHOT_DIR, SNAPSHOT_FILE } from './paths.ts';

async function snapshot(file: string, prepare: (db: Awaited<ReturnType<typeof openPglite>>) => Promise<void>) {
  const db = await openPglite();
  await migrate(db);
  await prepare(db);
  const dump = await db.pglite.dumpDataDir('none');
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  await db.close();
}

export default async function setup() {
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  await snapshot(SNAPSHOT_FILE, async () => {});
  await snapshot(DEMO_SNAPSHOT_FILE, seedDemo);
}
