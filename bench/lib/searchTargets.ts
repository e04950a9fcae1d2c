// The two databases under test, behind one small interface. Each loads vectors the fastest way it
// has (STACK.md): PGlite by binary COPY from a blob (text vectors parse slowly in WASM), the real
// server by unnest of text[] in batches. Both keep ONE connection, so SET applies to every query.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';

export interface BenchTarget {
  name: 'pglite' | 'pg';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Appends rows id = firstId … with the given vectors. */
  load(firstId: number, vectors: Float32Array[]): Promise<void>;
  /** Runs a long statement, reporting progress where the driver can (every few seconds). */
  runLong(sql: string, onProgress: (line: string) => void): Promise<void>;
  close(): Promise<void>;
}

/** A pgvector literal with the 9 significant digits a float4 needs, half the text of a double's 17. */
function vectorText(v: Float32Array): string {
  return `[${Array.from(v, (x) => x.toPrecision(9)).join(',')}]`;
}

const LOAD_SQL = 'INSERT INTO bench_embeddings (id, dim, embedding) SELECT x.id, $3, x.v::vector FROM unnest($1::bigint[], $2::text[]) AS x(id, v)';

/** PostgreSQL binary COPY of (id int8, dim int4, embedding vector): header, tuples, trailer. */
function binaryCopy(firstId: number, vectors: Float32Array[]): Blob {
  const dim = vectors[0]!.length;
  const tuple = 2 + (4 + 8) + (4 + 4) + (4 + 4 + 4 * dim);
  const buf = new ArrayBuffer(19 + vectors.length * tuple + 2);
  const view = new DataView(buf);
  new Uint8Array(buf).set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]); // PGCOPY\n\377\r\n\0
  let o = 19; // signature (11) + flags (4) + header extension length (4), all zero but the signature
  vectors.forEach((v, i) => {
    view.setInt16(o, 3);
    view.setInt32(o + 2, 8);
    view.setBigInt64(o + 6, BigInt(firstId + i));
    view.setInt32(o + 14, 4);
    view.setInt32(o + 18, dim);
    view.setInt32(o + 22, 4 + 4 * dim);
    // pgvector's binary form: int16 dimensions, int16 unused, then float4 values.
    view.setInt16(o + 26, dim);
    view.setInt16(o + 28, 0);
    for (let j = 0; j < dim; j++) view.setFloat32(o + 30 + 4 * j, v[j]!);
    o += tuple;
  });
  view.setInt16(o, -1);
  return new Blob([buf]);
}

const TABLE_SQL = 'CREATE TABLE bench_embeddings (id bigint PRIMARY KEY, dim int NOT NULL, embedding vector NOT NULL)';

/** PGlite in memory, or in `dataDir` (removed on close). */
export async function openPgliteTarget(dataDir?: string): Promise<BenchTarget> {
  const db = await PGlite.create({ dataDir, extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  await db.exec(TABLE_SQL);
  return {
    name: 'pglite',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    async load(firstId, vectors) {
      await db.query("COPY bench_embeddings (id, dim, embedding) FROM '/dev/blob' WITH (FORMAT binary)", [], {
        blob: binaryCopy(firstId, vectors),
      });
    },
    async runLong(sql, onProgress) {
      // PGlite runs on this thread: no progress can be read while the statement runs.
      onProgress('(PGlite is single-threaded: no progress until it finishes)');
      await db.exec(sql);
    },
    async close() {
      await db.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function openPgTarget(url: string): Promise<BenchTarget> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('CREATE EXTENSION IF NOT EXISTS vector');
  await admin.query(`CREATE SCHEMA ${schema}`);
  // public stays on the path: the vector type lives there.
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema},public` });
  await client.connect();
  await client.query(TABLE_SQL);
  return {
    name: 'pg',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async load(firstId, vectors) {
      await client.query(LOAD_SQL, [vectors.map((_, i) => firstId + i), vectors.map(vectorText), vectors[0]!.length]);
    },
    async runLong(sql, onProgress) {
      const timer = setInterval(() => {
        admin
          .query<{ phase: string; blocks_done: string; blocks_total: string }>(
            'SELECT phase, blocks_done, blocks_total FROM pg_stat_progress_create_index WHERE pid = $1',
            [(client as unknown as { processID: number }).processID],
          )
          .then(({ rows }) => {
            const r = rows[0];
            if (r) onProgress(`${r.phase}: ${r.blocks_done}/${r.blocks_total} blocks`);
          })
          .catch(() => {});
      }, 10_000);
      try {
        await client.query(sql);
      } finally {
        clearInterval(timer);
      }
    },
    async close() {
      await client.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
