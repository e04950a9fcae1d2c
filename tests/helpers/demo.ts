// The seeded demo shop, at a fixed "now", for tests that need realistic data (the agent, the APIs).
// PGlite starts from a snapshot made once per run by globalSetup; PostgreSQL seeds its own schema.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { prepareDemoShop } from '../../src/demo/prepare.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { drivers, pgDriver } from './db.ts';
import { DEMO_SNAPSHOT_FILE } from './paths.ts';

/** 2026-09-17 10:00 in Shanghai: the demo data is generated relative to this moment. */
export const DEMO_NOW = new Date('2026-09-17T02:00:00Z');

export async function seedDemo(db: Db): Promise<void> {
  await prepareDemoShop(db, createLocalEmbedder(), DEMO_NOW);
}

async function openDemo(driver: 'pglite' | 'pg'): Promise<{ db: Db; dispose(): Promise<void> }> {
  if (driver === 'pglite') {
    const db = await openPglite({ loadDataDir: new Blob([readFileSync(DEMO_SNAPSHOT_FILE)]) });
    await migrate(db);
    return { db, dispose: () => db.close() };
  }
  const opened = await pgDriver.open();
  await seedDemo(opened.db);
  return opened;
}

/** Like describeDb, on a database holding the seeded demo shop. */
export function describeDemo(title: string, body: (db: () => Db, driver: 'pglite' | 'pg') => void): void {
  for (const driver of drivers) {
    describe(`${title} [${driver.name}]`, () => {
      let opened: Awaited<ReturnType<typeof openDemo>> | undefined;
      beforeAll(async () => {
        opened = await openDemo(driver.name);
      });
      afterAll(async () => {
        await opened?.dispose();
      });
      body(() => {
        if (!opened) throw new Error('database not open yet');
        return opened.db;
      }, driver.name);
    });
  }
}
