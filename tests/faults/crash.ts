// kill -9 of the real service under load, then a restart on the same data (shared by the PGlite and
// the PostgreSQL test files). Chat turns and order-paid events run concurrently; every 2xx answer is
// recorded; the process is SIGKILLed with requests in flight. Then, read straight from the database
// (for PGlite: its reopen after the crash is the WAL recovery under test) and through the restarted
// service: everything acknowledged is there, and replaying every event sent creates nothing twice.
import { expect, it } from 'vitest';
import { createTokenIssuer } from '../../src/auth/tokens.ts';
import type { Db } from '../../src/db/db.ts';
import { startService, type Service } from './service.ts';

export const AUTH_SECRET = 'fault-tests-secret-'.padEnd(48, 'k');
const SHOP = 'demo';
const CHAT_WORKERS = 4;
const EVENT_WORKERS = 3;
const EVENTS_PER_BATCH = 3;
// Enough acknowledged work that the checks mean something, then the kill lands mid-load.
const KILL_AFTER = { chats: 10, eventBatches: 6 };
const LOAD_AT_MOST_MS = 45_000;
const MESSAGES = ['我的订单到哪了', '推荐个适合干皮的粉底液 200以内', '我有什么优惠券', '第二个呢?', '还能退货吗'];

export interface CrashTarget {
  /** The service's environment (DATA_DIR or DATABASE_URL) besides the common settings. */
  env: Record<string, string>;
  /** The service's database (holding the demo shop) opened directly, only while the service is not running. */
  openDb(): Promise<Db>;
}

interface AckedTurn {
  conversationId: string;
  messageId: number;
  message: string;
  reply: string;
}

interface SentEvent {
  id: string;
  type: 'order.paid';
  occurredAt: string;
  data: { orderNo: string; shopperId: number; items: { sku: string; quantity: number; unitPriceFen: number }[] };
}

interface LoadResult {
  turns: AckedTurn[];
  sent: SentEvent[];
  ackedEvents: Set<string>;
  inFlightAtKill: number;
}

interface Demo {
  chatShoppers: number[];
  buyers: number[];
  products: { sku: string; price_fen: number }[];
}

async function demoFacts(db: Db): Promise<Demo> {
  const shoppers = await db.query<{ id: number; referrer_id: number | null }>(
    'SELECT id, referrer_id FROM shoppers WHERE shop_id = $1 ORDER BY id LIMIT 40',
    [SHOP],
  );
  const products = await db.query<{ sku: string; price_fen: number }>(
    "SELECT sku, price_fen FROM products WHERE shop_id = $1 AND status = 'on_sale' AND price_fen > 0 ORDER BY sku LIMIT 3",
    [SHOP],
  );
  return {
    chatShoppers: shoppers.rows.slice(0, CHAT_WORKERS).map((r) => r.id),
    // Buyers with a referrer: their paid orders write reward ledger entries (链动2+1).
    buyers: shoppers.rows.filter((r) => r.referrer_id !== null).slice(0, 4).map((r) => r.id),
    products: products.rows,
  };
}

