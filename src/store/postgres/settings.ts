import type { SettingsStore } from '../settings-store.js';
import type { PostgresConnection } from './database.js';
import { GET_SETTING, PUT_SETTING, PUT_SETTING_IF_ABSENT } from './sql/settings.js';

/** The settings table in the shared database: what one node saves, every node reads. */
export class PostgresSettingsStore implements SettingsStore {
  constructor(private readonly conn: PostgresConnection) {}

  async get(key: string): Promise<unknown> {
    const { rows } = await this.conn.pool().query<{ value: string }>(GET_SETTING, [key]);
    const [row] = rows;
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  async put(key: string, value: unknown, now: number): Promise<void> {
    await this.conn.pool().query(PUT_SETTING, [key, JSON.stringify(value), now]);
  }

  async putIfAbsent(key: string, value: unknown, now: number): Promise<unknown> {
    await this.conn.pool().query(PUT_SETTING_IF_ABSENT, [key, JSON.stringify(value), now]);
    return this.get(key);
  }
}
