// kill -9 under load on the file-backed embedded database (PGlite in a temporary DATA_DIR).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { openPglite } from '../../src/db/pglite.ts';
import { DEMO_SNAPSHOT_FILE } from '../helpers/paths.ts';
import { itSurvivesKill9UnderLoad } from './crash.ts';

describe('kill -9 of the service under load [pglite, file-backed]', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'laotie-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  itSurvivesKill9UnderLoad(
    'keeps every acknowledged message, event and ledger entry, and a replay of all events duplicates nothing',
    async () => {
      // The seeded demo shop from the run's snapshot, unpacked where the service keeps its database.
      const pgdata = join(dataDir, 'pglite');
      mkdirSync(pgdata, { recursive: true });
      execFileSync('tar', ['-xf', DEMO_SNAPSHOT_FILE, '-C', pgdata], { stdio: ['ignore', 'ignore', 'pipe'] });
      return { env: { DATA_DIR: dataDir }, openDb: () => openPglite({ dataDir: pgdata }) };
    },
    180_000,
  );
});