async function postJson(url: string, token: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Chats and event batches in parallel until enough is acknowledged; then kill -9 with requests in flight. */
async function loadThenKill(service: Service, demo: Demo, run: string): Promise<LoadResult> {
  const tokens = createTokenIssuer(AUTH_SECRET);
  const admin = await tokens.mint({ shopId: SHOP, role: 'admin', staffId: 'fault-ops' });
  const result: LoadResult = { turns: [], sent: [], ackedEvents: new Set(), inFlightAtKill: 0 };
  let inFlight = 0;
  let killed = false;
  let batches = 0;
  let kill!: () => void;
  const killedNow = new Promise<void>((resolve) => (kill = resolve));
  const maybeKill = () => {
    if (!killed && result.turns.length >= KILL_AFTER.chats && batches >= KILL_AFTER.eventBatches) kill();
  };
  async function tracked<T>(work: Promise<T>): Promise<T | undefined> {
    inFlight++;
    try {
      return await work;
    } catch {
      return undefined; // the connection died with the process: not acknowledged
    } finally {
      inFlight--;
    }
  }

  const chatWorker = async (shopperId: number, w: number) => {
    const token = await tokens.mint({ shopId: SHOP, role: 'shopper', shopperId });
    let conversationId: string | undefined;
    for (let k = 0; !killed; k++) {
      const message = MESSAGES[(w + k) % MESSAGES.length]!;
      const r = await tracked(postJson(`${service.url}/v1/chat`, token, { message, conversationId }));
      if (killed || !r) return;
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      conversationId = r.body.conversationId;
      result.turns.push({ conversationId: r.body.conversationId, messageId: r.body.messageId, message, reply: r.body.reply });
      maybeKill();
    }
  };
  const eventWorker = async (w: number) => {
    for (let k = 0; !killed; k++) {
      const events: SentEvent[] = Array.from({ length: EVENTS_PER_BATCH }, (_, j) => {
        const product = demo.products[(k + j) % demo.products.length]!;
        return {
          id: `crash-${run}-${w}-${k}-${j}`,
          type: 'order.paid',
          occurredAt: new Date().toISOString(),
          data: {
            orderNo: `CR${run}${w}${k}${j}`,
            shopperId: demo.buyers[(w + k + j) % demo.buyers.length]!,
            items: [{ sku: product.sku, quantity: 1, unitPriceFen: product.price_fen }],
          },
        };
      });
      result.sent.push(...events);
      const r = await tracked(postJson(`${service.url}/v1/events`, admin, { events }));
      if (killed || !r) return;
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.rejected, service.output().slice(-4000)).toEqual([]);
      for (const id of [...r.body.accepted, ...r.body.duplicate]) result.ackedEvents.add(id);
      batches++;
      maybeKill();
    }
  };

  const workers = [...demo.chatShoppers.map(chatWorker), ...Array.from({ length: EVENT_WORKERS }, (_, w) => eventWorker(w))];
  const timer = setTimeout(kill, LOAD_AT_MOST_MS);
  await killedNow;
  clearTimeout(timer);
  result.inFlightAtKill = inFlight;
  killed = true;
  await service.kill9();
  await Promise.all(workers);
  return result;
}

/** What the database holds of the run: stored messages, ingested events, orders and their ledger rows. */
async function readBack(db: Db, load: LoadResult) {
  const ids = load.sent.map((e) => e.id);
  const orderNos = load.sent.map((e) => e.data.orderNo);
  const convs = [...new Set(load.turns.map((t) => t.conversationId))];
  const messages = await db.query<{ id: number; conversation_id: string; role: string; content: string }>(
    'SELECT id, conversation_id, role, content FROM messages WHERE conversation_id = ANY($1::uuid[]) ORDER BY id',
    [convs],
  );
  const ingested = await db.query<{ event_id: string }>(
    'SELECT event_id FROM ingested_events WHERE shop_id = $1 AND event_id = ANY($2::text[])',
    [SHOP, ids],
  );
  const orders = await db.query<{ order_no: string; status: string }>(
    'SELECT order_no, status FROM orders WHERE shop_id = $1 AND order_no = ANY($2::text[])',
    [SHOP, orderNos],
  );
  const ledger = await db.query<{ order_no: string; entry_key: string; amount_fen: number; state: string }>(
    `SELECT o.order_no, l.entry_key, l.amount_fen, l.state
       FROM reward_ledger l JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id
      WHERE l.shop_id = $1 AND o.order_no = ANY($2::text[]) ORDER BY l.entry_key`,
    [SHOP, orderNos],
  );
  return { messages: messages.rows, ingested: ingested.rows.map((r) => r.event_id), orders: orders.rows, ledger: ledger.rows };
}

function expectAcknowledgedTurnsStored(turns: AckedTurn[], messages: { id: number; conversation_id: string; role: string; content: string }[]) {
  for (const t of turns) {
    const conv = messages.filter((m) => m.conversation_id === t.conversationId);
    expect(conv.find((m) => m.id === t.messageId), `reply ${t.messageId}`).toMatchObject({ role: 'assistant', content: t.reply });
    expect(conv.some((m) => m.role === 'user' && m.content === t.message && m.id < t.messageId), `message before ${t.messageId}`).toBe(true);
  }
}

