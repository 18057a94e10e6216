import * as init from './0001-init.js';
import * as sessions from './0002-sessions.js';
import * as leases from './0003-leases.js';
import * as admin from './0004-admin.js';
import * as recipientAlerts from './0005-recipient-alerts.js';
import * as deliveryChart from './0006-delivery-chart.js';
import * as settings from './0007-settings.js';
import * as recipientKind from './0008-recipient-kind.js';
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
  leases,
  admin,
  recipientAlerts,
  deliveryChart,
  settings,
  recipientKind,
  applianceApis,
  wireOptions,
  idempotencyKeys,
].map((m, i) => ({
  version: i + 1,
  name: m.name,
  sql: m.sql,
}));
