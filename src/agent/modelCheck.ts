// One small call to a shop's model, before the shoppers meet it, told in words a shop owner can act
// on: the address cannot be reached, the key is wrong, the model is unknown there, it took too long.
import { APICallError } from 'ai';
import type { ShopModelSetting, UsableShopModel } from '../domain/shops/model.ts';
import { refusalIn, type DestinationGuard } from '../net/destinationGuard.ts';
import { shopChatModel } from './shopModels.ts';

export type ModelProblem = 'refused' | 'unreachable' | 'wrong_key' | 'model_not_found' | 'timeout' | 'rate_limited' | 'error';

export type ModelCheck =
  | { ok: true; latencyMs: number; model: string; reply: string }
  | { ok: false; latencyMs: number; model: string; problem: ModelProblem; message: string; status?: number };

function causes(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let x = e, depth = 0; x && depth < 6; x = (x as { cause?: unknown }).cause, depth++) out.push(x);
  return out;
}

/** What went wrong, said for the person who typed the settings; no key, no stack. */
export function explainModelError(e: unknown, setting: Pick<ShopModelSetting, 'baseURL' | 'model'>, timeoutMs: number): { problem: ModelProblem; message: string; status?: number } {
  const refused = refusalIn(e);
  if (refused) {
    return { problem: 'refused', message: `The service may not call this address (${refused.reason}). Use the model's public address, or ask the operator to allow the host.` };
  }
  const chain = causes(e);
  if (chain.some((x) => x instanceof Error && (x.name === 'TimeoutError' || x.name === 'AbortError'))) {
    return { problem: 'timeout', message: `The model did not answer within ${timeoutMs / 1000} seconds. The address may be wrong, or the model is overloaded.` };
  }
  const api = chain.find((x): x is APICallError => APICallError.isInstance(x));
  const status = api?.statusCode;
  if (status === 401 || status === 403) {
    return { problem: 'wrong_key', status, message: `The model service refused the API key (HTTP ${status}). Check that the key is right and still valid.` };
  }
  if (status === 404) {
    return { problem: 'model_not_found', status, message: `The model service does not know the model "${setting.model}" (HTTP 404). Check the model's name, and that the base URL ends where the service's API starts (often /v1).` };
  }
  if (status === 429) return { problem: 'rate_limited', status, message: 'The model service says too many requests or no credit left (HTTP 429). Check the account\'s balance and limits.' };
  if (status !== undefined) return { problem: 'error', status, message: `The model service answered with an error (HTTP ${status}).` };
  const host = (() => {
    try {
      return new URL(setting.baseURL).host;
    } catch {
      return setting.baseURL;
    }
  })();
  return { problem: 'unreachable', message: `The model service at ${host} could not be reached. Check the base URL, and that the service is running.` };
}

export async function checkShopModel(
  setting: Pick<UsableShopModel, 'baseURL' | 'model' | 'apiKey'>,
  guard: Pick<DestinationGuard, 'fetch'>,
  timeoutMs: number,
): Promise<ModelCheck> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const result = await shopChatModel(setting, guard).doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Reply with: ok' }] }],
      maxOutputTokens: 5,
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    const reply = result.content.map((p) => (p.type === 'text' ? p.text : '')).join('').slice(0, 200);
    return { ok: true, latencyMs: latency(), model: setting.model, reply };
  } catch (e) {
    return { ok: false, latencyMs: latency(), model: setting.model, ...explainModelError(e, setting, timeoutMs) };
  }
}