export function itSurvivesKill9UnderLoad(title: string, prepare: () => Promise<CrashTarget>, timeoutMs: number) {
  it(
    title,
    async () => {
      const target = await prepare();
      const env = { ...target.env, AUTH_SECRET, SEED_DEMO: 'true', RATE_LIMIT_SHOPPER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' };
      const run = Math.random().toString(36).slice(2, 7);

      // The shoppers and products to use, read before the start (PGlite's files are the process's own while it runs).
      const before = await target.openDb();
      const demo = await demoFacts(before);
      await before.close();
      expect(demo.buyers.length).toBeGreaterThan(0);

      const first = await startService(env);
      const load = await loadThenKill(first, demo, run);
      expect(load.turns.length).toBeGreaterThanOrEqual(KILL_AFTER.chats);
      expect(load.ackedEvents.size).toBeGreaterThanOrEqual(KILL_AFTER.eventBatches * EVENTS_PER_BATCH);
      expect(load.inFlightAtKill, 'requests in flight at the kill').toBeGreaterThan(0);

      // 1. Straight from the database after the crash.
      const reopenStarted = Date.now();
      const db = await target.openDb();
      const reopenMs = Date.now() - reopenStarted;
      const crashed = await readBack(db, load);
      await db.close();
      expectAcknowledgedTurnsStored(load.turns, crashed.messages);
      expect(crashed.ingested).toEqual(expect.arrayContaining([...load.ackedEvents]));
      const acked = load.sent.filter((e) => load.ackedEvents.has(e.id));
      for (const e of acked) expect(crashed.orders).toContainEqual({ order_no: e.data.orderNo, status: 'paid' });
      // An unacknowledged event is all there or not at all: its record and its order go together.
      for (const e of load.sent) {
        expect(crashed.orders.some((o) => o.order_no === e.data.orderNo), e.id).toBe(crashed.ingested.includes(e.id));
      }
      const ackedOrderNos = new Set(acked.map((e) => e.data.orderNo));
      const ackedLedger = crashed.ledger.filter((l) => ackedOrderNos.has(l.order_no));
      expect(ackedLedger.length, 'ledger entries of acknowledged orders').toBeGreaterThan(0);
      console.info(
        `[crash] acked turns ${load.turns.length}; events sent ${load.sent.length}, acked ${load.ackedEvents.size}, ` +
          `committed ${crashed.ingested.length}; requests in flight at the kill ${load.inFlightAtKill}; ` +
          `ledger rows of acked orders ${ackedLedger.length}; reopen after the crash ${reopenMs} ms`,
      );

      // 2. Restarted on the same data: replay every event sent, acknowledged or not.
      const second = await startService(env);
      try {
        const tokens = createTokenIssuer(AUTH_SECRET);
        const admin = await tokens.mint({ shopId: SHOP, role: 'admin', staffId: 'fault-ops' });
        const replay = { accepted: [] as string[], duplicate: [] as string[], rejected: [] as unknown[] };
        for (let i = 0; i < load.sent.length; i += 50) {
          const r = await postJson(`${second.url}/v1/events`, admin, { events: load.sent.slice(i, i + 50) });
          expect(r.status).toBe(200);
          replay.accepted.push(...r.body.accepted);
          replay.duplicate.push(...r.body.duplicate);
          replay.rejected.push(...r.body.rejected);
        }
        expect(replay.rejected).toEqual([]);
        expect(replay.duplicate).toEqual(expect.arrayContaining([...load.ackedEvents]));
        expect(new Set([...replay.accepted, ...replay.duplicate])).toEqual(new Set(load.sent.map((e) => e.id)));
        // What the crash lost is applied now, what it kept is reported as duplicate.
        expect(replay.accepted.sort()).toEqual(load.sent.map((e) => e.id).filter((id) => !crashed.ingested.includes(id)).sort());

        // Acknowledged turns through the API, as the shopper sees them.
        for (const shopperId of demo.chatShoppers) {
          const token = await tokens.mint({ shopId: SHOP, role: 'shopper', shopperId });
          const mine = load.turns.filter((t) => crashed.messages.some((m) => m.conversation_id === t.conversationId));
          for (const conversationId of new Set(mine.map((t) => t.conversationId))) {
            const res = await fetch(`${second.url}/v1/conversations/${conversationId}`, { headers: { authorization: `Bearer ${token}` } });
            if (res.status === 404) continue; // another shopper's conversation
            expect(res.status).toBe(200);
            const ids = ((await res.json()) as { messages: { id: number }[] }).messages.map((m) => m.id);
            for (const t of mine.filter((x) => x.conversationId === conversationId)) expect(ids).toContain(t.messageId);
          }
        }
      } finally {
        await second.stop();
      }

      // 3. The ledger after the replay: acknowledged orders unchanged, every order and event once.
      const db2 = await target.openDb();
      const replayed = await readBack(db2, load);
      await db2.close();
      expect(replayed.ledger.filter((l) => ackedOrderNos.has(l.order_no))).toEqual(ackedLedger);
      expect(replayed.orders.length).toBe(load.sent.length);
      expect(new Set(replayed.orders.map((o) => o.order_no)).size).toBe(load.sent.length);
      expect(replayed.ingested.length).toBe(load.sent.length);
      const perOrder = new Map<string, number>();
      for (const l of replayed.ledger) perOrder.set(l.entry_key, (perOrder.get(l.entry_key) ?? 0) + 1);
      expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
    },
    timeoutMs,
  );
}
