// Model selection: an OpenAI-compatible provider (Chat Completions, so OpenAI, Qwen/DashScope,
// DeepSeek, vLLM and Ollama work by configuration alone) when OPENAI_API_KEY is set, else our own
// offline model. The provider is wrapped so that an error or a timeout gets one retry and then the
// offline model answers that call — the shopper never sees a 500 for a model failure.
import { createOpenAI } from '@ai-sdk/openai';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3StreamPart,
  SharedV3ProviderMetadata,
} from '@ai-sdk/provider';
import type { Config } from '../config.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { Logger } from '../log.ts';
import { readTurnReport, toProviderMetadata } from './offline/contract.ts';
import type { IntentModel } from './offline/intentModel.ts';
import { createOfflineModel } from './offline/model.ts';
import { settleSdkSchemas } from './sdkSchemas.ts';

/** Who answers a turn: our own offline model, the service's configured model, or the shop's own. */
export type ModelSource = 'offline' | 'service' | 'shop';

/** The model of one turn with what the records say of it. */
export interface TurnModel {
  model: LanguageModelV3;
  /** The offline model's id or the provider's model name. */
  name: string;
  source: ModelSource;
}

export interface Models {
  /**
   * The model for one turn: the provider with offline fallback, or the offline model alone. A new
   * one per turn, because once the provider has failed, the rest of that turn stays offline.
   */
  forTurn(): LanguageModelV3;
  offline: LanguageModelV3;
  /** The offline model's id or the provider's model name, for the records. */
  name: string;
  /** Turns call a model over HTTP (a provider is configured), not the offline model in this process. */
  remote: boolean;
}

export function createModels(
  config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'MODEL' | 'MODEL_TIMEOUT_MS'>,
  embedder: Embedder,
  log: Logger,
  opts: { intentModel?: IntentModel } = {},
): Models {
  settleSdkSchemas();
  const offline = createOfflineModel({ embedder, ...opts });
  if (!config.OPENAI_API_KEY) return { forTurn: () => offline, offline, name: offline.modelId, remote: false };
  const provider = createOpenAI({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL });
  const primary = provider.chat(config.MODEL) as LanguageModelV3;
  return {
    forTurn: () => withFallback(primary, offline, { timeoutMs: config.MODEL_TIMEOUT_MS, log }),
    offline,
    name: config.MODEL,
    remote: true,
  };
}

/** The service's model for a turn whose shop has none of its own. */
export function serviceTurnModel(models: Models): TurnModel {
  return { model: models.forTurn(), name: models.name, source: models.remote ? 'service' : 'offline' };
}

export interface FallbackOptions {
  timeoutMs: number;
  log: Logger;
  /** Attempts on the primary before falling back (1 + one retry). */
  attempts?: number;
}

function withTimeout(options: LanguageModelV3CallOptions, ms: number): LanguageModelV3CallOptions {
  const timeout = AbortSignal.timeout(ms);
  const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
  return { ...options, abortSignal };
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e).slice(0, 300);
}

/**
 * The primary model, retried once, then the fallback — for the rest of the turn: a turn's later
 * steps do not go back to a provider that has just failed. The fallback's answers say they were one.
 */
export function withFallback(primary: LanguageModelV3, fallback: LanguageModelV3, opts: FallbackOptions): LanguageModelV3 {
  const attempts = opts.attempts ?? 2;
  let failedWith: string | undefined;
  // The fallback's own report (how it understood the message) is kept beside the failure.
  const mark = (metadata: SharedV3ProviderMetadata | undefined, reason: string): SharedV3ProviderMetadata => ({
    ...metadata,
    ...toProviderMetadata({ ...readTurnReport(metadata), fallback: { from: primary.modelId, reason } }),
  });
  return {
    specificationVersion: 'v3',
    provider: primary.provider,
    modelId: primary.modelId,
    supportedUrls: primary.supportedUrls,

    async doGenerate(options) {
      let last: unknown = failedWith;
      for (let i = 0; i < attempts && failedWith === undefined; i++) {
        if (options.abortSignal?.aborted) break;
        try {
          return await primary.doGenerate(withTimeout(options, opts.timeoutMs));
        } catch (e) {
          last = e;
          opts.log.warn('model call failed', { model: primary.modelId, attempt: i + 1, err: describe(e) });
        }
      }
      failedWith = describe(last);
      const result = await fallback.doGenerate(options);
      return { ...result, providerMetadata: mark(result.providerMetadata, failedWith) };
    },

    async doStream(options) {
      let last: unknown = failedWith;
      for (let i = 0; i < attempts && failedWith === undefined; i++) {
        if (options.abortSignal?.aborted) break;
        try {
          const result = await primary.doStream(withTimeout(options, opts.timeoutMs));
          const started = await startedCleanly(result.stream);
          if (started.ok) return { ...result, stream: started.stream };
          last = started.error;
        } catch (e) {
          last = e;
        }
        opts.log.warn('model stream failed', { model: primary.modelId, attempt: i + 1, err: describe(last) });
      }
      failedWith = describe(last);
      const result = await fallback.doStream(options);
      const reason = failedWith;
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
          transform(part, controller) {
            if (part.type === 'finish') {
              controller.enqueue({ ...part, providerMetadata: mark(part.providerMetadata, reason) });
            } else controller.enqueue(part);
          },
        }),
      );
      return { ...result, stream };
    },
  };
}

/**
 * Reads a stream until its first content part. An error before any content means the call failed
 * (we can still fall back); after content has flowed, the stream is passed on as it is.
 */
async function startedCleanly(
  stream: ReadableStream<LanguageModelV3StreamPart>,
): Promise<{ ok: true; stream: ReadableStream<LanguageModelV3StreamPart> } | { ok: false; error: unknown }> {
  const reader = stream.getReader();
  const buffered: LanguageModelV3StreamPart[] = [];
  for (;;) {
    let next: ReadableStreamReadResult<LanguageModelV3StreamPart>;
    try {
      next = await reader.read();
    } catch (error) {
      return { ok: false, error };
    }
    if (next.done) break;
    const part = next.value;
    if (part.type === 'error') {
      void reader.cancel().catch(() => {});
      return { ok: false, error: part.error };
    }
    buffered.push(part);
    if (part.type !== 'stream-start' && part.type !== 'response-metadata') break;
  }
  return {
    ok: true,
    stream: new ReadableStream<LanguageModelV3StreamPart>({
      start(controller) {
        for (const p of buffered) controller.enqueue(p);
      },
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (e) {
          controller.error(e);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    }),
  };
}
