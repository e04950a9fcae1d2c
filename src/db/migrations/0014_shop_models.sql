-- Each shop its own chat model: an OpenAI-compatible endpoint an admin sets at run time. Without a
-- row (or with base_url NULL, after going back to the default) the service's own model answers.
-- The key is stored encrypted (src/auth/secretBox.ts: AES-256-GCM, key derived from AUTH_SECRET), so
-- a copy of the database alone does not give it away. version grows with every change, including
-- the return to the default, so an editor's stale version is refused (409) and the per-shop model
-- caches of every replica notice the change on the next turn.
CREATE TABLE shop_models (
  shop_id text PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
  base_url text,
  model text,
  api_key_enc text,
  embedding_model text,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((base_url IS NULL) = (model IS NULL) AND (base_url IS NULL) = (api_key_enc IS NULL))
);

-- Which model wrote each AI reply, for the staff console: 'offline' (our own model, also when a
-- configured model failed and the offline one answered), 'service' (the environment's model) or
-- 'shop' (the shop's own), with the model's name.
ALTER TABLE messages ADD COLUMN model_source text CHECK (model_source IN ('offline', 'service', 'shop'));
ALTER TABLE messages ADD COLUMN model text;
