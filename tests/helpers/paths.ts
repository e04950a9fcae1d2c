import { fileURLToPath } from 'node:url';

// In the checkout, not in node_modules: checkouts that share one node_modules (worktrees) would
// otherwise start their tests from each other's snapshots, seeded by other code.
export const SNAPSHOT_DIR = fileURLToPath(new URL('../../.cache/laotie-tests/', import.meta.url));
export const SNAPSHOT_FILE = SNAPSHOT_DIR + 'pglite-migrated.tar';
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
export const DEMO_SNAPSHOT_FILE = SNAPSHOT_DIR + 'pglite-demo.tar';
