// Integration keys: how the mall's back end authenticates to POST /v1/events without a user token
// (header X-Integration-Key). A key belongs to one shop; only its SHA-256 is stored, so a leaked
// database does not leak usable keys. Create one with POST /v1/admin/integration-keys (admin) or
// createIntegrationKey(db, shopId, label); the key is shown once.
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';

const PREFIX = 'ltk_';

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface CreatedKey {
  id: number;
  /** The secret itself: returned here once, never stored. */
  key: string;
  label: string;
}

export async function createIntegrationKey(db: Queryable, shopId: string, label = ''): Promise<CreatedKey> {
  const key = PREFIX + randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO shop_integration_keys (shop_id, key_hash, label) VALUES ($1, $2, $3) RETURNING id',
    [shopId, hashKey(key), label],
  );
  return { id: rows[0]!.id, key, label };
}

/** The shop a key belongs to; null for an unknown or revoked key. */
export async function shopOfIntegrationKey(db: Queryable, key: string): Promise<string | null> {
  if (!key.startsWith(PREFIX) || key.length > 200) return null;
  // The lookup is by hash of a 256-bit random key: timing tells nothing useful about other keys.
  const { rows } = await db.query<{ shop_id: string }>(
    'SELECT shop_id FROM shop_integration_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [hashKey(key)],
  );
  return rows[0]?.shop_id ?? null;
}

export async function revokeIntegrationKey(db: Queryable, shopId: string, id: number, now: Date): Promise<void> {
  const { rowCount } = await db.query(
    'UPDATE shop_integration_keys SET revoked_at = coalesce(revoked_at, $3) WHERE shop_id = $1 AND id = $2',
    [shopId, id, now],
  );
  if (rowCount === 0) throw new NotFound('integration key');
}
