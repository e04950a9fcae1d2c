// The model a turn is answered by, chosen by the token's shop: the shop's own OpenAI-compatible
// model when its admin set one, else the service's (environment) model, else the offline model.
// Built providers are cached per shop and version; each turn reads the version (one small query),
// so a change made through any replica applies from the next turn on.
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { SecretBox } from '../auth/secretBox.ts';
import type { Queryable } from '../db/db.ts';
import { loadShopModel, shopModelVersion, usable, type UsableShopModel } from '../domain/shops/model.ts';
import type { Logger } from '../log.ts';
import type { DestinationGuard } from '../net/destinationGuard.ts';
import { serviceTurnModel, withFallback, type Models, type TurnModel } from './models.ts';

export interface ShopModels {
  forShop(shopId: string): Promise<TurnModel>;
}

export interface ShopModelsOptions {
  db: Queryable;
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

export function createShopModels(opts: ShopModelsOptions): ShopModels {
  const cache = new Map<string, { version: number; primary: LanguageModelV3 | null; name: string }>();
  return {
    async forShop(shopId) {
      const version = await shopModelVersion(opts.db, shopId);
      let entry = cache.get(shopId);
      if (version === 0) return serviceTurnModel(opts.models);
      if (!entry || entry.version !== version) {
        const stored = await loadShopModel(opts.db, opts.keys, shopId);
        const s = stored.setting;
        // A key sealed under another AUTH_SECRET cannot be opened: the shop is answered by the
        // service's model until its admin enters the key again (GET /v1/admin/model says so).
        if (s && !usable(s)) opts.log.warn('shop model key unreadable; the service model answers', { shopId });
        entry = { version: stored.version, primary: usable(s) ? shopChatModel(s, opts.guard) : null, name: s?.model ?? '' };
        cache.set(shopId, entry);
      }
      if (!entry.primary) return serviceTurnModel(opts.models);
      return {
        model: withFallback(entry.primary, opts.models.offline, { timeoutMs: opts.timeoutMs, log: opts.log }),
        name: entry.name,
        source: 'shop',
      };
    },
  };
}
