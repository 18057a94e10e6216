import { describe, expect, it } from 'vitest';
import { StorageHealth, storageFaultOf } from '../../src/store/storage-health.js';

const error = (code: string | undefined, message: string) =>
  Object.assign(new Error(message), code === undefined ? {} : { code });

describe('storage faults', () => {
  it.each([
    ['SQLITE_FULL', /^disk full \(SQLITE_FULL: m\)$/],
    ['SQLITE_IOERR_WRITE', /^I\/O error/],
    ['SQLITE_READONLY_DBMOVED', /^the database is read-only/],
    ['SQLITE_CORRUPT', /^the database is corrupt/],
    ['SQLITE_NOTADB', /^the file is not a SQLite database/],
    ['ENOSPC', /^disk full/],
    ['ECONNREFUSED', /^PostgreSQL refused the connection/],
    ['08006', /^PostgreSQL connection lost/],
    ['57P01', /^PostgreSQL is shutting down/],
    ['53100', /^disk full on the PostgreSQL server/],
  ])('%s is a storage fault', (code, cause) => {
    expect(storageFaultOf(error(code, 'm'))).toMatch(cause);
  });

  it.each([['SQLITE_CONSTRAINT_UNIQUE'], ['SQLITE_BUSY'], ['23505'], ['OUTBOUND_INVALID_EVENT']])(
    '%s is not',
    (code) => {
      expect(storageFaultOf(error(code, 'm'))).toBeUndefined();
    },
  );

  it('node-postgres losses reported by message, and refusals inside an AggregateError', () => {
    expect(storageFaultOf(error(undefined, 'Connection terminated unexpectedly'))).toMatch(
      /^PostgreSQL connection lost/,
    );
    const both = new AggregateError([error('ECONNREFUSED', '::1'), error('ECONNREFUSED', 'v4')]);
    expect(storageFaultOf(both)).toMatch(/^PostgreSQL refused the connection/);
    expect(storageFaultOf(new Error('a bug'))).toBeUndefined();
    expect(storageFaultOf(undefined)).toBeUndefined();
  });
});

describe('storage health', () => {
  it('failing until a write succeeds; lost for good, with its first reason', () => {
    const health = new StorageHealth();
    const seen: string[] = [];
    health.onChange((state, reason) => seen.push(`${state}:${reason}`));
    health.failing('disk full');
    health.failing('disk full');
    expect(() => health.assertUsable()).not.toThrow();
    expect(health.error().message).toBe(
      'storage is failing: disk full; nothing was stored, try again later',
    );
    health.succeeded();
    expect(health.state).toBe('ok');
    health.lost('the database file was deleted');
    health.lost('something else');
    health.failing('disk full');
    health.succeeded();
    expect(health.state).toBe('lost');
    expect(() => health.assertUsable()).toThrow(/^storage is lost: the database file was deleted/);
    expect(seen).toEqual(['failing:disk full', 'ok:', 'lost:the database file was deleted']);
  });
});
