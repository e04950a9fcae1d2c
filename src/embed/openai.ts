// Embeddings from any OpenAI-compatible /v1/embeddings endpoint, through the AI SDK (which splits
// large batches into calls the API accepts and retries transient failures).
import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, embedMany, RetryError } from 'ai';
import { Unavailable } from '../errors.ts';
import type { Embedder } from './embedder.ts';

export interface OpenAIEmbedderOptions {
  apiKey: string;
  /** e.g. 'https://api.openai.com/v1'; the SDK's default when omitted. */
  baseURL?: string;
  model: string;
  /** Asked of the API (text-embedding-3-* can shorten vectors); otherwise learnt from the first answer. */
  dim?: number;
  /** Learnt from an earlier answer (a shop's switch of embedder stores it): known, not asked of the API. */
  knownDim?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** How requests leave (a shop's model: through the destination guard). */
  fetch?: typeof fetch;
}

/** The last attempt's error of a call the SDK retried. */
function lastFailure(e: unknown): unknown {
  return RetryError.isInstance(e) ? e.lastError : e;
}

/** The reason an embedding call failed, with the HTTP status when the server answered. */
function describeFailure(e: unknown): string {
  const last = lastFailure(e);
  if (APICallError.isInstance(last)) {
    return last.statusCode ? `HTTP ${last.statusCode}: ${last.message}` : last.message;
  }
  return last instanceof Error ? last.message : String(last);
}

function normalise(v: readonly number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm > 0 ? v.map((x) => x / norm) : [...v];
}

export function createOpenAIEmbedder(opts: OpenAIEmbedderOptions): Embedder {
  const model = createOpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, ...(opts.fetch ? { fetch: opts.fetch } : {}) }).embedding(opts.model);
  const where = opts.baseURL ?? 'the OpenAI API';
  let dim = opts.dim ?? opts.knownDim;

  return {
    id: `openai:${opts.model}`,
    get dim() {
      if (dim === undefined) {
        throw new Unavailable(`the dimension of ${opts.model} is not known yet: set EMBEDDING_DIM or embed a text first`);
      }
      return dim;
    },
    async embed(texts) {
      if (texts.length === 0) return [];
      let embeddings: number[][];
      try {
        ({ embeddings } = await embedMany({
          model,
          values: [...texts],
          maxRetries: opts.maxRetries ?? 2,
          abortSignal: AbortSignal.timeout(opts.timeoutMs ?? 20_000),
          ...(opts.dim ? { providerOptions: { openai: { dimensions: opts.dim } } } : {}),
        }));
      } catch (e) {
        // The cause keeps the HTTP status and the guard's refusal, for an explanation in plain words.
        throw Object.assign(new Unavailable(`embedding with ${opts.model} at ${where} failed: ${describeFailure(e)}`), { cause: lastFailure(e) });
      }
      // A wrong length would make pgvector refuse the vector (or the search compare unlike vectors).
      dim ??= embeddings[0]?.length;
      const bad = embeddings.find((v) => v.length !== dim);
      if (embeddings.length !== texts.length || bad) {
        throw new Unavailable(
          `embedding with ${opts.model} at ${where} returned ${embeddings.length} vectors of ` +
            `${bad?.length ?? dim} dimensions for ${texts.length} texts; expected ${dim} dimensions each`,
        );
      }
      // Compatible servers do not all normalise; cosine search and the Embedder contract expect it.
      return embeddings.map(normalise);
    },
  };
}
