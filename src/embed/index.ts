import type { Config } from '../config.ts';
import type { Embedder } from './embedder.ts';
import { createLocalEmbedder } from './local.ts';
import { createOpenAIEmbedder } from './openai.ts';

export type { Embedder } from './embedder.ts';

/** The OpenAI-compatible embedder when an API key is configured; otherwise the offline local one. */
export function createEmbedder(
  config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'EMBEDDING_MODEL' | 'EMBEDDING_DIM' | 'MODEL_TIMEOUT_MS'>,
): Embedder {
  if (!config.OPENAI_API_KEY) return createLocalEmbedder();
  return createOpenAIEmbedder({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.EMBEDDING_MODEL,
    dim: config.EMBEDDING_DIM,
    timeoutMs: config.MODEL_TIMEOUT_MS,
  });
}
