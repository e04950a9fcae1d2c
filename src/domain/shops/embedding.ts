// A shop's own embedding model: the embedder its search uses now, and a switch to another one, which
// re-embeds the shop's catalog and knowledge beside the vectors search still reads and then flips to
// the new ones in one transaction (src/jobs/reembed.ts runs it). Keys are sealed as shop_models' are
// (src/auth/secretBox.ts) and leave this module only opened, for the embedding calls.
import type { SecretBox } from '../../auth/secretBox.ts';
import type { Db, Queryable } from '../../db/db.ts';

export interface EmbeddingEndpoint {
  model: string;
  baseURL: string;
  /** null when the stored key cannot be opened (sealed under another AUTH_SECRET). */
  apiKey: string | null;
}

export type EmbeddingState = 'reembedding' | 'ready' | 'failed';

export interface ShopEmbedding {
  /** What search uses: null is the environment's embedder. */
  active: (EmbeddingEndpoint & { dim: number | null }) | null;
  /** Grows with every flip and every change of the active endpoint's address or key. */
  generation: number;
  /** The switch under way or failed (target null: back to the environment's embedder). */
  switching: { target: EmbeddingEndpoint | null; job: number } | null;
  state: EmbeddingState;
  done: number;
  total: number;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

interface Row {
  shop_id: string;
  model: string | null;
  base_url: string | null;
  api_key_enc: string | null;
  dim: number | null;
  generation: number;
  has_target: boolean;
  job: number;
  target_model: string | null;
  target_base_url: string | null;
  target_api_key_enc: string | null;
  state: EmbeddingState;
  done: number;
  total: number;
  attempts: number;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
}

const COLUMNS = `shop_id, model, base_url, api_key_enc, dim, generation, has_target, job, target_model, target_base_url,
  target_api_key_enc, state, done, total, attempts, started_at, finished_at, error`;

function openKey(keys: SecretBox, sealed: string, shopId: string): string | null {
  try {
    return keys.open(sealed, shopId);
  } catch {
    return null;
  }
}

const NONE: ShopEmbedding = {
  active: null,
  generation: 0,
  switching: null,
  state: 'ready',
  done: 0,
  total: 0,
  attempts: 0,
  startedAt: null,
  finishedAt: null,
  error: null,
};

function toShopEmbedding(keys: SecretBox, r: Row | undefined): ShopEmbedding {
  if (!r) return NONE;
  const endpoint = (model: string | null, baseURL: string | null, sealed: string | null): EmbeddingEndpoint | null =>
    model && baseURL && sealed ? { model, baseURL, apiKey: openKey(keys, sealed, r.shop_id) } : null;
  const active = endpoint(r.model, r.base_url, r.api_key_enc);
  return {
    active: active && { ...active, dim: r.dim },
    generation: r.generation,
    switching: r.has_target ? { target: endpoint(r.target_model, r.target_base_url, r.target_api_key_enc), job: r.job } : null,
    state: r.state,
    done: r.done,
    total: r.total,
    attempts: r.attempts,
    startedAt: r.started_at && new Date(r.started_at),
    finishedAt: r.finished_at && new Date(r.finished_at),
    error: r.error,
  };
}

export async function loadShopEmbedding(db: Queryable, keys: SecretBox, shopId: string): Promise<ShopEmbedding> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM shop_embedders WHERE shop_id = $1`, [shopId]);
  return toShopEmbedding(keys, rows[0]);
}

/**
 * The shop's model version and embedder generation, in one statement: what a turn reads to know
 * whether its cached model and embedder are still the shop's (0 and 0: never set).
 */
export async function shopModelStamp(db: Queryable, shopId: string): Promise<{ version: number; generation: number }> {
  const { rows } = await db.query<{ version: number | null; generation: number | null }>(
    `SELECT (SELECT version FROM shop_models WHERE shop_id = $1) AS version,
            (SELECT generation FROM shop_embedders WHERE shop_id = $1) AS generation`,
    [shopId],
  );
  return { version: rows[0]?.version ?? 0, generation: rows[0]?.generation ?? 0 };
}

/**
 * Asks for the shop's search to use `target` (null: the environment's embedder). The active model
 * again cancels a switch under way (a new address or key for it applies at once); the switch already
 * under way to the same place goes on (with the key given); anything else starts a new switch, which
 * a runner picks up. Runs in the caller's transaction, beside the setting it belongs to.
 */
export async function requestEmbeddingSwitch(
  tx: Queryable,
  keys: SecretBox,
  shopId: string,
  target: { model: string; baseURL: string; apiKey: string } | null,
  now: Date,
): Promise<void> {
  const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM shop_embedders WHERE shop_id = $1 FOR UPDATE`, [shopId]);
  const cur = rows[0];
  const sealed = target ? keys.seal(target.apiKey, shopId) : null;
  if ((target?.model ?? null) === (cur?.model ?? null)) {
    if (!cur) return;
    await tx.query(
      `UPDATE shop_embedders
          SET base_url = coalesce($2, base_url), api_key_enc = coalesce($3, api_key_enc),
              generation = generation + CASE WHEN $2::text IS NULL THEN 0 ELSE 1 END,
              has_target = false, target_model = NULL, target_base_url = NULL, target_api_key_enc = NULL,
              state = 'ready', error = NULL, lease_owner = NULL, lease_until = NULL
        WHERE shop_id = $1`,
      [shopId, target?.baseURL ?? null, sealed],
    );
    return;
  }
  const sameSwitch =
    cur?.has_target && cur.state === 'reembedding' && cur.target_model === (target?.model ?? null) && cur.target_base_url === (target?.baseURL ?? null);
  if (sameSwitch) {
    if (sealed) await tx.query('UPDATE shop_embedders SET target_api_key_enc = $2 WHERE shop_id = $1', [shopId, sealed]);
    return;
  }
  await tx.query(
    `INSERT INTO shop_embedders (shop_id, has_target, job, target_model, target_base_url, target_api_key_enc, state, started_at)
     VALUES ($1, true, 1, $2, $3, $4, 'reembedding', $5)
     ON CONFLICT (shop_id) DO UPDATE
        SET has_target = true, job = shop_embedders.job + 1, target_model = excluded.target_model,
            target_base_url = excluded.target_base_url, target_api_key_enc = excluded.target_api_key_enc,
            state = 'reembedding', done = 0, total = 0, attempts = 0, started_at = excluded.started_at,
            finished_at = NULL, error = NULL, lease_owner = NULL, lease_until = NULL`,
    [shopId, target?.model ?? null, target?.baseURL ?? null, sealed, now],
  );
}

