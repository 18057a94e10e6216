import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { Backend, TestDatabase } from './backends.js';

/** The database of the running test. */
export interface FreshStore {
  readonly db: TestDatabase;
  readonly store: Store;
}

/**
 * Gives each test of the enclosing `describe` its own migrated database, closed and deleted
 * after the test.
 */
export function freshStore(backend: Backend): FreshStore {
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    current = await backend.open();
    await current.store.migrate();
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  const db = (): TestDatabase => {
    if (current === undefined) throw new Error('no database outside a test');
    return current;
  };
  return {
    get db() {
      return db();
    },
    get store() {
      return db().store;
    },
  };
}
