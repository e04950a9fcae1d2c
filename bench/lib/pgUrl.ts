// The PostgreSQL server the benchmarks measure: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the
// local test server scripts/install-postgres.sh sets up. Each benchmark works in a schema of its own.
export const BENCH_PG_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/laotie_test';

/** The URL without its password, for log lines. */
export const shownUrl = (url: string) => url.replace(/:[^:@/]+@/, ':***@');
