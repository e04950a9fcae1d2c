// A shop's own chat model (an OpenAI-compatible endpoint its admin sets at run time). The API key is
// stored sealed (src/auth/secretBox.ts) and leaves this module only opened, for the model call; the
// view an admin reads says whether one is set, never what it is.
import type { SecretBox } from '../../auth/secretBox.ts';
import type { Queryable } from '../../db/db.ts';
import { Conflict, Invalid } from '../../errors.ts';
import type { DestinationGuard } from '../../net/destinationGuard.ts';

export interface ShopModelSetting {
  baseURL: string;
  model: string;
  /** null when the stored key cannot be opened: sealed under another AUTH_SECRET. It must be entered again. */
  apiKey: string | null;
  embeddingModel: string | null;
}

/** A setting whose key could be opened: one a model can be called with. */
export type UsableShopModel = ShopModelSetting & { apiKey: string };

export function usable(s: ShopModelSetting | null): s is UsableShopModel {
  return !!s && s.apiKey !== null;
}

function openKey(keys: SecretBox, sealed: string, shopId: string): string | null {
  try {
    return keys.open(sealed, shopId);
  } catch {
    return null;
  }
}

/** The stored state: the setting (null: the service's model applies) and its version (0: never set). */
export interface StoredShopModel {
  setting: ShopModelSetting | null;
  version: number;
}

export interface ShopModelUpdate {
  baseURL: string;
  model: string;
  /** Required with a new base URL; otherwise absent keeps the stored key. */
  apiKey?: string;
  embeddingModel?: string;
  /** The version the editor started from: a stale one is refused (409) instead of overwriting. */
  expectedVersion: number;
}

interface Row {
  base_url: string | null;
  model: string | null;
  api_key_enc: string | null;
  embedding_model: string | null;
  version: number;
}

export async function loadShopModel(db: Queryable, keys: SecretBox, shopId: string): Promise<StoredShopModel> {
  const { rows } = await db.query<Row>('SELECT base_url, model, api_key_enc, embedding_model, version FROM shop_models WHERE shop_id = $1', [shopId]);
  const r = rows[0];
  if (!r) return { setting: null, version: 0 };
  if (!r.base_url || !r.model || !r.api_key_enc) return { setting: null, version: r.version };
  return {
    setting: { baseURL: r.base_url, model: r.model, apiKey: openKey(keys, r.api_key_enc, shopId), embeddingModel: r.embedding_model },
    version: r.version,
  };
}

/** The version alone: what a turn reads to know whether its cached model is still the shop's. */
export async function shopModelVersion(db: Queryable, shopId: string): Promise<number> {
  const { rows } = await db.query<{ version: number }>('SELECT version FROM shop_models WHERE shop_id = $1', [shopId]);
  return rows[0]?.version ?? 0;
}

function stale(current: number): Conflict {
  return new Conflict(`the model setting changed meanwhile (version ${current}); reload and retry`, { version: current });
}

/** The base URL as the destination guard sees it: an admin of one shop must not reach the service's own network. */
export function checkBaseURL(guard: Pick<DestinationGuard, 'check'>, baseURL: string): void {
  const verdict = guard.check(baseURL);
  if (verdict.ok) return;
  const message = `refused destination: ${verdict.reason} (a model inside the network must be allowed by the operator in WEBHOOK_ALLOW_HOSTS)`;
  throw new Invalid(`baseURL: ${message}`, { fields: [{ path: 'baseURL', message }] });
}

export async function saveShopModel(
  db: Queryable,
  keys: SecretBox,
  shopId: string,
  u: ShopModelUpdate,
  now: Date,
  guard: Pick<DestinationGuard, 'check'>,
): Promise<StoredShopModel> {
  checkBaseURL(guard, u.baseURL);
  const current = await loadShopModel(db, keys, shopId);
  if (u.expectedVersion !== current.version) throw stale(current.version);
  // The stored key goes only where it went before: a new address gets a key given with it.
  const apiKey = u.apiKey ?? (current.setting?.baseURL === u.baseURL ? current.setting.apiKey : undefined);
  if (!apiKey) throw new Invalid('apiKey is required with a new baseURL', { fields: [{ path: 'apiKey', message: 'required with a new baseURL' }] });
  const { rows } = await db.query<{ version: number }>(
    `INSERT INTO shop_models (shop_id, base_url, model, api_key_enc, embedding_model, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, 1, $6)
     ON CONFLICT (shop_id) DO UPDATE SET base_url = excluded.base_url, model = excluded.model, api_key_enc = excluded.api_key_enc,
       embedding_model = excluded.embedding_model, version = shop_models.version + 1, updated_at = excluded.updated_at
     WHERE shop_models.version = $7
     RETURNING version`,
    [shopId, u.baseURL, u.model, keys.seal(apiKey, shopId), u.embeddingModel ?? null, now, current.version],
  );
  if (!rows[0]) throw stale(current.version + 1);
  return { setting: { baseURL: u.baseURL, model: u.model, apiKey, embeddingModel: u.embeddingModel ?? null }, version: rows[0].version };
}

/** Back to the service's model; the row stays, with its version moved on, so stale editors are still told. */
export async function clearShopModel(db: Queryable, shopId: string, expectedVersion: number, now: Date): Promise<StoredShopModel> {
  const current = await shopModelVersion(db, shopId);
  if (expectedVersion !== current) throw stale(current);
  if (current === 0) return { setting: null, version: 0 };
  const { rows } = await db.query<{ version: number }>(
    `UPDATE shop_models SET base_url = NULL, model = NULL, api_key_enc = NULL, embedding_model = NULL,
       version = version + 1, updated_at = $3
     WHERE shop_id = $1 AND version = $2 RETURNING version`,
    [shopId, expectedVersion, now],
  );
  if (!rows[0]) throw stale(current + 1);
  return { setting: null, version: rows[0].version };
}
