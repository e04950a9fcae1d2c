// A TCP proxy between the service and PostgreSQL that a test can cut and restore, so the database
// "goes away" for this service only (the shared server keeps running for everyone else).
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** The target URL with host and port replaced by the proxy's. */
  url(target: string): string;
  /** Drops every open connection and refuses new ones (ECONNREFUSED), as a stopped server does. */
  cut(): Promise<void>;
  /** Accepts connections but forwards nothing: a server (or network path) that hangs. */
  blackhole(): Promise<void>;
  /** Forwards again on the same port. */
  restore(): Promise<void>;
  /** Connections accepted so far (the service's pool and listener went through here). */
  accepted(): number;
  /** Local ports of the open connections to the target: pg_stat_activity.client_port of our backends. */
  upstreamPorts(): number[];
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  const upstreams = new Set<net.Socket>();
  let mode: 'forward' | 'blackhole' = 'forward';
  let accepted = 0;
  let port = 0;

  const server = net.createServer((client) => {
    accepted++;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    if (mode === 'blackhole') return;
    const upstream = net.connect(targetPort, targetHost);
    open.add(upstream);
    upstreams.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      upstreams.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = () => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as net.AddressInfo).port;
      resolve();
    });
  });
  const dropAll = () => {
    for (const s of open) s.destroy();
    open.clear();
  };
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  await listen();

  return {
    get port() {
      return port;
    },
    url(target) {
      const u = new URL(target);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async cut() {
      const closed = stopListening();
      dropAll();
      await closed;
    },
    async blackhole() {
      mode = 'blackhole';
      dropAll();
      if (!server.listening) await listen();
    },
    async restore() {
      mode = 'forward';
      if (!server.listening) await listen();
    },
    accepted: () => accepted,
    upstreamPorts: () => [...upstreams].map((s) => s.localPort).filter((p): p is number => p !== undefined),
    async close() {
      const closed = stopListening();
      dropAll();
      await closed;
    },
  };
}
