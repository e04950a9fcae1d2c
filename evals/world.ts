// The world an eval plays in: an in-memory PGlite holding the demo shop at the eval clock, its product
// index and its knowledge base, the seven sample shoppers as callers, and the model under test (the
// offline model, or the OpenAI-compatible one configured in the environment). A case or task that
// changed the database is followed by a fresh copy of the snapshot, so no case depends on another.
import { createModels, type Models } from '../src/agent/models.ts';
import type { IntentModel } from '../src/agent/offline/intentModel.ts';
import type { AgentDeps } from '../src/agent/turn.ts';
import { loadConfig } from '../src/config.ts';
import { fixedClock, type ShopperCaller } from '../src/context.ts';
import type { Db } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPglite } from '../src/db/pglite.ts';
import { DEMO_SHOP_ID, findShopperIdByOpenid, seedDemoShop } from '../src/demo/index.ts';
import { ingestDemoKnowledge } from '../src/demo/knowledge.ts';
import { SAMPLE_SHOPPERS } from '../src/demo/samples.ts';
import { indexProducts } from '../src/domain/catalog/indexer.ts';
import { resolveShopperCaller } from '../src/domain/shoppers/repo.ts';
import { createEmbedder } from '../src/embed/index.ts';
import { createLocalEmbedder } from '../src/embed/local.ts';
import type { Embedder } from '../src/embed/embedder.ts';
import { silentLogger } from '../src/log.ts';

// 10:00 in Shanghai on a Tuesday: staff on duty, the demo data generated relative to this instant.
export const EVAL_NOW = new Date('2026-11-24T02:00:00.000Z');

/** Which model answers: our offline model, or the OpenAI-compatible one of OPENAI_API_KEY / OPENAI_BASE_URL / MODEL. */
export type ModelChoice = 'offline' | 'openai';

type SnapshotDb = Db & { pglite: { dumpDataDir(c: 'none'): Promise<Blob | File> } };

export interface World {
  db: SnapshotDb;
  deps: AgentDeps;
  /** The sample shoppers by number: '0001' … '0007' (src/demo/samples.ts). */
  callers: Map<string, ShopperCaller>;
  /** Order numbers and phones of everyone but each sample shopper: what must never reach their replies. */
  foreign: Map<string, string[]>;
}

function embedderFor(choice: ModelChoice): Embedder {
  return choice === 'openai' ? createEmbedder(loadConfig(process.env)) : createLocalEmbedder();
}

/** Options of the model under test: an intent model trained for a cross-validation fold. */
export interface WorldOptions {
  intentModel?: IntentModel;
}

function modelsFor(choice: ModelChoice, embedder: Embedder, opts: WorldOptions): Models {
  if (choice === 'offline') {
    return createModels({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, MODEL: 'offline', MODEL_TIMEOUT_MS: 20_000 }, embedder, silentLogger, opts);
  }
  const config = loadConfig(process.env);
  if (!config.OPENAI_API_KEY) throw new Error('--model openai needs OPENAI_API_KEY (and OPENAI_BASE_URL, MODEL) in the environment');
  return createModels(config, embedder, silentLogger);
}

/** The number of a sample shopper: demo-openid-0002 → '0002'. */
export const sampleNumber = (openid: string) => openid.slice(-4);

export async function openWorld(choice: ModelChoice, snapshot?: Blob | File, opts: WorldOptions = {}): Promise<World> {
  const embedder = embedderFor(choice);
  const db = (await openPglite(snapshot ? { loadDataDir: snapshot } : {})) as SnapshotDb;
  if (!snapshot) {
    await migrate(db);
    await seedDemoShop(db, { now: EVAL_NOW });
    await indexProducts(db, embedder, { shopId: DEMO_SHOP_ID });
    await ingestDemoKnowledge(db, embedder, DEMO_SHOP_ID);
  }
  const deps: AgentDeps = { db, embedder, clock: fixedClock(EVAL_NOW), log: silentLogger, models: modelsFor(choice, embedder, opts) };
  const callers = new Map<string, ShopperCaller>();
  const foreign = new Map<string, string[]>();
  for (const sample of SAMPLE_SHOPPERS) {
    const id = await findShopperIdByOpenid(db, DEMO_SHOP_ID, sample.openid);
    const caller = id === null ? null : await resolveShopperCaller(db, { shopId: DEMO_SHOP_ID, shopperId: id });
    if (!caller) throw new Error(`sample shopper ${sample.openid} is missing from the seed`);
    const number = sampleNumber(sample.openid);
    callers.set(number, caller);
    const { rows } = await db.query<{ v: string }>(
      `SELECT order_no AS v FROM orders WHERE shop_id = $1 AND shopper_id <> $2
       UNION SELECT phone FROM shoppers WHERE shop_id = $1 AND id <> $2 AND phone IS NOT NULL`,
      [DEMO_SHOP_ID, caller.shopperId],
    );
    foreign.set(number, rows.map((r) => r.v).filter((v) => v.length >= 8));
  }
  return { db, deps, callers, foreign };
}

/** A world, and a way to get a clean one back after a case changed it. */
export interface Worlds {
  current(): World;
  /** Marks the current world changed: the next fresh() reopens it from the snapshot. */
  dirty(): void;
  /** The current world, reopened from the snapshot if it was changed. */
  fresh(): Promise<World>;
  close(): Promise<void>;
}

export async function openWorlds(choice: ModelChoice, opts: WorldOptions = {}): Promise<Worlds> {
  let world = await openWorld(choice, undefined, opts);
  const snapshot = await world.db.pglite.dumpDataDir('none');
  let changed = false;
  return {
    current: () => world,
    dirty: () => {
      changed = true;
    },
    async fresh() {
      if (changed) {
        await world.db.close();
        world = await openWorld(choice, snapshot, opts);
        changed = false;
      }
      return world;
    },
    close: () => world.db.close(),
  };
}
