import type { SessionAttribute } from '../operations/session-commands.js';
import { escapeAttribute, escapeText } from '../reporting/xml-writer.js';
import { COMMAND_NS, XML_DECLARATION } from './xml-reply.js';

/*
 * The Command API's answers: small XML documents in the command namespace, each with one root
 * element, as the appliance gives them (`<success>`, `<custom_attributes>`, `<session_key>`,
 * `<api_information>`; errors are xml-reply.ts's `<error>`). Text goes through the reports'
 * escaping: a character XML cannot carry (a custom value may hold one) is written as U+FFFD.
 */

/** The API version get_api_info reports: the appliance release whose command API this mirrors. */
export const API_VERSION = '1.22.2';

const root = (name: string, inner: string) =>
  `${XML_DECLARATION}<${name} xmlns="${COMMAND_NS}">${inner}</${name}>\n`;

const element = (name: string, text: string) => `<${name}>${escapeText(text)}</${name}>`;

/** `<success>message</success>`, as the appliance words each action's success. */
export function successXml(message: string): string {
  return root('success', escapeText(message));
}

/** get_session_attributes: one `custom_attribute` per attribute set on the session. */
export function customAttributesXml(attributes: SessionAttribute[]): string {
  const inner = attributes
    .map(
      (a) =>
        `<custom_attribute display_name="${escapeAttribute(a.displayName)}" code_name="${escapeAttribute(a.codeName)}">${escapeText(a.value)}</custom_attribute>`,
    )
    .join('');
  return root('custom_attributes', inner);
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export interface SessionKeyAnswer {
  shortKey: string;
  keyUrl: string;
  expiresAt: number;
}

/**
 * generate_session_key: the key, the URL that carries it, a mail a representative could send
 * the customer, and when the key expires (Unix seconds in `timestamp`, ISO text).
 */
export function sessionKeyXml(key: SessionKeyAnswer): string {
  const expires = Math.floor(key.expiresAt / 1000);
  return root(
    'session_key',
    element('short_key', key.shortKey) +
      element('key_url', key.keyUrl) +
      element('mail_subject', 'Support session invitation') +
      element(
        'mail_body',
        `To start your support session, go to ${key.keyUrl} or enter the session key ${key.shortKey}. The key expires at ${isoSeconds(key.expiresAt)}.`,
      ) +
      `<expires timestamp="${expires}">${isoSeconds(key.expiresAt)}</expires>`,
  );
}

/** The permissions get_api_info lists: the appliance's names, ours filled in, the rest 0. */
export interface ApiPermissions {
  command: 'full' | 'read_only' | 'deny';
  reportingSupport: boolean;
}

/**
 * get_api_info: `api_information` as the root (a client checks that name), the version, the
 * server time (Unix seconds) and the caller's permissions, one `permission` element each.
 */
export function apiInformationXml(now: number, permissions: ApiPermissions): string {
  const flags: Array<[string, string, 'int' | 'string']> = [
    ['perm_backup', '0', 'int'],
    ['perm_command', permissions.command, 'string'],
    ['perm_configuration', '0', 'int'],
    ['perm_configuration_vault_account', '0', 'int'],
    ['perm_ecm', '0', 'int'],
    ['perm_real_time_state', '0', 'int'],
    ['perm_reporting_archive', '0', 'int'],
    ['perm_reporting_license', '0', 'int'],
    ['perm_reporting_presentation', '0', 'int'],
    ['perm_reporting_support', permissions.reportingSupport ? '1' : '0', 'int'],
  ];
  const list = flags
    .map(
      ([name, value, type]) =>
        `<permission perm_name="${name}" value="${escapeAttribute(value)}" value_type="${type}"/>`,
    )
    .join('');
  return root(
    'api_information',
    element('api_version', API_VERSION) +
      element('company_name', 'Outbound') +
      element('timestamp', String(Math.floor(now / 1000))) +
      `<permissions>${list}</permissions>`,
  );
}
