// The fake OpenAI-compatible server of tests/helpers/fakeOpenAI.ts on a thread of its own. In the
// benchmark's thread it shared the event loop of the service it measures: whatever the service ran
// on that thread while the model was "thinking" (PGlite executes its queries there) held back the
// fake server's reading of the request, and counted as model time the way no remote model would.
// On its own thread it receives, waits and answers like a server elsewhere.
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { RecordedRequest, ScriptStep } from '../../tests/helpers/fakeOpenAI.ts';

type Command =
  | { id: number; op: 'script'; steps: ScriptStep[]; loop: boolean }
  | { id: number; op: 'requests'; last: number }
  | { id: number; op: 'assertDone' }
  | { id: number; op: 'close' };

type Request = Command extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string } | { ready: string };

export interface FakeModelThread {
  baseURL: string;
  script(steps: ScriptStep[], opts?: { loop?: boolean }): Promise<void>;
  /** The last `n` requests the server received (all with n = 0). */
  requests(last?: number): Promise<RecordedRequest[]>;
  assertDone(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeModelThread(): Promise<FakeModelThread> {
  // A thread does not inherit the parent's TypeScript loader (tsx): it registers its own first.
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  const baseURL = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: Reply) => {
      if ('ready' in m) return resolve(m.ready);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    });
  });
  const call = <T>(c: Request) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...c, id });
    });
  return {
    baseURL,
    script: (steps, opts = {}) => call({ op: 'script', steps, loop: opts.loop ?? false }),
    requests: (last = 0) => call({ op: 'requests', last }),
    assertDone: () => call({ op: 'assertDone' }),
    async close() {
      await call({ op: 'close' });
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { startFakeOpenAI } = await import('../../tests/helpers/fakeOpenAI.ts');
  const fake = await startFakeOpenAI();
  port.on('message', async (c: Command) => {
    try {
      let value: unknown;
      if (c.op === 'script') fake.script(c.steps, { loop: c.loop });
      else if (c.op === 'requests') value = c.last ? fake.requests.slice(-c.last) : fake.requests;
      else if (c.op === 'assertDone') fake.assertDone();
      else await fake.close();
      port.postMessage({ id: c.id, ok: true, value } satisfies Reply);
    } catch (e) {
      port.postMessage({ id: c.id, ok: false, error: String(e) } satisfies Reply);
    }
  });
  port.postMessage({ ready: fake.baseURL } satisfies Reply);
}
