// Admin routes of the shop's own chat model (an OpenAI-compatible endpoint: OpenAI, Qwen, DeepSeek,
// vLLM, Ollama …), for an admin of their own shop:
//   GET    /v1/admin/model              the setting (the key never: hasApiKey), its version, who answers now
//   PUT    /v1/admin/model              {baseURL, model, apiKey?, embeddingModel?, version}; another
//                                       embedding model re-embeds the shop's catalog and knowledge in
//                                       the background (src/jobs/reembed.ts), progress in GET's `embedding`
//   DELETE /v1/admin/model?version=N    back to the service's model (and embedder, the same way)
//   POST   /v1/admin/model/test         {baseURL, model, apiKey?} or {}: one small call, its latency or
//                                       what went wrong in plain words
// The shop always comes from the token.
import { Hono } from 'hono';
import { z } from 'zod';
import { checkShopModel } from '../agent/modelCheck.ts';
import type { Models } from '../agent/models.ts';
import type { TokenIssuer } from '../auth/tokens.ts';
import type { SecretBox } from '../auth/secretBox.ts';
import type { Deps } from '../context.ts';
import { loadShopEmbedding, requestEmbeddingSwitch, type ShopEmbedding } from '../domain/shops/embedding.ts';
import { checkBaseURL, clearShopModel, loadShopModel, saveShopModel, usable, type StoredShopModel } from '../domain/shops/model.ts';
import { Invalid } from '../errors.ts';
import type { DestinationGuard } from '../net/destinationGuard.ts';
import { isTypable, typable, UNTYPABLE_MESSAGE } from '../text/typable.ts';
import { staffAuth, type StaffEnv } from './auth.ts';
import { jsonBody, parseOr400 } from './errors.ts';

export interface ShopModelRouteDeps extends Deps {
  tokens: TokenIssuer;
  models: Models;
  keys: SecretBox;
  guard: Pick<DestinationGuard, 'check' | 'fetch'>;
  timeoutMs: number;
  /** Told when a switch of embedder was asked for, so a runner starts it now rather than at its next look. */
  onEmbeddingSwitch?: () => void;
}

const baseURL = z.url({ protocol: /^https?$/ }).max(2000).refine(isTypable, UNTYPABLE_MESSAGE);
const modelName = typable().min(1).max(200);
const apiKey = typable().min(1).max(2000);

const putBody = z.strictObject({
  baseURL,
  model: modelName,
  apiKey: apiKey.optional(),
  embeddingModel: modelName.optional(),
  version: z.number().int().min(0),
});

const testBody = z.union([z.strictObject({ baseURL, model: modelName, apiKey: apiKey.optional() }), z.strictObject({})]);

const versionQuery = z.coerce.number().int().min(0);

/** The service's embedding model as an admin names it. */
function embeddingModelOf(embedderId: string): string {
  return embedderId.replace(/^openai:/, '');
}

