// kill -9 under load on the real server: the service on a database of its own on the local PostgreSQL.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { openPg } from '../../src/db/pg.ts';
import { seedDemo } from '../helpers/demo.ts';
import { itSurvivesKill9UnderLoad } from './crash.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('kill -9 of the service under load [pg]', () => {
  const name = `laotie_crash_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const dbUrl = () => {
    const u = new URL(url!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  itSurvivesKill9UnderLoad(
    'keeps every acknowledged message, event and ledger entry, and a replay of all events duplicates nothing',
    async () => {
      // A fresh database (not a schema: the service has no schema setting), seeded like the test snapshots.
      await admin(`CREATE DATABASE ${name}`);
      const db = await openPg(dbUrl());
      await migrate(db);
      await seedDemo(db);
      await db.close();
      return { env: { DATABASE_URL: dbUrl() }, openDb: () => openPg(dbUrl()) };
    },
    180_000,
  );
});
