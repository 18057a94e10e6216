import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';

/** proxy-addr's names for ranges (Fastify passes the list to it). */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function addressProblem(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return false;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return true;
  if (prefix === undefined) return false;
  return !/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128);
}

/**
 * The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: a list of addresses
 * and CIDR ranges (comma-separated in the environment, a JSON list in the file), or false.
 * `true` is refused: it would let any client that reaches the port pick its own address (and
 * dodge the sign-in slowdown). So is a hop count: Fastify 5 no longer honours one, as it
 * cannot tell the proxy from a client that sends the headers itself.
 */
export function parseTrustProxy(value: unknown, where: string): string[] | false {
  if (value === false || value === 'false' || value === 'off') return false;
  if (value === true || value === 'true') {
    throw new ConfigError(
      `${where}: "true" would believe forwarded headers from anyone; list your proxy's addresses instead, e.g. 127.0.0.1 or 10.0.0.0/8`,
    );
  }
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value))) {
    throw new ConfigError(
      `${where}: a hop count cannot tell the proxy from a client that sends the headers itself; list your proxy's addresses instead, e.g. 127.0.0.1 or 10.0.0.0/8`,
    );
  }
  const entries = (Array.isArray(value) ? value : String(value).split(','))
    .map((entry) => String(entry).trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return false;
  for (const entry of entries) {
    if (addressProblem(entry)) {
      throw new ConfigError(
        `${where}: "${entry}" is not an IP address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1, loopback)`,
      );
    }
  }
  return entries;
}
