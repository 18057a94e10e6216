import type { ApiAccount, ApiUserGrants, CommandPermission } from './api-account-store.js';

/** Columns of api_accounts as both backends read them (SQLite's booleans are 0/1). */
export const ACCOUNT_COLUMNS =
  'id, name, client_id, reporting, command, enabled, created_at, updated_at';

export interface ApiAccountRow {
  id: number;
  name: string;
  client_id: string;
  reporting: number | boolean;
  command: string;
  enabled: number | boolean;
  created_at: number;
  updated_at: number;
}

export function toApiAccount(row: ApiAccountRow): ApiAccount {
  return {
    id: Number(row.id),
    name: row.name,
    clientId: row.client_id,
    reporting: Boolean(row.reporting),
    command: row.command as CommandPermission,
    enabled: Boolean(row.enabled),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface GrantRow {
  name: string;
  reporting_api: number | boolean;
  command_api: number | boolean;
}

export function toGrants(row: GrantRow): { name: string } & ApiUserGrants {
  return {
    name: row.name,
    reporting: Boolean(row.reporting_api),
    command: Boolean(row.command_api),
  };
}
