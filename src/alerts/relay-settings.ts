/**
 * Settings → Email: the SMTP relay as stored, as an administrator types it, and as pages and
 * the audit log may show it (the password never leaves the store once saved).
 */
import type { SettingsStore } from '../store/settings-store.js';
import { senderAddress } from './email-address.js';
import type { MailSettings } from './mail-settings.js';

/** The key of the relay in the settings table. */
export const MAIL_SETTINGS_KEY = 'mail';

const SECURITY = ['tls', 'starttls', 'none'] as const;

/** The usual port of each security mode, used when the port field is left empty. */
const DEFAULT_PORTS: Record<MailSettings['security'], number> = {
  tls: 465,
  starttls: 587,
  none: 25,
};

/** The form's fields as posted (strings), with tlsVerify a checkbox. */
export interface MailSettingsFields {
  host: string;
  port: string;
  security: string;
  tlsVerify: boolean;
  username: string;
  /** Empty: keep the stored password. */
  password: string;
  from: string;
}

export type MailSettingsErrors = Partial<Record<keyof MailSettingsFields, string>>;

export async function loadMailSettings(store: SettingsStore): Promise<MailSettings | undefined> {
  const value = (await store.get(MAIL_SETTINGS_KEY)) as MailSettings | undefined;
  return value ?? undefined;
}

export function saveMailSettings(
  store: SettingsStore,
  settings: MailSettings,
  now: number,
): Promise<void> {
  return store.put(MAIL_SETTINGS_KEY, settings, now);
}

/** What a page or the audit log may show: the password only as "set" or not. */
export function maskedMailSettings(settings: MailSettings | undefined) {
  if (settings === undefined) return null;
  return { ...settings, password: settings.password === null ? null : '********' };
}

/**
 * Validates the posted form; every wrong field gets its message. An empty password keeps
 * the stored one (the page never shows it); no username means no credentials at all.
 */
export function parseMailSettings(
  fields: MailSettingsFields,
  current: MailSettings | undefined,
): { ok: true; value: MailSettings } | { ok: false; errors: MailSettingsErrors } {
  const errors: MailSettingsErrors = {};
  const host = fields.host.trim();
  if (host === '' || host.length > 253 || /[\s/@]/.test(host)) {
    errors.host = 'SMTP relay: a host name or IP address, e.g. smtp.example.com';
  }
  const security = SECURITY.find((s) => s === fields.security);
  if (security === undefined) errors.security = 'Security: choose TLS, STARTTLS or none';
  const portText = fields.port.trim();
  const port = portText === '' ? DEFAULT_PORTS[security ?? 'starttls'] : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    errors.port = 'Port: a whole number from 1 to 65535 (465 for TLS, 587 for STARTTLS)';
  }
  const username = fields.username.trim();
  if (username.length > 256 || /[\r\n]/.test(username)) {
    errors.username = 'Username: at most 256 characters, on one line';
  }
  if (fields.password.length > 1024 || /[\r\n]/.test(fields.password)) {
    errors.password = 'Password: at most 1024 characters, on one line';
  }
  const from = senderAddress(fields.from);
  if (from === undefined) {
    errors.from = 'Sender address: an email address, e.g. Outbound <outbound@example.com>';
  }
  if (Object.keys(errors).length > 0 || security === undefined || from === undefined) {
    return { ok: false, errors };
  }
  const password =
    username === '' ? null : fields.password !== '' ? fields.password : (current?.password ?? null);
  return {
    ok: true,
    value: {
      host,
      port,
      security,
      tlsVerify: fields.tlsVerify,
      username: username === '' ? null : username,
      password,
      from,
    },
  };
}
