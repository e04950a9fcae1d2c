// The model a turn is answered by, chosen by the token's shop: the shop's own OpenAI-compatible
// model when its admin set one, else the service's (environment) model, else the offline model; and
// the embedder its search uses: the shop's own embedding model once a switch to it completed
// (src/jobs/reembed.ts), else the service's. Built providers are cached per shop, model version and
// embedder generation; each turn reads both numbers (one small query), so a change made through any
// replica, and a switch's flip, apply from the next turn on.
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { SecretBox } from '../auth/secretBox.ts';
import type { Queryable } from '../db/db.ts';
import { loadShopEmbedding, shopModelStamp, type EmbeddingEndpoint } from '../domain/shops/embedding.ts';
import { loadShopModel, usable, type UsableShopModel } from '../domain/shops/model.ts';
import type { Embedder } from '../embed/embedder.ts';
import { createOpenAIEmbedder } from '../embed/openai.ts';
import type { Logger } from '../log.ts';
import type { DestinationGuard } from '../net/destinationGuard.ts';
import { serviceTurnModel, withFallback, type Models, type TurnModel } from './models.ts';

export interface ShopModels {
  /** The shop's model, with the embedder its search uses. */
  forShop(shopId: string): Promise<TurnModel & { embedder: Embedder }>;
  /** The embedder the shop's search uses (an import of its knowledge, its catalog's index). */
  embedderFor(shopId: string): Promise<Embedder>;
}

export interface ShopModelsOptions {
  db: Queryable;
  /** The service's embedder: a shop's search uses it until a switch to its own model completes. */
  embedder: Embedder;
  keys: SecretBox;
  models: Models;
  /** Every call goes through it, so the base URL is checked again when the model is called. */
  guard: Pick<DestinationGuard, 'fetch'>;
  timeoutMs: number;
  log: Logger;
}

/** The shop's chat model over the guard's fetch, without the SDK's retries (withFallback retries once). */
export function shopChatModel(setting: Pick<UsableShopModel, 'baseURL' | 'model' | 'apiKey'>, guard: Pick<DestinationGuard, 'fetch'>): LanguageModelV3 {
  const provider = createOpenAI({
    apiKey: setting.apiKey,
    baseURL: setting.baseURL,
    fetch: ((url: string | URL, init?: RequestInit) => guard.fetch(String(url), init as never)) as unknown as typeof fetch,
  });
  return provider.chat(setting.model) as LanguageModelV3;
}

/** The shop's embedding model over the guard's fetch; `dim` as its vectors were stored, when known. */
export function shopEmbedder(
  endpoint: Pick<EmbeddingEndpoint, 'baseURL' | 'model'> & { apiKey: string },
  guard: Pick<DestinationGuard, 'fetch'>,
  o: { timeoutMs: number; dim?: number | null; maxRetries?: number },
): Embedder {
  return createOpenAIEmbedder({
    apiKey: endpoint.apiKey,
    baseURL: endpoint.baseURL,
    model: endpoint.model,
    ...(o.dim ? { knownDim: o.dim } : {}),
    timeoutMs: o.timeoutMs,
    ...(o.maxRetries !== undefined ? { maxRetries: o.maxRetries } : {}),
    fetch: ((url: string | URL, init?: RequestInit) => guard.fetch(String(url), init as never)) as unknown as typeof fetch,
  });
}

interface Entry {
  stamp: string;
  primary: LanguageModelV3 | null;
  name: string;
  embedder: Embedder;
}

export function createShopModels(opts: ShopModelsOptions): ShopModels {
  const cache = new Map<string, Entry>();

  async function entryFor(shopId: string): Promise<Entry | null> {
    const { version, generation } = await shopModelStamp(opts.db, shopId);
    if (version === 0 && generation === 0) return null;
    const stamp = `${version}/${generation}`;
    let entry = cache.get(shopId);
    if (!entry || entry.stamp !== stamp) {
      const [stored, embedding] = await Promise.all([loadShopModel(opts.db, opts.keys, shopId), loadShopEmbedding(opts.db, opts.keys, shopId)]);
      const s = stored.setting;
      // A key sealed under another AUTH_SECRET cannot be opened: the shop is answered by the
      // service's model until its admin enters the key again (GET /v1/admin/model says so).
      if (s && !usable(s)) opts.log.warn('shop model key unreadable; the service model answers', { shopId });
      const a = embedding.active;
      // Its vectors were made by the shop's model: without its key the search cannot embed a question
      // like them, and says so (the service's embedder is refused as another embedder's).
      if (a && a.apiKey === null) opts.log.warn('shop embedding key unreadable', { shopId });
      const embedder = a ? shopEmbedder({ ...a, apiKey: a.apiKey ?? '' }, opts.guard, { timeoutMs: opts.timeoutMs, dim: a.dim }) : opts.embedder;
      entry = { stamp: `${stored.version}/${embedding.generation}`, primary: usable(s) ? shopChatModel(s, opts.guard) : null, name: s?.model ?? '', embedder };
      cache.set(shopId, entry);
    }
    return entry;
  }

  return {
    async forShop(shopId) {
      const entry = await entryFor(shopId);
      if (!entry?.primary) return { ...serviceTurnModel(opts.models), embedder: entry?.embedder ?? opts.embedder };
      return {
        model: withFallback(entry.primary, opts.models.offline, { timeoutMs: opts.timeoutMs, log: opts.log }),
        name: entry.name,
        source: 'shop',
        embedder: entry.embedder,
      };
    },
    async embedderFor(shopId) {
      return (await entryFor(shopId))?.embedder ?? opts.embedder;
    },
  };
}