/** A switch a runner holds: the shop, which switch, and where to. */
export interface ClaimedSwitch {
  shopId: string;
  job: number;
  target: EmbeddingEndpoint | null;
}

/**
 * Takes the oldest switch nobody holds (or whose holder stopped renewing) for `leaseMs`. Two runners
 * asking at once get different switches or none: the row is locked and re-checked by the update.
 */
export async function claimSwitch(db: Queryable, keys: SecretBox, owner: string, leaseMs: number): Promise<ClaimedSwitch | null> {
  // A lease is over at its end (<=): an attempt that failed with no wait must be claimable at once, and
  // PGlite's clock can give the failure and the next claim the same timestamp.
  const { rows } = await db.query<Row>(
    `UPDATE shop_embedders SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::float8 / 1000)
      WHERE shop_id = (SELECT shop_id FROM shop_embedders
                        WHERE state = 'reembedding' AND (lease_until IS NULL OR lease_until <= now())
                        ORDER BY started_at, shop_id LIMIT 1 FOR UPDATE SKIP LOCKED)
        AND state = 'reembedding' AND (lease_until IS NULL OR lease_until <= now())
      RETURNING ${COLUMNS}`,
    [owner, leaseMs],
  );
  const r = rows[0];
  if (!r) return null;
  return { shopId: r.shop_id, job: r.job, target: toShopEmbedding(keys, r).switching!.target };
}

/** Progress, and the lease renewed; false when the runner no longer holds this switch (replaced, cancelled, taken over). */
export async function reportProgress(db: Queryable, s: ClaimedSwitch, owner: string, leaseMs: number, done: number, total: number): Promise<boolean> {
  const r = await db.query(
    `UPDATE shop_embedders SET done = $4, total = $5, lease_until = now() + make_interval(secs => $6::float8 / 1000)
      WHERE shop_id = $1 AND job = $2 AND lease_owner = $3 AND state = 'reembedding'`,
    [s.shopId, s.job, owner, done, total, leaseMs],
  );
  return r.rowCount > 0;
}

