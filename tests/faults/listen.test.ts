// The LISTEN connection of a replica on PostgreSQL: terminated by the server or cut by the network,
// it comes back on its own, and no live event is lost — neither one NOTIFYed after the reconnect
// nor one committed while the connection was away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { LISTEN_APPLICATION, openPg } from '../../src/db/pg.ts';
import { publishEvent } from '../../src/domain/live/events.ts';
import { pgDriver } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually, openStream } from '../helpers/sse.ts';
import { startTcpProxy, type TcpProxy } from './tcpProxy.ts';

const url = process.env.TEST_DATABASE_URL;
const SHOP = 'fault-live';
// Under the handler's 20 s keep-alive re-read: an event seen sooner came through the hub.
const DELIVERY_MS = 8_000;

describe.skipIf(!url)('the live hub on PostgreSQL keeps its LISTEN connection [pg]', () => {
  let direct: { db: Db; dispose(): Promise<void> };
  let proxy: TcpProxy;
  let viaProxy: Db;
  let server: TestServer;
  let seq = 0;

  const publish = (text: string) =>
    publishEvent(direct.db, {
      shopId: SHOP,
      shopperId: null,
      conversationId: null,
      ticketId: ++seq,
      kind: 'ticket',
      audience: 'staff',
      payload: { change: text },
    });

  /** The backend pid of this server's LISTEN connection (it goes through our proxy). */
  async function listenerPid(): Promise<number | undefined> {
    const { rows } = await direct.db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND client_port = ANY($2::int[]) AND query LIKE 'LISTEN%'`,
      [LISTEN_APPLICATION, proxy.upstreamPorts()],
    );
    return rows.length === 1 ? rows[0]!.pid : undefined;
  }

  beforeAll(async () => {
    direct = await pgDriver.open();
    const { rows } = await direct.db.query<{ schema: string }>('SELECT current_schema() AS schema');
    const target = new URL(url!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    viaProxy = await openPg(proxy.url(url!), { schema: rows[0]!.schema, poolSize: 4 });
    server = await startTestServer(viaProxy);
  });
  afterAll(async () => {
    await server?.close();
    await viaProxy?.close();
    await proxy?.close();
    await direct?.dispose();
  });

  it('reconnects after Postgres terminates the LISTEN backend, and a NOTIFY after that reaches the stream', async () => {
    const stream = openStream(server.url, await server.token('s1', { shop: SHOP, role: 'staff' }));
    await stream.until((e) => e.event === 'ready', DELIVERY_MS);
    await publish('before');
    await stream.until((e) => e.data?.payload?.change === 'before', DELIVERY_MS);

    const pid = await eventually(listenerPid, 5_000, 'the LISTEN backend');
    const { rows } = await direct.db.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
    expect(rows[0]!.ok).toBe(true);
    const newPid = await eventually(async () => {
      const p = await listenerPid();
      return p !== undefined && p !== pid ? p : undefined;
    }, 10_000, 'a new LISTEN backend');
    expect(newPid).not.toBe(pid);

    await publish('after');
    await stream.until((e) => e.data?.payload?.change === 'after', DELIVERY_MS);
    stream.close();
  });

  it('catches up on the events committed while the connection was cut, then follows new ones', async () => {
    const stream = openStream(server.url, await server.token('s2', { shop: SHOP, role: 'staff' }));
    await stream.until((e) => e.event === 'ready', DELIVERY_MS);
    // Let the handler finish its first read and wait on the hub: the cut is to hit the LISTEN only.
    await new Promise((r) => setTimeout(r, 300));

    await proxy.cut();
    // Committed while this replica hears nothing: their NOTIFYs are lost for it.
    await publish('while-away-1');
    await publish('while-away-2');
    await new Promise((r) => setTimeout(r, 500));
    await proxy.restore();

    await stream.until((e) => e.data?.payload?.change === 'while-away-2', DELIVERY_MS);
    await eventually(listenerPid, 10_000, 'the LISTEN backend after the cut');
    await publish('back');
    await stream.until((e) => e.data?.payload?.change === 'back', DELIVERY_MS);
    const changes = stream.events.filter((e) => e.event === 'ticket').map((e) => e.data.payload.change);
    expect(changes).toEqual(['while-away-1', 'while-away-2', 'back']);
    stream.close();
  });
});
