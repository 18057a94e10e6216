import { EVENT_NAMES } from '../events/index.js';
import {
  checkIntervals,
  RECIPIENT_DEFAULTS as D,
  MASK,
  maskHeaderValue,
  maskSecret,
  maskUrl,
  parseRecipientInput,
  parseRecipientPatch,
  RecipientSettingsError,
  splitAddresses,
} from '../recipients/index.js';
import type { Recipient, RecipientInput, RecipientPatch } from '../types.js';
import type { Form } from './form.js';
import { type Mask, postedInFull, type ShowableField, unmasked } from './masked-field.js';

/** What the form shows: the fields as typed (or as stored), with an error per field. */
export interface RecipientFormValues {
  enabled: boolean;
  name: string;
  url: string;
  events: string[];
  retryIntervalSeconds: string;
  retryDurationSeconds: string;
  timeoutSeconds: string;
  tlsVerify: boolean;
  headers: string;
  /** Masked; the secret itself is never put back into a page. */
  secretMasked: string | null;
  hasCa: boolean;
  /** Email Contact: addresses, one per line. */
  alertContacts: string;
  alertAfterSeconds: string;
  resendAlertsSeconds: string;
  /** Wire compatibility: 'guide' or 'rep' (as posted: anything else is refused). */
  repSurveyEventName: string;
  sendApplianceId: boolean;
  sendCustomFields: boolean;
}

export type FieldErrors = Partial<Record<string, string>>;

/** The form's labels, used in the messages shown next to each field. */
const LABELS: Record<string, string> = {
  name: 'Name',
  url: 'URL',
  events: 'Events to Send',
  retryIntervalSeconds: 'Retry Interval',
  retryMaxIntervalSeconds: 'Retry Interval',
  retryDurationSeconds: 'Retry Duration',
  timeoutSeconds: 'Request time-out',
  caCertificate: 'CA certificate',
  headers: 'Extra headers',
  secret: 'Signing secret',
  alertContacts: 'Email Contact',
  alertAfterSeconds: 'Send Email Alert After',
  resendAlertsSeconds: 'Resend Email Alerts',
  repSurveyEventName: 'Representative exit survey event name',
  sendApplianceId: 'Send appliance id',
  sendCustomFields: 'Send custom fields',
};

