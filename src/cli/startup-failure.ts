import { resolve } from 'node:path';
import { isStorageUnavailable, storageFaultOf } from '../store/storage-health.js';

/** Errors whose message already says what is wrong and what to do. */
const SELF_EXPLAINED = new Set([
  'OUTBOUND_CONFIG',
  'OUTBOUND_DATABASE_URL',
  'OUTBOUND_DATABASE_MISSING',
  'OUTBOUND_DATABASE_IN_USE',
  'OUTBOUND_STORAGE_LOST',
  'OUTBOUND_SQLITE_DRIVER',
]);

/** The database a URL names, as an operator would look for it (never its password). */
export function databaseLabel(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return path === ':memory:' ? path : resolve(path);
  }
  try {
    const url = new URL(databaseUrl);
    url.password = '';
    return url.toString();
  } catch {
    return 'the configured database';
  }
}

/**
 * What stopped `serve` from starting, in one line naming the cause: a corrupt or read-only
 * file, an unreachable PostgreSQL, a bad setting, a port in use.
 */
export function describeStartupFailure(error: unknown, databaseUrl: string): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && SELF_EXPLAINED.has(code)) return String(message);
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = error as { address?: string; port?: number };
    const where = address === undefined ? `port ${port}` : `${address}:${port}`;
    if (code === 'EADDRINUSE') {
      return `${where} is already in use (another outbound serve, or another program): stop it, or choose another port with --port or OUTBOUND_PORT`;
    }
    if (code === 'EACCES') {
      return `${where} may not be used by this user (ports below 1024 need privileges): choose another port with --port or OUTBOUND_PORT`;
    }
    return `${where} is not an address of this machine: choose another with --host or OUTBOUND_HOST`;
  }
  const fault =
    storageFaultOf(isStorageUnavailable(error) ? (error.cause ?? error) : error) ??
    (isStorageUnavailable(error) ? error.message : undefined);
  if (fault !== undefined) return `the database ${databaseLabel(databaseUrl)}: ${fault}`;
  const text = typeof message === 'string' && message !== '' ? message : String(error);
  return text.split('\n')[0] as string;
}

/**
 * Reports a failed start on stderr: one line, and the stack only when the log level asks for
 * detail (debug, trace), for the operator who wants to dig.
 */
export function reportStartupFailure(error: unknown, databaseUrl: string, logLevel: string): void {
  process.stderr.write(`outbound: cannot start: ${describeStartupFailure(error, databaseUrl)}\n`);
  if (logLevel === 'debug' || logLevel === 'trace') {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  }
}
