import type { SettingsStore } from '../settings-store.js';
import type { SqliteConnection } from './database.js';
import { GET_SETTING, PUT_SETTING, PUT_SETTING_IF_ABSENT } from './sql/settings.js';

/** The settings table in the SQLite file, on the store's one connection. */
export class SqliteSettingsStore implements SettingsStore {
  constructor(private readonly conn: SqliteConnection) {}

  async get(key: string): Promise<unknown> {
    const row = this.conn.statement(GET_SETTING).get(key) as { value: string } | undefined;
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  async put(key: string, value: unknown, now: number): Promise<void> {
    const statement = this.conn.statement(PUT_SETTING);
    this.conn.transaction('FULL', () => statement.run(key, JSON.stringify(value), now));
  }

  async putIfAbsent(key: string, value: unknown, now: number): Promise<unknown> {
    const statement = this.conn.statement(PUT_SETTING_IF_ABSENT);
    this.conn.transaction('FULL', () => statement.run(key, JSON.stringify(value), now));
    return this.get(key);
  }
}
