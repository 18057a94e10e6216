import * as init from './0001-init.js';
import * as sessions from './0002-sessions.js';
import * as admin from './0003-admin.js';
import * as recipientAlerts from './0004-recipient-alerts.js';
import * as deliveryChart from './0005-delivery-chart.js';
import * as settings from './0006-settings.js';
import * as recipientKind from './0007-recipient-kind.js';
import * as writerLock from './0008-writer-lock.js';
import * as applianceApis from './0009-appliance-apis.js';
import * as wireOptions from './0010-wire-options.js';
import * as idempotencyKeys from './0011-idempotency-keys.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In order; a migration's version is its place in this list. */
export const MIGRATIONS: readonly Migration[] = [
  init,
  sessions,
  admin,
  recipientAlerts,
  deliveryChart,
  settings,
  recipientKind,
  writerLock,
  applianceApis,
  wireOptions,
  idempotencyKeys,
].map((m, i) => ({
  version: i + 1,
  name: m.name,
  sql: m.sql,
}));
