import { existsSync, readFileSync } from 'node:fs';
import { SQLITE_DRIVER_CHOICES, type SqliteDriverChoice } from '../sqlite/driver.js';
import { DEFAULT_DATABASE_URL } from '../store/database-url.js';
import { ConfigError } from './config-error.js';
import { parseDestinationRanges } from './destination-ranges.js';
import { parseTrustProxy } from './trust-proxy.js';

/** Settings of `outbound serve`. Flags override env (OUTBOUND_*), which overrides the file. */
export interface Config {
  /** TCP port. Default 8080 (env OUTBOUND_PORT). */
  port: number;
  /** Interface to listen on. Default 127.0.0.1; use 0.0.0.0 to serve other machines. */
  host: string;
  /** `sqlite:PATH`. Default sqlite:./data/outbound.db (env OUTBOUND_DATABASE_URL). */
  databaseUrl: string;
  /** Most delivery requests in flight across all recipients. Default 64. */
  concurrency: number;
  /** Delivered events are pruned after this many days; 0 keeps them. Default 7. */
  retentionDays: number;
  /** Largest accepted request body, in bytes. Default 1 MiB. */
  bodyLimitBytes: number;
  /** How long shutdown waits for requests in flight. Default 10 s. */
  shutdownTimeoutMs: number;
  /** Period of the safety-net sweep over all lanes. Default 1 s. */
  sweepIntervalMs: number;
  /** pino level: fatal, error, warn, info, debug, trace or silent. Default info. */
  logLevel: string;
  /**
   * With PostgreSQL, how long a node keeps its lanes without a heartbeat: a dead node's lanes
   * move to the others after about this long. Default 4,000 ms.
   */
  leaseMs: number;
  /**
   * The address administrators reach this service at, e.g. https://outbound.example.com:
   * alert mails link to the recipient's page there. Default none: no links (env
   * OUTBOUND_PUBLIC_URL).
   */
  publicUrl: string | null;
  /**
   * Delivery destinations: only these addresses and CIDR ranges (e.g. 10.0.0.0/8,192.0.2.7),
   * checked on the address each connection goes to. Built-in refusals (link-local, cloud
   * metadata, unspecified, multicast) stay unless an entry lies inside them. Default empty:
   * any address but the built-in refusals (env OUTBOUND_DESTINATION_ALLOW, comma-separated).
   */
  destinationAllow: string[];
  /**
   * Delivery destinations refused, over any allow entry, e.g. 127.0.0.0/8,::1/128 to keep
   * deliveries off this host. Default empty (env OUTBOUND_DESTINATION_DENY, comma-separated).
   */
  destinationDeny: string[];
  /**
   * Behind a reverse proxy: the proxies' addresses or CIDR ranges (env: comma-separated, e.g.
   * 127.0.0.1,10.0.0.0/8), whose X-Forwarded-For and X-Forwarded-Proto give the client's
   * address (sign-in slowdown, logs) and whether it came over TLS (Secure cookies). Default
   * false: those headers are ignored (env OUTBOUND_TRUST_PROXY).
   */
  trustProxy: string[] | false;
  /**
   * When set, `GET /metrics` needs `Authorization: Bearer <this token>`. Default none: the
   * metrics are public (env OUTBOUND_METRICS_TOKEN).
   */
  metricsToken: string | null;
  /**
   * Lets the Reporting and Command APIs read legacy `username`/`password` parameters, once an
   * administrator also turns it on (Management → API Configuration). It puts passwords in
   * URLs. Default false (env OUTBOUND_LEGACY_API_AUTH=true).
   */
  legacyApiAuth: boolean;
  /**
   * A JSON line per HTTP request once answered: method, route, path (credential-like query
   * values masked), status, time, client address, bytes. Never headers or bodies. Default
   * false (env OUTBOUND_ACCESS_LOG=true).
   */
  accessLog: boolean;
  /**
   * The `appliance_id` sent to recipients with sendApplianceId, instead of this installation's
   * generated GUID: for a site replacing an appliance whose GUID its receivers check. 1–255
   * printable characters. Default none: the generated id (env OUTBOUND_APPLIANCE_ID).
   */
  applianceId: string | null;
  /**
   * Which SQLite driver opens a sqlite: database: `node` (Node's built-in node:sqlite, nothing
   * to compile), `better-sqlite3` (the compiled addon), or `auto`: node:sqlite where it needs no
   * flag and prints no warning (Node ≥ 24.15), else better-sqlite3. Default auto (env
   * OUTBOUND_SQLITE_DRIVER).
   */
  sqliteDriver: SqliteDriverChoice;
  /**
   * The better-sqlite3 addon file (…/build/Release/better_sqlite3.node) to load instead of the
   * one in node_modules: one built for another Node, as `npm run bench` uses to measure both
   * drivers on one Node. Default none (env OUTBOUND_BETTER_SQLITE3_ADDON).
   */
  betterSqlite3Addon: string | null;
}

export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  databaseUrl: DEFAULT_DATABASE_URL,
  concurrency: 64,
  retentionDays: 7,
  bodyLimitBytes: 1024 * 1024,
  shutdownTimeoutMs: 10_000,
  sweepIntervalMs: 1000,
  logLevel: 'info',
  leaseMs: 4000,
  publicUrl: null,
  destinationAllow: [] as string[],
  destinationDeny: [] as string[],
  trustProxy: false,
  metricsToken: null,
  legacyApiAuth: false,
  accessLog: false,
  applianceId: null,
  sqliteDriver: 'auto' as SqliteDriverChoice,
  betterSqlite3Addon: null,
} satisfies Config;