/**
 * A failed attempt: tried again after `retryMs` from where it stopped, or, after `maxAttempts`,
 * failed with `error` (search stays on the old vectors).
 */
export async function recordFailure(
  db: Queryable,
  s: ClaimedSwitch,
  owner: string,
  error: string,
  o: { retryMs: number; maxAttempts: number; now: Date },
): Promise<'retry' | 'failed'> {
  const { rows } = await db.query<{ state: EmbeddingState }>(
    `UPDATE shop_embedders
        SET attempts = attempts + 1, error = $4, lease_owner = NULL,
            lease_until = now() + make_interval(secs => $5::float8 / 1000),
            state = CASE WHEN attempts + 1 >= $6 THEN 'failed' ELSE 'reembedding' END,
            finished_at = CASE WHEN attempts + 1 >= $6 THEN $7::timestamptz END
      WHERE shop_id = $1 AND job = $2 AND lease_owner = $3 AND state = 'reembedding'
      RETURNING state`,
    [s.shopId, s.job, owner, error, o.retryMs, o.maxAttempts, o.now],
  );
  return rows[0]?.state === 'failed' ? 'failed' : 'retry';
}

/** What the target embedder still lacks: products without its vector, knowledge chunks without its twin. */
export async function missingVectors(db: Queryable, shopId: string, embedderId: string): Promise<{ products: number; chunks: number; total: number }> {
  const { rows } = await db.query<{ products: number; chunks: number; total: number }>(
    `SELECT (SELECT count(*) FROM products p WHERE p.shop_id = $1 AND NOT EXISTS (
               SELECT 1 FROM product_embeddings e WHERE e.product_id = p.id AND e.embedder = $2))::int AS products,
            (SELECT count(DISTINCT (c.doc_key, c.ordinal)) FROM knowledge_chunks c
              WHERE c.shop_id = $1 AND c.embedder <> $2 AND NOT EXISTS (
               SELECT 1 FROM knowledge_chunks t WHERE t.shop_id = c.shop_id AND t.doc_key = c.doc_key
                  AND t.ordinal = c.ordinal AND t.embedder = $2))::int AS chunks,
            ((SELECT count(*) FROM products WHERE shop_id = $1)
              + (SELECT count(DISTINCT (doc_key, ordinal)) FROM knowledge_chunks WHERE shop_id = $1))::int AS total`,
    [shopId, embedderId],
  );
  return rows[0]!;
}

/**
 * Search moves to the new vectors at once: in one transaction, when nothing is missing any more,
 * the target becomes the active embedder (one row) and the generation moves on. False when something
 * arrived meanwhile (a product, a document: embedded on the next pass) or the switch is no longer
 * this runner's. The other embedders' vectors are dropped afterwards (dropOtherVectors).
 */
export async function completeSwitch(db: Db, s: ClaimedSwitch, owner: string, target: { id: string; dim: number }, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ job: number }>(
      `SELECT job FROM shop_embedders WHERE shop_id = $1 AND job = $2 AND lease_owner = $3 AND state = 'reembedding' FOR UPDATE`,
      [s.shopId, s.job, owner],
    );
    if (!rows[0]) return false;
    const missing = await missingVectors(tx, s.shopId, target.id);
    if (missing.products + missing.chunks > 0) return false;
    await tx.query(
      `UPDATE shop_embedders
          SET model = target_model, base_url = target_base_url, api_key_enc = target_api_key_enc, dim = $2,
              generation = generation + 1, has_target = false, target_model = NULL, target_base_url = NULL,
              target_api_key_enc = NULL, state = 'ready', done = $3, total = $3, finished_at = $4, error = NULL,
              lease_owner = NULL, lease_until = NULL
        WHERE shop_id = $1`,
      [s.shopId, target.dim, missing.total, now],
    );
    return true;
  });
}

/** After a flip: the vectors no search reads any more. */
export async function dropOtherVectors(db: Queryable, shopId: string, keep: { id: string; dim: number }): Promise<void> {
  await db.query('DELETE FROM product_embeddings WHERE shop_id = $1 AND NOT (embedder = $2 AND dim = $3)', [shopId, keep.id, keep.dim]);
  await db.query('DELETE FROM knowledge_chunks WHERE shop_id = $1 AND NOT (embedder = $2 AND dim = $3)', [shopId, keep.id, keep.dim]);
}
