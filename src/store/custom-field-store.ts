/**
 * Custom session attributes an administrator defines (API Configuration): a code name, as
 * integrations send it (`session.custom.<code_name>`), and the name the reports show. The
 * values live in each session's state.
 */
export interface CustomField {
  codeName: string;
  displayName: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface CustomFieldStore {
  /** Every definition, by code name. */
  list(): Promise<CustomField[]>;
  /** Adds a definition; false (and nothing changed) when the code name is taken. */
  add(field: CustomField): Promise<boolean>;
  /** Removes a definition; false when there was none. */
  remove(codeName: string): Promise<boolean>;
}

/** A row of custom_fields, the same on both backends. */
export interface CustomFieldRow {
  code_name: string;
  display_name: string;
  created_at: number;
}

export const toCustomField = (row: CustomFieldRow): CustomField => ({
  codeName: row.code_name,
  displayName: row.display_name,
  createdAt: Number(row.created_at),
});