const ENV: Record<keyof Config, string> = {
  port: 'OUTBOUND_PORT',
  host: 'OUTBOUND_HOST',
  databaseUrl: 'OUTBOUND_DATABASE_URL',
  concurrency: 'OUTBOUND_CONCURRENCY',
  retentionDays: 'OUTBOUND_RETENTION_DAYS',
  bodyLimitBytes: 'OUTBOUND_BODY_LIMIT_BYTES',
  shutdownTimeoutMs: 'OUTBOUND_SHUTDOWN_TIMEOUT_MS',
  sweepIntervalMs: 'OUTBOUND_SWEEP_INTERVAL_MS',
  logLevel: 'OUTBOUND_LOG_LEVEL',
  leaseMs: 'OUTBOUND_LEASE_MS',
  publicUrl: 'OUTBOUND_PUBLIC_URL',
  destinationAllow: 'OUTBOUND_DESTINATION_ALLOW',
  destinationDeny: 'OUTBOUND_DESTINATION_DENY',
  trustProxy: 'OUTBOUND_TRUST_PROXY',
  metricsToken: 'OUTBOUND_METRICS_TOKEN',
  legacyApiAuth: 'OUTBOUND_LEGACY_API_AUTH',
  accessLog: 'OUTBOUND_ACCESS_LOG',
  applianceId: 'OUTBOUND_APPLIANCE_ID',
  sqliteDriver: 'OUTBOUND_SQLITE_DRIVER',
  betterSqlite3Addon: 'OUTBOUND_BETTER_SQLITE3_ADDON',
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export { ConfigError };

/**
 * The configuration from, in rising precedence: defaults, the JSON file `configFile`
 * (env OUTBOUND_CONFIG), the environment, and `flags`. Throws ConfigError naming the setting.
 */
export function loadConfig(
  flags: Partial<Record<keyof Config, unknown>> = {},
  env: NodeJS.ProcessEnv = process.env,
  configFile: string | undefined = env.OUTBOUND_CONFIG,
): Config {
  const file = configFile === undefined ? {} : readConfigFile(configFile);
  const config: Record<string, unknown> = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof Config)[]) {
    const fromEnv = env[ENV[key]];
    const value =
      flags[key] ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined) ?? file[key];
    if (value !== undefined) config[key] = coerce(key, value);
  }
  return config as unknown as Config;
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`);
  }
  for (const key of Object.keys(parsed)) {
    if (!(key in DEFAULTS)) {
      throw new ConfigError(
        `config file ${path}: unknown setting "${key}"; known: ${Object.keys(DEFAULTS).join(', ')}`,
      );
    }
  }
  return parsed as Record<string, unknown>;
}

function coerce(key: keyof Config, value: unknown): unknown {
  const where = `${key} (env ${ENV[key]})`;
  if (key === 'destinationAllow' || key === 'destinationDeny') {
    return parseDestinationRanges(value, where);
  }
  if (key === 'trustProxy') return parseTrustProxy(value, where);
  if (typeof DEFAULTS[key] === 'boolean') {
    if (value === true || value === false) return value;
    const text = String(value).trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw new ConfigError(`${where} must be true or false, got "${value}"`);
  }
  if (typeof DEFAULTS[key] === 'number') {
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    const integer = key !== 'retentionDays';
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      throw new ConfigError(
        `${where} must be a ${integer ? 'whole ' : ''}number ≥ 0, got "${value}"`,
      );
    }
    if (key === 'port' && n > 65535) throw new ConfigError(`${where} must be at most 65535`);
    if (key === 'concurrency' && n < 1) throw new ConfigError(`${where} must be at least 1`);
    if (key === 'leaseMs' && n < 400) throw new ConfigError(`${where} must be at least 400`);
    return n;
  }
  const text = String(value);
  if (key === 'logLevel' && !LOG_LEVELS.includes(text)) {
    throw new ConfigError(`${where} must be one of ${LOG_LEVELS.join(', ')}`);
  }
  if (text === '') throw new ConfigError(`${where} must not be empty`);
  if (key === 'sqliteDriver' && !(SQLITE_DRIVER_CHOICES as string[]).includes(text)) {
    throw new ConfigError(
      `${where} must be one of ${SQLITE_DRIVER_CHOICES.join(', ')}, got ${JSON.stringify(text)}`,
    );
  }
  if (key === 'publicUrl') return publicUrl(text, where);
  if (key === 'betterSqlite3Addon' && !existsSync(text)) {
    throw new ConfigError(`${where} names no file: ${text}`);
  }
  if (key === 'applianceId') return applianceId(text, where);
  return text;
}

/**
 * A receiver compares the id with what it knows (a GUID, a host name): control characters or
 * spaces at either end would only make it not match, and 255 bounds every body it is added to.
 */
function applianceId(text: string, where: string): string {
  if (text.length > 255 || /\p{Cc}/u.test(text) || text.trim() !== text) {
    throw new ConfigError(
      `${where} must be 1–255 printable characters without spaces at either end (e.g. the appliance's GUID), got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`,
    );
  }
  return text;
}

/** An http(s) base address without a trailing slash, so that paths can be appended. */
function publicUrl(text: string, where: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${where} must be an http:// or https:// address, got "${text}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new ConfigError(
      `${where} must be an http:// or https:// address without query or fragment, got "${text}"`,
    );
  }
  return text.replace(/\/+$/, '');
}
