import type { RecipientOptionsSeen } from './recipient-options.js';

/** One request as the listener reports it (a JSON line, or one readable line). */
export interface ReceivedRecord {
  /** ISO 8601, UTC. */
  receivedAt: string;
  method: string;
  /** Path and query string, as sent. */
  path: string;
  /** The status the listener answered. */
  status: number;
  /** Answered with a failure on purpose (`--fail-rate`, `--status`). */
  failed: boolean;
  /** The same `webhook-id` was received before: a retry or a replay. */
  resent: boolean;
  /** content-type, user-agent, webhook-* and X-* headers, names in lower case. */
  headers: Record<string, string>;
  event: string | undefined;
  lsid: string | undefined;
  variables: Record<string, string>;
  problems: string[];
  /** The body as text when it was not a form (e.g. JSON). */
  body?: string;
  /**
   * The recipient options that would send what came (`repSurveyEventName: 'rep'`,
   * `sendApplianceId: true`, `sendCustomFields: [code names]`); absent for a guide-exact body.
   */
  recipientOptions?: RecipientOptionsSeen;
}

export function formatJson(record: ReceivedRecord): string {
  return JSON.stringify(record);
}

/** Long enough for every event but the two survey names, which are rare. */
const EVENT_COLUMN = 34;

const EVENT_COLOURS: Record<string, number> = {
  support_conference_begin: 32,
  support_conference_end: 35,
  support_conference_owner_changed: 36,
  support_conference_member_added: 34,
  support_conference_member_departed: 33,
};

/**
 * `10:42:07.311  support_conference_member_added     42  type=customer display_name="Zoë"`,
 * then `! problem` flags, the status when failing on purpose, and `(resent)` for a retry.
 */
export function formatLine(record: ReceivedRecord, options: { color: boolean }): string {
  const paint = (code: number, text: string) =>
    options.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  const time = paint(2, localTime(new Date(record.receivedAt)));
  const label = record.event ?? `${record.method} ${record.path}`;
  const event = paint(EVENT_COLOURS[record.event ?? ''] ?? 0, label.padEnd(EVENT_COLUMN));
  const parts = [time, event, paint(1, quote(record.lsid ?? '-'))];

  const others = Object.entries(record.variables)
    .filter(([key]) => key !== 'event' && key !== 'lsid')
    .map(([key, value]) => `${paint(2, `${quote(key)}=`)}${quote(value)}`);
  if (others.length > 0) parts.push(others.join(' '));
  if (record.body !== undefined) parts.push(paint(2, `body ${quote(shorten(record.body))}`));
  for (const problem of record.problems) parts.push(paint(31, `! ${problem}`));
  if (record.failed) parts.push(paint(31, `→ ${record.status}`));
  if (record.resent) parts.push(paint(2, '(resent)'));
  return parts.join('  ');
}

/** Quoted (JSON style) when the value holds spaces, quotes, `=`, control characters or nothing. */
export function quote(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  return value === '' || /[\s"'=\\\u0000-\u001f\u007f]/.test(value) ? JSON.stringify(value) : value;
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function localTime(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
