import {
  type CustomField,
  type CustomFieldRow,
  type CustomFieldStore,
  toCustomField,
} from '../custom-field-store.js';
import type { SqliteConnection } from './database.js';

const LIST = `SELECT code_name, display_name, created_at FROM custom_fields ORDER BY code_name`;
const ADD = `
INSERT INTO custom_fields (code_name, display_name, created_at) VALUES (?, ?, ?)
ON CONFLICT (code_name) DO NOTHING`;
const REMOVE = `DELETE FROM custom_fields WHERE code_name = ?`;

/** The custom field definitions in the SQLite file, on the store's one connection. */
export class SqliteCustomFieldStore implements CustomFieldStore {
  constructor(private readonly conn: SqliteConnection) {}

  async list(): Promise<CustomField[]> {
    return (this.conn.statement(LIST).all() as CustomFieldRow[]).map(toCustomField);
  }

  async add(field: CustomField): Promise<boolean> {
    const statement = this.conn.statement(ADD);
    return this.conn.transaction(
      'FULL',
      () => statement.run(field.codeName, field.displayName, field.createdAt).changes === 1,
    );
  }

  async remove(codeName: string): Promise<boolean> {
    const statement = this.conn.statement(REMOVE);
    return this.conn.transaction('FULL', () => statement.run(codeName).changes === 1);
  }
}
