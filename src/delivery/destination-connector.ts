import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { buildConnector } from 'undici';
import type { DestinationPolicy, Refusal } from './destination-policy.js';
import { DeliveryError, OUTBOUND_DESTINATION_REFUSED } from './errors.js';

/** Resolves a host name to all its addresses (dns.lookup with `all: true`). */
export type ResolveAll = (
  hostname: string,
  options: { family?: number | undefined; hints?: number | undefined },
) => Promise<LookupAddress[]>;

export const resolveWithDns: ResolveAll = (hostname, options) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    );
  });

/** TLS and socket options as undici's buildConnector takes them, and the resolver. */
export type DestinationConnectorOptions = ConnectorSettings & {
  /** How host names are resolved. Default dns.lookup (the system resolver, as Node uses). */
  resolve?: ResolveAll;
};

type ConnectorSettings = Pick<ConnectionOptions, 'rejectUnauthorized' | 'ca'> & {
  /** Connect time-out in milliseconds (undici's default 10 s). */
  timeout?: number;
};

export function refusedError(refusal: Refusal, hostname?: string): DeliveryError {
  const where = hostname === undefined ? '' : `${hostname}: `;
  return new DeliveryError(
    OUTBOUND_DESTINATION_REFUSED,
    `destination refused by the outbound policy: ${where}${refusal.reason}`,
  );
}

/**
 * An undici connector that connects only where `policy` allows. An address literal (or a
 * metadata host name) is judged before anything is sent; a host name is judged inside the
 * socket's own lookup, so the addresses checked are the very ones the socket connects to: no
 * DNS answer can change in between (rebinding), and every new connection is checked again.
 * Refused addresses among allowed ones are dropped; when none is left the connect fails with
 * OUTBOUND_ERR_DESTINATION_REFUSED. TLS keeps the host name for SNI and certificate checks,
 * because undici derives both from the URL's host, not from the address connected to.
 */
export function destinationConnector(
  policy: DestinationPolicy,
  options: DestinationConnectorOptions = {},
): buildConnector.connector {
  const { resolve = resolveWithDns, ...build } = options;
  const connect = buildConnector({ ...build, lookup: checkedLookup(policy, resolve) });
  return (opts, callback) => {
    const refusal = policy.checkHost(opts.hostname);
    if (refusal !== null) {
      // undici expects the callback after `connect` returns, as a socket's events would come.
      process.nextTick(callback, refusedError(refusal), null);
      return;
    }
    connect(opts, callback);
  };
}

/** A `lookup` for net/tls.connect that answers only the addresses the policy allows. */
function checkedLookup(policy: DestinationPolicy, resolve: ResolveAll): LookupFunction {
  return (hostname, options, callback) => {
    const answer = (addresses: LookupAddress[]) => {
      const allowed: LookupAddress[] = [];
      let refusal: Refusal | null = null;
      for (const a of addresses) {
        const refused = policy.checkAddress(a.address);
        if (refused === null) allowed.push(a);
        else refusal ??= refused;
      }
      const first = allowed[0];
      if (first === undefined) {
        const why = refusal ?? { reason: 'the host name has no address' };
        callback(refusedError(why, hostname), '', 0);
      } else if (options.all) {
        (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, allowed);
      } else {
        callback(null, first.address, first.family);
      }
    };
    // Answered outside the promise, as dns.lookup would: a throw in the socket's callback
    // must not turn into an unhandled rejection.
    resolve(hostname, { family: familyOf(options.family), hints: options.hints }).then(
      (addresses) => process.nextTick(answer, addresses),
      (error: NodeJS.ErrnoException) => process.nextTick(callback, error, '', 0),
    );
  };
}

function familyOf(family: number | string | undefined): number | undefined {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return typeof family === 'number' ? family : undefined;
}
