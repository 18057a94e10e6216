import * as init from './0001-init.js';
import * as sessions from './0002-sessions.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In order; a migration's version is its place in this list. */
export const MIGRATIONS: readonly Migration[] = [init, sessions].map((m, i) => ({
  version: i + 1,
  name: m.name,
  sql: m.sql,
}));
