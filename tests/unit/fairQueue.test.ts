// PGlite settles a statement without any I/O. These tests prove the embedded database still lets the
// event loop turn under a stream of statements (so the server accepts connections and reads
// requests), and that statements keep their arrival order and their own results and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFairQueue, openPglite } from '../../src/db/pglite.ts';
import type { Db } from '../../src/db/db.ts';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createFairQueue', () => {
  it('runs operations one at a time in the order they came', async () => {
    const run = createFairQueue(1000);
    const log: string[] = [];
    const op = (name: string) => async () => {
      log.push(`${name} start`);
      await Promise.resolve();
      await Promise.resolve();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([run(op('a')), run(op('b')), run(op('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('gives a failed operation its own error and goes on with the next', async () => {
    const run = createFairQueue(1000);
    const failed = run(async () => {
      throw new Error('boom');
    });
    const next = run(async () => 'after');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
  });

  it('lets the event loop turn once operations have used up the slice', async () => {
    const run = createFairQueue(5);
    // Operations that settle without I/O, chained: on their own they would keep the loop from
    // reaching its check phase until all of them were done.
    let ops = 0;
    const busy = async () => {
      for (let i = 0; i < 200; i++) {
        await run(async () => {
          const until = performance.now() + 0.5;
          while (performance.now() < until);
          ops++;
        });
      }
    };
    let opsWhenTheLoopTurned = -1;
    setImmediate(() => {
      opsWhenTheLoopTurned = ops;
    });
    await Promise.all([busy(), busy(), busy()]);
    expect(opsWhenTheLoopTurned).toBeGreaterThan(0);
    expect(opsWhenTheLoopTurned).toBeLessThan(100);
  });
});

describe('PGlite under a stream of statements', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('still lets timers run while queries chain back to back', async () => {
    let queries = 0;
    let queriesWhenTheTimerFired = -1;
    setTimeout(() => {
      queriesWhenTheTimerFired = queries;
    }, 20);
    const client = async () => {
      for (let i = 0; i < 100; i++) {
        await db.query('SELECT 1');
        queries++;
      }
    };
    await Promise.all(Array.from({ length: 20 }, client));
    // 2,000 statements take far longer than 20 ms: the timer fired while they ran, not after.
    expect(queriesWhenTheTimerFired).toBeGreaterThan(0);
    expect(queriesWhenTheTimerFired).toBeLessThan(2000);
  });

  it('keeps transactions whole and in order with plain statements', async () => {
    await db.exec('CREATE TABLE fair_probe (n int)');
    const writes = Array.from({ length: 30 }, (_, n) =>
      n % 3 === 0
        ? db.transaction(async (tx) => {
            await tx.query('INSERT INTO fair_probe VALUES ($1)', [n]);
            await tx.query('INSERT INTO fair_probe VALUES ($1)', [n + 1000]);
          })
        : db.query('INSERT INTO fair_probe VALUES ($1)', [n]),
    );
    await Promise.all(writes);
    const { rows } = await db.query<{ n: number }>('SELECT n FROM fair_probe');
    const order = rows.map((r) => r.n).filter((n) => n < 1000);
    expect(order).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(rows).toHaveLength(40);
  });
});
