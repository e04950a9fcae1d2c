import { fileURLToPath } from 'node:url';

export const SNAPSHOT_DIR = fileURLToPath(new URL('../../node_modules/.cache/laotie-tests/', import.meta.url));
export const SNAPSHOT_FILE = SNAPSHOT_DIR + 'pglite-migrated.tar';
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
export const DEMO_SNAPSHOT_FILE = SNAPSHOT_DIR + 'pglite-demo.tar';