export function valuesOf(r: Recipient | undefined): RecipientFormValues {
  return {
    enabled: r?.enabled ?? D.enabled,
    name: r?.name ?? '',
    url: r?.url ?? '',
    events: r === undefined || r.events === 'all' ? [...EVENT_NAMES] : r.events,
    retryIntervalSeconds: String(
      r === undefined ? D.retryIntervalSeconds : r.retryIntervalMs / 1000,
    ),
    retryDurationSeconds: String(
      r === undefined ? D.retryDurationSeconds : r.retryDurationMs / 1000,
    ),
    timeoutSeconds: String(r === undefined ? D.timeoutSeconds : r.timeoutMs / 1000),
    tlsVerify: r?.tlsVerify ?? D.tlsVerify,
    headers: Object.entries(r?.headers ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
    secretMasked: r?.secret ? maskSecret(r.secret) : null,
    hasCa: r?.caPem != null,
    alertContacts: (r?.alertContacts ?? []).join('\n'),
    alertAfterSeconds: String(r === undefined ? D.alertAfterSeconds : r.alertAfterMs / 1000),
    resendAlertsSeconds: String(r === undefined ? D.resendAlertsSeconds : r.resendAlertsMs / 1000),
    repSurveyEventName: r?.repSurveyEventName ?? D.repSurveyEventName,
    sendApplianceId: r?.sendApplianceId ?? D.sendApplianceId,
    sendCustomFields: r?.sendCustomFields ?? D.sendCustomFields,
  };
}

/**
 * The URL a form posted. The edit form shows the saved URL masked until "Show" is pressed: the
 * masked value posted back untouched means "keep the saved URL"; any other value still holding
 * the mask is refused (masked-field.ts).
 */
export function postedUrl(
  posted: string,
  current: Recipient | undefined,
): { value: string; error?: string } {
  const url = unmasked(posted, current?.url, maskUrl);
  if (!url.stillMasked) return { value: url.value };
  return {
    value: posted,
    error: `URL: still holds a masked part (${MASK}): press Show and edit the full URL`,
  };
}

/** The "Extra headers" box with every value masked (`Name: •••`), lines and names as they are. */
export function maskHeaderText(text: string): string {
  return text
    .split(/(\r?\n)/)
    .map((line, i) => {
      const at = line.indexOf(':');
      // Odd items are the line breaks; a line without a name is left as typed (and refused).
      if (i % 2 === 1 || at <= 0) return line;
      return `${line.slice(0, at + 1)} ${maskHeaderValue(line.slice(at + 1).trim())}`;
    })
    .join('');
}

/** How each field the edit form masks is shown until "Show", as its text in the form. */
export const FIELD_MASKS: Record<ShowableField, Mask> = { url: maskUrl, headers: maskHeaderText };

/** Whether the form, showing these values, hides part of `field` (so "Show" reveals something). */
export const hidesSecret = (values: RecipientFormValues, field: ShowableField): boolean =>
  FIELD_MASKS[field](values[field]) !== values[field];

/**
 * Whether a refused form shows the posted `field` again as it was, rather than masked: when it
 * holds something the mask would hide (typed, or after "Show").
 */
export const shownInFull = (form: Form, field: ShowableField): boolean =>
  postedInFull((form.get(field) ?? '').trim(), FIELD_MASKS[field]);

/** "Name: value" lines into an object; undefined values mark a malformed line. */
function headerLines(text: string): { headers: Record<string, string> } | { error: string } {
  // No prototype: a `__proto__: x` line reaches the headers check (and is refused), not dropped.
  const headers: Record<string, string> = Object.create(null);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) {
    const at = line.indexOf(':');
    if (at <= 0) return { error: `line ${i + 1}: write each header as "Name: value"` };
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { headers };
}

/**
 * The headers a form posted. The edit form shows every saved value masked until "Show": a
 * header posted back with its masked value keeps its saved value (so that one can be added or
 * removed without Show); any other value still holding the mask is refused, naming the header.
 */
function postedHeaders(
  text: string,
  current: Recipient | undefined,
): { headers: Record<string, string> } | { error: string } {
  const lines = headerLines(text);
  if ('error' in lines) return lines;
  const saved = current?.headers ?? {};
  for (const [name, value] of Object.entries(lines.headers)) {
    const lower = name.toLowerCase();
    const header = unmasked(
      value,
      Object.hasOwn(saved, lower) ? saved[lower] : undefined,
      maskHeaderValue,
    );
    if (header.stillMasked) {
      return {
        error: `${name}: still holds a masked value (${MASK}): press Show and type the full value`,
      };
    }
    lines.headers[name] = header.value;
  }
  return lines;
}

const seconds = (text: string | undefined) =>
  text === undefined || text.trim() === '' ? Number.NaN : Number(text.trim());

/** The settings' field (`headers.X-Key`, `retryMaxIntervalSeconds`) as the form's field. */
function formField(field: string | undefined): string {
  if (field === undefined) return 'form';
  if (field.startsWith('headers')) return 'headers';
  if (field === 'retryMaxIntervalSeconds') return 'retryIntervalSeconds';
  return field;
}

function labelled(error: RecipientSettingsError): string {
  const field = error.field ?? '';
  // One box holds every header: the message names the one at fault.
  const header = field.startsWith('headers.') ? `: ${field.slice('headers.'.length)}` : '';
  const base = LABELS[formField(field)];
  const label = LABELS[field] ?? (base === undefined ? undefined : `${base}${header}`);
  return label && error.message.startsWith(field)
    ? `${label}${error.message.slice(field.length)}`
    : error.message;
}

export type RecipientFormResult<T> =
  | { ok: true; value: T }
  | { ok: false; values: RecipientFormValues; errors: FieldErrors };

/**
 * Reads the posted form into the API's JSON shape and validates it with the same checks as
 * the API (src/recipients/), one field at a time, so that every wrong field gets its message
 * next to it.
 */
function read(form: Form, current: Recipient | undefined, now: number) {
  const events = form.all('events');
  const url = postedUrl((form.get('url') ?? '').trim(), current);
  const body: Record<string, unknown> = {
    name: form.get('name') ?? '',
    url: url.value,
    enabled: form.has('enabled'),
    tlsVerify: form.has('tlsVerify'),
    events: events.length === EVENT_NAMES.length ? 'all' : events,
    retryIntervalSeconds: seconds(form.get('retryIntervalSeconds')),
    retryDurationSeconds: seconds(form.get('retryDurationSeconds')),
    timeoutSeconds: seconds(form.get('timeoutSeconds')),
  };
  // Alert fields only when posted: a form without them leaves them as they are.
  const contacts = form.get('alertContacts');
  if (contacts !== undefined) body.alertContacts = splitAddresses(contacts);
  for (const key of ['alertAfterSeconds', 'resendAlertsSeconds']) {
    if (form.has(key)) body[key] = seconds(form.get(key));
  }
  // The wire fieldset only when posted (its radio buttons always post one): a form without it
  // leaves the options as they are; with it, an unticked box turns its option off.
  const wire = form.has('repSurveyEventName');
  if (wire) {
    body.repSurveyEventName = form.get('repSurveyEventName');
    body.sendApplianceId = form.has('sendApplianceId');
    body.sendCustomFields = form.has('sendCustomFields');
  }
  const errors: FieldErrors = {};
  if (url.error !== undefined) errors.url = url.error;
  if (events.length === 0) errors.events = 'Events to Send: choose at least one event type';
  const parsedHeaders = postedHeaders(form.get('headers') ?? '', current);
  if ('error' in parsedHeaders) errors.headers = `Extra headers: ${parsedHeaders.error}`;
  else body.headers = parsedHeaders.headers;
  const ca = (form.get('caCertificate') ?? '').trim();
  if (ca !== '') body.caCertificate = ca;
  else if (form.has('removeCa')) body.caCertificate = null;
  const secret = (form.get('secret') ?? '').trim();
  if (secret !== '') body.secret = secret;
  else if (form.has('removeSecret')) body.secret = null;
  // A longer first retry than the cap raises the cap: the form shows no cap of its own.
  const interval = body.retryIntervalSeconds as number;
  if (Number.isFinite(interval) && interval > 0) {
    const cap =
      current === undefined ? D.retryMaxIntervalSeconds : current.retryMaxIntervalMs / 1000;
    body.retryMaxIntervalSeconds = Math.max(cap, interval);
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === 'url' && url.error !== undefined) continue;
    try {
      parseRecipientPatch({ [key]: value }, current, now);
    } catch (error) {
      if (!(error instanceof RecipientSettingsError)) throw error;
      errors[formField(error.field)] ??= labelled(error);
    }
  }
  const values: RecipientFormValues = {
    enabled: body.enabled as boolean,
    name: body.name as string,
    url: body.url as string,
    events,
    retryIntervalSeconds: form.get('retryIntervalSeconds') ?? '',
    retryDurationSeconds: form.get('retryDurationSeconds') ?? '',
    timeoutSeconds: form.get('timeoutSeconds') ?? '',
    tlsVerify: body.tlsVerify as boolean,
    headers: form.get('headers') ?? '',
    secretMasked: valuesOf(current).secretMasked,
    hasCa: current?.caPem != null,
    alertContacts: contacts ?? valuesOf(current).alertContacts,
    alertAfterSeconds: form.get('alertAfterSeconds') ?? valuesOf(current).alertAfterSeconds,
    resendAlertsSeconds: form.get('resendAlertsSeconds') ?? valuesOf(current).resendAlertsSeconds,
    repSurveyEventName: wire
      ? String(body.repSurveyEventName)
      : valuesOf(current).repSurveyEventName,
    sendApplianceId: wire ? form.has('sendApplianceId') : valuesOf(current).sendApplianceId,
    sendCustomFields: wire ? form.has('sendCustomFields') : valuesOf(current).sendCustomFields,
  };
  return { body, errors, values };
}

/** Runs the whole-object check after the per-field ones; its error lands on its field. */
function whole<T>(
  values: RecipientFormValues,
  errors: FieldErrors,
  parse: () => T,
): RecipientFormResult<T> {
  if (Object.keys(errors).length > 0) return { ok: false, values, errors };
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (!(error instanceof RecipientSettingsError)) throw error;
    return { ok: false, values, errors: { [formField(error.field)]: labelled(error) } };
  }
}

export function readNewRecipient(form: Form, now: number): RecipientFormResult<RecipientInput> {
  const { body, errors, values } = read(form, undefined, now);
  return whole(values, errors, () => parseRecipientInput(body));
}

export function readRecipientChange(
  form: Form,
  current: Recipient,
  now: number,
): RecipientFormResult<RecipientPatch> {
  const { body, errors, values } = read(form, current, now);
  return whole(values, errors, () => {
    const patch = parseRecipientPatch(body, current, now);
    checkIntervals({ ...current, ...patch });
    return patch;
  });
}
