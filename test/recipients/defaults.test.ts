/**
 * A recipient's defaults are written once (src/recipients/defaults.ts): a new recipient from
 * the API, the CLI or the admin form, and an email recipient, all take them from there; the
 * SQL column defaults of released migrations agree with them and no insert relies on them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { valuesOf } from '../../src/admin/recipient-form.js';
import { emailRecipientInput } from '../../src/alerts/email-recipient.js';
import { OPENAPI } from '../../src/api/openapi.js';
import {
  RECIPIENT_DEFAULTS as D,
  MAX_ALERT_CONTACTS,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS,
  parseRecipientInput,
} from '../../src/recipients/index.js';
import * as postgresAlerts from '../../src/store/postgres/migrations/0005-recipient-alerts.js';
import * as postgresRecipients from '../../src/store/postgres/sql/recipients.js';
import * as sqliteAlerts from '../../src/store/sqlite/migrations/0004-recipient-alerts.js';
import * as sqliteRecipients from '../../src/store/sqlite/sql/recipients.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

describe('recipient defaults', () => {
  it('are what a new recipient gets when a field is left out', () => {
    expect(parseRecipientInput({ name: 'r', url: 'https://example.com/hook' })).toMatchObject({
      enabled: D.enabled,
      paused: D.paused,
      events: D.events,
      retryIntervalMs: D.retryIntervalSeconds * 1000,
      retryMaxIntervalMs: D.retryMaxIntervalSeconds * 1000,
      retryDurationMs: D.retryDurationSeconds * 1000,
      timeoutMs: D.timeoutSeconds * 1000,
      tlsVerify: D.tlsVerify,
      secretRotationMs: D.secretRotationSeconds * 1000,
      alertAfterMs: D.alertAfterSeconds * 1000,
      resendAlertsMs: D.resendAlertsSeconds * 1000,
    });
  });

  it('are what the admin form shows for a new recipient', () => {
    expect(valuesOf(undefined)).toMatchObject({
      enabled: D.enabled,
      retryIntervalSeconds: String(D.retryIntervalSeconds),
      retryDurationSeconds: String(D.retryDurationSeconds),
      timeoutSeconds: String(D.timeoutSeconds),
      tlsVerify: D.tlsVerify,
      alertAfterSeconds: String(D.alertAfterSeconds),
      resendAlertsSeconds: String(D.resendAlertsSeconds),
    });
  });

  it('are what an email recipient gets', () => {
    const made = emailRecipientInput('reports@example.com', ['support_conference_end'], []);
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    expect(made.value).toMatchObject({
      retryIntervalMs: D.retryIntervalSeconds * 1000,
      retryMaxIntervalMs: D.retryMaxIntervalSeconds * 1000,
      retryDurationMs: D.retryDurationSeconds * 1000,
      timeoutMs: D.timeoutSeconds * 1000,
      alertAfterMs: D.alertAfterSeconds * 1000,
      resendAlertsMs: D.resendAlertsSeconds * 1000,
    });
  });

  it('are what the OpenAPI document gives, with the limits', () => {
    const properties = OPENAPI.components.schemas.Recipient.properties as Record<
      string,
      { default?: unknown; maxItems?: number; maxProperties?: number; description?: string }
    >;
    for (const [key, value] of Object.entries(D)) {
      expect(properties[key]?.default, key).toEqual(value);
    }
    expect(properties.alertContacts?.maxItems).toBe(MAX_ALERT_CONTACTS);
    expect(properties.headers?.maxProperties).toBe(MAX_HEADERS);
    expect(properties.headers).toMatchObject({
      additionalProperties: { maxLength: MAX_HEADER_VALUE_LENGTH },
    });
    expect(properties.headers?.description).toMatch(/Keep-Alive/);
  });

  it.each([
    ['sqlite', sqliteAlerts.sql, sqliteRecipients.INSERT_RECIPIENT],
    ['postgres', postgresAlerts.sql, postgresRecipients.INSERT_RECIPIENT],
  ])('agree with the SQL column defaults (%s), which no insert relies on', (_, sql, insert) => {
    const columnDefault = (column: string) =>
      Number(new RegExp(`${column} \\w+ NOT NULL DEFAULT (\\d+)`).exec(sql)?.[1]);
    expect(columnDefault('alert_after_ms')).toBe(D.alertAfterSeconds * 1000);
    expect(columnDefault('resend_alerts_ms')).toBe(D.resendAlertsSeconds * 1000);
    for (const column of ['alert_contacts', 'alert_after_ms', 'resend_alerts_ms', 'kind']) {
      expect(insert).toContain(column);
    }
  });
});

describe('src/recipients/', () => {
  it('imports nothing of the folders that use it', () => {
    for (const file of readdirSync(join(SRC, 'recipients'))) {
      const text = readFileSync(join(SRC, 'recipients', file), 'utf8');
      for (const [, from] of text.matchAll(/from '([^']+)'/g)) {
        expect(from, `${file} imports ${from}`).toMatch(
          /^(\.\/|node:|\.\.\/events\/index\.js$|\.\.\/types\.js$|\.\.\/errors\.js$)/,
        );
      }
    }
  });
});
