// Where the service may send a request whose URL someone else chose (a shop's webhook, later a
// shop's model base URL): only to public addresses on the web's ports, unless an operator allows
// the host. Checked twice: the URL when it is saved (a clear 400), and every address the host
// resolves to when the request connects, since DNS may answer differently by then. The connection
// uses the addresses that were checked (the check sits in the socket's own lookup), so a name
// cannot resolve to a public address for the check and to a private one for the connection.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';
import { blockedKind } from './blockedAddresses.ts';

/** A host (any port) or host:port an operator lets through without the address and port checks. */
export interface AllowedHost {
  host: string;
  port: number | null;
}

const WEB_PORTS = new Set([80, 443]);
// Names kept for one machine or one network, never a public receiver (RFC 6761, 6762, 8375; ICANN's .internal).
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa'];

/** Thrown (or given as the cause of a failed request) when a destination is refused. */
export class RefusedDestination extends Error {
  readonly code = 'ERR_REFUSED_DESTINATION';
  constructor(readonly reason: string) {
    super(`refused destination: ${reason}`);
    this.name = 'RefusedDestination';
  }
}

/** The RefusedDestination in an error or its causes (a failed fetch wraps the socket's error). */
export function refusalIn(e: unknown): RefusedDestination | null {
  for (let x = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    if (x instanceof RefusedDestination) return x;
  }
  return null;
}

/** A URL's host as compared and resolved: lower case, no brackets around IPv6, no trailing dot. */
function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/** Parses one WEBHOOK_ALLOW_HOSTS entry: `name`, `name:port`, an address, `[IPv6]:port`. */
export function parseAllowedHost(entry: string): AllowedHost {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/?#@[\]\s]+)(?::(\d{1,5}))?$/.exec(entry.trim());
  const port = m?.[2] === undefined ? null : Number(m[2]);
  let host: string | null = null;
  try {
    // The URL parser spells the host the way a webhook URL's host will be spelled (127.1 → 127.0.0.1).
    if (m) host = bareHost(new URL(`http://${m[1]}/`).hostname);
  } catch {
    host = null;
  }
  if (!host || (port !== null && (port < 1 || port > 65_535))) {
    throw new Error(`"${entry}" is not a host name or host:port`);
  }
  return { host, port };
}

export type Verdict = { ok: true; allowed: boolean } | { ok: false; reason: string };

export interface DestinationGuard {
  /** What the URL shows by itself: scheme, port, a literal address, a name kept for local use. */
  check(url: string): Verdict;
  /** A DNS lookup for sockets (net.connect's `lookup`) that fails when any address is refused. */
  lookup: LookupFunction;
  /** fetch, connecting only where `check` and `lookup` allow; a refusal rejects with RefusedDestination.
   *  A redirect is an error: its target is not checked. */
  fetch(url: string, init?: Omit<RequestInit, 'dispatcher' | 'redirect'>): Promise<Response>;
  /** Closes the guard's connections (at shutdown). */
  close(): Promise<void>;
}

export function createDestinationGuard(opts: { allowHosts: readonly AllowedHost[] }): DestinationGuard {
  const isAllowed = (host: string, port: number) => opts.allowHosts.some((a) => a.host === host && (a.port === null || a.port === port));

  function check(raw: string): Verdict {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: 'not a URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `${url.protocol} is not http or https` };
    const host = bareHost(url.hostname);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    if (isAllowed(host, port)) return { ok: true, allowed: true };
    if (isIP(host)) {
      const kind = blockedKind(host);
      if (kind) return { ok: false, reason: `${host} is ${kind}` };
    } else if (host === 'localhost' || LOCAL_SUFFIXES.some((s) => host.endsWith(s))) {
      return { ok: false, reason: `${host} is a local name` };
    } else if (!host.includes('.')) {
      return { ok: false, reason: `${host} is not a public host name` };
    }
    if (!WEB_PORTS.has(port)) return { ok: false, reason: `port ${port} is not 80 or 443` };
    return { ok: true, allowed: false };
  }

  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family, hints: options.hints, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      // Every address, not only the first: the socket may try the others (happy eyeballs).
      for (const a of addresses) {
        const kind = blockedKind(a.address);
        if (kind) return callback(new RefusedDestination(`${hostname} resolves to ${a.address}, ${kind}`) as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  // Created on first use: a guard used only to validate settings opens no connection pool.
  let checked: Agent | undefined;
  let open: Agent | undefined;

  return {
    check,
    lookup,
    async fetch(url, init = {}) {
      const verdict = check(url);
      if (!verdict.ok) throw new RefusedDestination(verdict.reason);
      const dispatcher = verdict.allowed ? (open ??= new Agent()) : (checked ??= new Agent({ connect: { lookup } }));
      try {
        // A redirect to a literal address would never pass through `lookup`: not followed.
        return await undiciFetch(url, { ...init, redirect: 'error', dispatcher });
      } catch (e) {
        throw refusalIn(e) ?? e;
      }
    },
    async close() {
      await Promise.all([checked?.close(), open?.close()]);
      checked = open = undefined;
    },
  };
}