export function shopModelRoutes(deps: ShopModelRouteDeps) {
  const app = new Hono<StaffEnv>();
  const admin = staffAuth({ tokens: deps.tokens, db: deps.db, roles: ['admin'] });
  const serviceModel = () => (deps.models.remote ? { source: 'service' as const, model: deps.models.name } : { source: 'offline' as const, model: deps.models.name });
  const embeddingModel = embeddingModelOf(deps.embedder.id);

  function embeddingView(e: ShopEmbedding) {
    return {
      // The model the shop's search uses now: its own once a switch completed, else the service's.
      model: e.active?.model ?? embeddingModel,
      source: e.active ? ('shop' as const) : ('service' as const),
      state: e.state,
      // Where a switch under way (or failed) goes; null when none.
      target: e.switching ? (e.switching.target?.model ?? embeddingModel) : null,
      done: e.done,
      total: e.total,
      startedAt: e.startedAt?.toISOString() ?? null,
      finishedAt: e.finishedAt?.toISOString() ?? null,
      error: e.error,
    };
  }

  async function view(s: StoredShopModel, shopId: string) {
    const setting = s.setting
      ? { baseURL: s.setting.baseURL, model: s.setting.model, embeddingModel: s.setting.embeddingModel ?? embeddingModel, hasApiKey: usable(s.setting) }
      : null;
    return {
      version: s.version,
      setting,
      // A key that cannot be read any more (AUTH_SECRET changed) leaves the shop on the service's model.
      answeredBy: usable(s.setting) ? { source: 'shop' as const, model: s.setting.model } : serviceModel(),
      serviceModel: serviceModel(),
      embedding: embeddingView(await loadShopEmbedding(deps.db, deps.keys, shopId)),
    };
  }

  app.get('/v1/admin/model', admin, async (c) => {
    const shopId = c.get('caller').shopId;
    return c.json(await view(await loadShopModel(deps.db, deps.keys, shopId), shopId));
  });

  app.put('/v1/admin/model', admin, async (c) => {
    const body = await jsonBody(c, putBody);
    const shopId = c.get('caller').shopId;
    // The service's own embedding model named again is the service's embedder, not a switch.
    const own = body.embeddingModel !== undefined && body.embeddingModel !== embeddingModel ? body.embeddingModel : undefined;
    const now = deps.clock.now();
    const saved = await deps.db.transaction(async (tx) => {
      const stored = await saveShopModel(
        tx,
        deps.keys,
        shopId,
        { baseURL: body.baseURL, model: body.model, apiKey: body.apiKey, embeddingModel: own, expectedVersion: body.version },
        now,
        deps.guard,
      );
      const key = stored.setting!.apiKey!;
      await requestEmbeddingSwitch(tx, deps.keys, shopId, own ? { model: own, baseURL: body.baseURL, apiKey: key } : null, now);
      return stored;
    });
    deps.log.info('shop model set', { shopId, model: body.model, embeddingModel: own ?? null, version: saved.version });
    deps.onEmbeddingSwitch?.();
    return c.json(await view(saved, shopId));
  });

  app.delete('/v1/admin/model', admin, async (c) => {
    const version = parseOr400(versionQuery, c.req.query('version'), 'version');
    const shopId = c.get('caller').shopId;
    const now = deps.clock.now();
    const cleared = await deps.db.transaction(async (tx) => {
      const stored = await clearShopModel(tx, shopId, version, now);
      await requestEmbeddingSwitch(tx, deps.keys, shopId, null, now);
      return stored;
    });
    deps.log.info('shop model cleared', { shopId, version: cleared.version });
    deps.onEmbeddingSwitch?.();
    return c.json(await view(cleared, shopId));
  });

  app.post('/v1/admin/model/test', admin, async (c) => {
    const body = await jsonBody(c, testBody);
    const stored = await loadShopModel(deps.db, deps.keys, c.get('caller').shopId);
    let target: { baseURL: string; model: string; apiKey: string };
    if ('baseURL' in body) {
      checkBaseURL(deps.guard, body.baseURL);
      // As when saving: the stored key goes only to the address it was set for.
      const key = body.apiKey ?? (stored.setting?.baseURL === body.baseURL ? stored.setting.apiKey : undefined);
      if (!key) throw new Invalid('apiKey is required with a new baseURL', { fields: [{ path: 'apiKey', message: 'required with a new baseURL' }] });
      target = { baseURL: body.baseURL, model: body.model, apiKey: key };
    } else {
      if (!stored.setting) throw new Invalid('the shop has no model of its own: send baseURL, model and apiKey to test one');
      if (!usable(stored.setting)) throw new Invalid('the stored API key cannot be read (the service\'s AUTH_SECRET changed): enter the key again');
      target = stored.setting;
    }
    return c.json(await checkShopModel(target, deps.guard, deps.timeoutMs));
  });

  return app;
}
