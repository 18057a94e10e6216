import {
  type CustomField,
  type CustomFieldRow,
  type CustomFieldStore,
  toCustomField,
} from '../custom-field-store.js';
import type { PostgresConnection } from './database.js';

const LIST = `SELECT code_name, display_name, created_at FROM custom_fields ORDER BY code_name`;
const ADD = `
INSERT INTO custom_fields (code_name, display_name, created_at) VALUES ($1, $2, $3)
ON CONFLICT (code_name) DO NOTHING`;
const REMOVE = `DELETE FROM custom_fields WHERE code_name = $1`;

/** The custom field definitions in the shared database: what one node saves, every node reads. */
export class PostgresCustomFieldStore implements CustomFieldStore {
  constructor(private readonly conn: PostgresConnection) {}

  async list(): Promise<CustomField[]> {
    return (await this.conn.pool().query<CustomFieldRow>(LIST)).rows.map(toCustomField);
  }

  async add(field: CustomField): Promise<boolean> {
    const values = [field.codeName, field.displayName, field.createdAt];
    return (await this.conn.pool().query(ADD, values)).rowCount === 1;
  }

  async remove(codeName: string): Promise<boolean> {
    return (await this.conn.pool().query(REMOVE, [codeName])).rowCount === 1;
  }
}
