// Both drivers surface PostgreSQL's SQLSTATE on the thrown error (PGlite's DatabaseError and pg's
// alike), so a race that a unique index settles can be told apart from a real failure.
const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
}
