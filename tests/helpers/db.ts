// Every database test runs on both drivers: the embedded PGlite always, and the real PostgreSQL
// server when TEST_DATABASE_URL is set (CI sets it). Each test file gets a fresh, migrated database:
// PGlite from the migrated snapshot, PostgreSQL in a schema of its own that is dropped afterwards.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPg } from '../../src/db/pg.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { SNAPSHOT_FILE } from './paths.ts';

export interface TestDriver {
  name: 'pglite' | 'pg';
  open(): Promise<{ db: Db; dispose(): Promise<void> }>;
}

const url = process.env.TEST_DATABASE_URL;

export const pgliteDriver: TestDriver = {
  name: 'pglite',
  async open() {
    const snapshot = new Blob([readFileSync(SNAPSHOT_FILE)]);
    const db = await openPglite({ loadDataDir: snapshot });
    await migrate(db);
    return { db, dispose: () => db.close() };
  },
};

export const pgDriver: TestDriver = {
  name: 'pg',
  async open() {
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `t_${randomBytes(6).toString('hex')}`;
    // The test server is thrown away: commits need not wait for the disk (the kill -9 tests kill the
    // service, never the server, so they lose nothing by it).
    const db = await openPg(url, { schema, poolSize: 20, settings: { synchronous_commit: 'off' } });
    await migrate(db);
    return {
      db,
      async dispose() {
        await db.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  },
};

export const drivers: TestDriver[] = url ? [pgliteDriver, pgDriver] : [pgliteDriver];

/**
 * Declares a suite once per driver. The body receives a getter for that driver's database, ready
 * in the tests (after beforeAll). Tests within a suite share the database: seed what they need.
 */
export function describeDb(title: string, body: (db: () => Db, driver: TestDriver['name']) => void): void {
  for (const driver of drivers) {
    describe(`${title} [${driver.name}]`, () => {
      let opened: Awaited<ReturnType<TestDriver['open']>> | undefined;
      beforeAll(async () => {
        opened = await driver.open();
      });
      afterAll(async () => {
        await opened?.dispose();
      });
      body(() => {
        if (!opened) throw new Error('database not open yet: use it inside a test or hook');
        return opened.db;
      }, driver.name);
    });
  }
}
