// Runs the switches of shops' embedding models (src/domain/shops/embedding.ts): re-embeds a shop's
// catalog and knowledge with the new embedder beside the vectors its search still reads, in batches,
// reporting progress, then flips the shop's search to the new vectors at once and drops the old.
// The job's state is in the database, so a restart resumes it where it stopped (what has its new
// vector is not embedded again). Every replica may run this: a switch is held by one runner through
// a lease it renews with every batch; a runner that stops renewing (a crash) loses it to another.
// A failed attempt (the embeddings endpoint down or refusing) is tried again from where it stopped,
// a few times, then the switch fails with the reason in plain words and search stays where it was.
import { randomUUID } from 'node:crypto';
import { explainModelError } from '../agent/modelCheck.ts';
import { shopEmbedder } from '../agent/shopModels.ts';
import type { SecretBox } from '../auth/secretBox.ts';
import type { Clock } from '../context.ts';
import type { Db } from '../db/db.ts';
import { indexProducts } from '../domain/catalog/indexer.ts';
import { forgetShopProfiles } from '../domain/catalog/profileCache.ts';
import { reembedKnowledge } from '../domain/knowledge/reembed.ts';
import {
  claimSwitch,
  completeSwitch,
  dropOtherVectors,
  missingVectors,
  recordFailure,
  reportProgress,
  type ClaimedSwitch,
} from '../domain/shops/embedding.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { Logger } from '../log.ts';
import type { DestinationGuard } from '../net/destinationGuard.ts';

export interface ReembedDeps {
  db: Db;
  keys: SecretBox;
  guard: Pick<DestinationGuard, 'fetch'>;
  /** The service's embedder: the target of a switch back to the environment's. */
  embedder: Embedder;
  clock: Clock;
  log: Logger;
  timeoutMs: number;
}

export interface ReembedOptions {
  /** How often a runner looks for a switch to run (default 5 s; a PUT also wakes the app's own runner). */
  pollMs?: number;
  /** How long a runner holds a switch without renewing (default 60 s). */
  leaseMs?: number;
  /** Texts per embedding call (default 64). */
  batchSize?: number;
  /** Attempts before a switch fails (default 4), each resuming where the last stopped. */
  maxAttempts?: number;
  /** Wait before the next attempt (default 10 s). */
  retryMs?: number;
  /** Names this runner in the lease (default a random id). */
  owner?: string;
}

export interface ReembedJobs {
  start(): void;
  /** Looks for a switch now instead of at the next poll. */
  wake(): void;
  /** Runs the switches due now, one after the other; resolves when none is left for this runner. */
  runDue(): Promise<number>;
  stop(): Promise<void>;
}

class LostSwitch extends Error {}

export function createReembedJobs(deps: ReembedDeps, o: ReembedOptions = {}): ReembedJobs {
  const log = deps.log.child({ job: 'reembed' });
  const owner = o.owner ?? `reembed:${randomUUID()}`;
  const leaseMs = o.leaseMs ?? 60_000;
  const batchSize = o.batchSize ?? 64;
  const maxAttempts = o.maxAttempts ?? 4;
  const retryMs = o.retryMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  function targetEmbedder(s: ClaimedSwitch): Embedder {
    if (!s.target) return deps.embedder;
    if (s.target.apiKey === null) throw new Error('the API key cannot be read (the service\'s AUTH_SECRET changed): enter the key again');
    // A failed call is tried once more at once; past that the attempt stops, and the next one
    // resumes from the last batch written.
    return shopEmbedder({ ...s.target, apiKey: s.target.apiKey }, deps.guard, { timeoutMs: deps.timeoutMs, maxRetries: 1 });
  }

  async function runSwitch(s: ClaimedSwitch): Promise<void> {
    const embedder = targetEmbedder(s);
    // One small call first: a wrong key or model fails here, before any work, and the dimension is learnt.
    await embedder.embed(['维度']);
    const progress = async (done: number, total: number) => {
      if (!(await reportProgress(deps.db, s, owner, leaseMs, done, total))) throw new LostSwitch();
    };
    // A product or document added while the switch runs is embedded on the next pass.
    for (let pass = 0; pass < 5; pass++) {
      const missing = await missingVectors(deps.db, s.shopId, embedder.id);
      let done = missing.total - missing.products - missing.chunks;
      await progress(done, missing.total);
      await indexProducts(deps.db, embedder, {
        shopId: s.shopId,
        alongside: true,
        batchSize,
        onBatch: async (written) => progress(done + written, missing.total),
      });
      done += missing.products;
      await reembedKnowledge(deps.db, embedder, s.shopId, {
        batchSize,
        onBatch: async (written) => progress((done += written), missing.total),
      });
      const target = { id: embedder.id, dim: embedder.dim };
      if (await completeSwitch(deps.db, s, owner, target, deps.clock.now())) {
        await dropOtherVectors(deps.db, s.shopId, target);
        forgetShopProfiles(deps.db, s.shopId);
        log.info('embedding switch complete', { shop: s.shopId, embedder: embedder.id, vectors: missing.total });
        return;
      }
    }
    throw new Error('the catalog kept changing while it was embedded; it will be tried again');
  }

  async function runOne(): Promise<boolean> {
    const s = await claimSwitch(deps.db, deps.keys, owner, leaseMs);
    if (!s) return false;
    log.info('embedding switch started', { shop: s.shopId, model: s.target?.model ?? deps.embedder.id });
    try {
      await runSwitch(s);
    } catch (e) {
      if (e instanceof LostSwitch) return true;
      const reason = s.target ? explainModelError(e, s.target, deps.timeoutMs).message : e instanceof Error ? e.message : String(e);
      const outcome = await recordFailure(deps.db, s, owner, reason, { retryMs, maxAttempts, now: deps.clock.now() });
      log.warn('embedding switch attempt failed', { shop: s.shopId, outcome, reason });
    }
    return true;
  }

  function runDue(): Promise<number> {
    running ??= (async () => {
      let n = 0;
      try {
        while (await runOne()) n++;
      } finally {
        running = undefined;
      }
      return n;
    })();
    return running;
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      runDue()
        .catch((e: unknown) => log.error('embedding switches failed', { err: e as Error }))
        .finally(() => schedule(o.pollMs ?? 5_000));
    }, delay);
    timer.unref();
  }

  return {
    start() {
      stopped = false;
      schedule(0);
    },
    wake() {
      if (!stopped && !running) schedule(0);
    },
    runDue,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
