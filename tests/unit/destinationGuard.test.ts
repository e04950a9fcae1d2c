// Where an outgoing request whose URL someone else chose may go: public addresses on 80 and 443,
// or what the operator allows; every spelling of an address is the address it names.
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { blockedKind } from '../../src/net/blockedAddresses.ts';
import { createDestinationGuard, parseAllowedHost, RefusedDestination, type DestinationGuard } from '../../src/net/destinationGuard.ts';

const strict = createDestinationGuard({ allowHosts: [] });

describe('addresses a request must not reach', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['10.20.30.40', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.0.10', 'a private address'],
    ['::ffff:192.168.0.10', 'a private address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['100.127.255.254', 'a carrier-grade NAT address'],
    ['169.254.169.254', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['fc00::1', 'a unique-local address'],
    ['fd00:ec2::254', 'a unique-local address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['192.0.2.1', 'a documentation address'],
    ['2001:db8::1', 'a documentation address'],
    ['198.18.0.1', 'a benchmarking address'],
    ['240.0.0.1', 'a reserved address'],
    ['2002:7f00:1::', 'a reserved address'],
    ['2001:0:4136:e378::1', 'a reserved address'],
    ['64:ff9b::7f00:1', 'not a public IPv6 address'],
    ['::ffff:8.8.8.8', 'not a public IPv6 address'],
  ])('%s is %s', (address, kind) => {
    expect(blockedKind(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '2606:4700:4700::1111', '2400:3200::1'])(
    'lets the public address %s through',
    (address) => {
      expect(blockedKind(address)).toBeNull();
    },
  );
});

describe('a URL by itself', () => {
  it.each([
    ['http://0x7f000001/hook', '127.0.0.1 is a loopback address'],
    ['http://2130706433/hook', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/hook', '127.0.0.1 is a loopback address'],
    ['http://017700000001/hook', '127.0.0.1 is a loopback address'],
    ['http://127.1/hook', '127.0.0.1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1 is a loopback address'],
    ['http://[0:0:0:0:0:0:0:1]/hook', '::1 is a loopback address'],
    ['http://0/hook', '0.0.0.0 is an unspecified address'],
    ['http://localhost/hook', 'localhost is a local name'],
    ['http://LocalHost./hook', 'localhost is a local name'],
    ['http://api.localhost/hook', 'api.localhost is a local name'],
    ['http://printer.local/hook', 'printer.local is a local name'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a local name'],
    ['http://router.home.arpa/', 'router.home.arpa is a local name'],
    ['http://redis/hook', 'redis is not a public host name'],
    ['https://mall.example.com:8443/hook', 'port 8443 is not 80 or 443'],
    ['http://8.8.8.8:25/', 'port 25 is not 80 or 443'],
    ['ftp://mall.example.com/hook', 'ftp: is not http or https'],
    ['not a url', 'not a URL'],
  ])('refuses %s: %s', (url, reason) => {
    expect(strict.check(url)).toEqual({ ok: false, reason });
  });

  it.each(['https://mall.example.com/laotie/reminders', 'http://mall.example.com:80/hook', 'https://8.8.8.8/hook', 'https://[2606:4700::1111]/hook', 'http://shop.example.cn:443/x'])(
    'takes %s',
    (url) => {
      expect(strict.check(url)).toEqual({ ok: true, allowed: false });
    },
  );
});

describe('hosts the operator allows (WEBHOOK_ALLOW_HOSTS)', () => {
  const guard = createDestinationGuard({
    allowHosts: ['127.0.0.1:9000', 'mall.internal', '[::1]:8080', 'Hooks.Corp.Example.'].map(parseAllowedHost),
  });

  it('skip the address and port checks for the listed host, on the listed port or on any', () => {
    expect(guard.check('http://127.0.0.1:9000/hook')).toEqual({ ok: true, allowed: true });
    expect(guard.check('http://0x7f000001:9000/hook')).toEqual({ ok: true, allowed: true });
    expect(guard.check('http://mall.internal:8080/hook')).toEqual({ ok: true, allowed: true });
    expect(guard.check('https://mall.internal/hook')).toEqual({ ok: true, allowed: true });
    expect(guard.check('http://[::1]:8080/hook')).toEqual({ ok: true, allowed: true });
    expect(guard.check('http://hooks.corp.example:3000/hook')).toEqual({ ok: true, allowed: true });
  });

  it('allow nothing else: another port, another host at that address', () => {
    expect(guard.check('http://127.0.0.1:9001/hook')).toEqual({ ok: false, reason: '127.0.0.1 is a loopback address' });
    expect(guard.check('http://127.0.0.1/hook')).toEqual({ ok: false, reason: '127.0.0.1 is a loopback address' });
    expect(guard.check('http://[::1]:8081/hook')).toEqual({ ok: false, reason: '::1 is a loopback address' });
    expect(guard.check('http://other.internal/hook')).toEqual({ ok: false, reason: 'other.internal is a local name' });
  });

  it.each(['', 'http://mall.example.com', 'mall.example.com/hook', 'a b', 'mall.example.com:99999', 'user@mall.example.com', '::1'])(
    'refuses the entry %j',
    (entry) => {
      expect(() => parseAllowedHost(entry)).toThrow(/is not a host name or host:port/);
    },
  );
});

describe('at connection time', () => {
  const lookupAll = (guard: DestinationGuard, host: string) =>
    new Promise<LookupAddress[]>((resolve, reject) =>
      guard.lookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses as LookupAddress[]))),
    );

  it('refuses a name when any address it resolves to is refused, naming the address', async () => {
    const err = await lookupAll(strict, 'localhost').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedDestination);
    expect((err as RefusedDestination).message).toMatch(/^refused destination: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
  });

  it('follows no redirect: an allowed receiver cannot send the request on to a refused address', async () => {
    const listen = async (handler: Parameters<typeof createServer>[1]) => {
      const server = createServer(handler);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, port: (server.address() as AddressInfo).port };
    };
    let reached = 0;
    const inside = await listen((_req, res) => {
      reached++;
      res.end('secret');
    });
    const allowed = await listen((_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${inside.port}/` }).end());
    const guard = createDestinationGuard({ allowHosts: [parseAllowedHost(`127.0.0.1:${allowed.port}`)] });
    try {
      await expect(guard.fetch(`http://127.0.0.1:${allowed.port}/hook`, { method: 'POST', body: '{}' })).rejects.toThrow();
      expect(reached).toBe(0);
    } finally {
      await guard.close();
      const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));
      await Promise.all([close(inside.server), close(allowed.server)]);
    }
  });

  it('refuses before connecting, with the refusal and not a socket error', async () => {
    await expect(strict.fetch('http://127.0.0.1:1/hook')).rejects.toThrow(new RefusedDestination('127.0.0.1 is a loopback address'));
    await expect(strict.fetch('http://localhost/hook', { method: 'POST' })).rejects.toBeInstanceOf(RefusedDestination);
  });
});
