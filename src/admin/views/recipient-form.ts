import { EVENT_NAMES } from '../../events/index.js';
import { MAX_ALERT_CONTACTS, MAX_TIMEOUT_SECONDS } from '../../recipients/index.js';
import type { WebSession } from '../../store/admin-store.js';
import { type HtmlValue, html, type SafeHtml } from '../html.js';
import type { ShowableField } from '../masked-field.js';
import {
  FIELD_MASKS,
  type FieldErrors,
  hidesSecret,
  type RecipientFormValues,
} from '../recipient-form.js';
import { csrfField, page } from './layout.js';

function field(
  name: string,
  label: string,
  errors: FieldErrors,
  control: HtmlValue,
  hint?: string,
): SafeHtml {
  const error = errors[name];
  return html`<div class="field${error ? ' invalid' : ''}" data-field-name="${name}">
  <label for="${name}">${label}</label>
  ${control}
  ${hint && html`<div class="hint">${hint}</div>`}
  ${error && html`<div class="error" id="${name}-error" role="alert">${error}</div>`}
</div>`;
}

const input = (name: string, value: string, type = 'text', extra: HtmlValue = '') =>
  html`<input type="${type}" id="${name}" name="${name}" value="${value}"${extra}>`;

/**
 * Options for receivers written against deployed appliances rather than the guide; each says
 * which receiver behaviour it exists for. All off: the guide's byte-exact body.
 */
function wireFieldset(values: RecipientFormValues, errors: FieldErrors): SafeHtml {
  const checked = (on: boolean) => (on ? html` checked` : '');
  const survey = ([value, label]: readonly [string, string]) =>
    html`<label><input type="radio" name="repSurveyEventName" value="${value}"${checked(values.repSurveyEventName === value)}> ${label}</label>`;
  const error = errors.repSurveyEventName;
  return html`<fieldset class="wire" data-fieldset="wire"><legend>Wire compatibility</legend>
<p class="muted">For receivers written for the appliance rather than the guide. All off: the guide's body, byte for byte.</p>
<div class="field${error ? ' invalid' : ''}" data-field-name="repSurveyEventName"><span class="label">Representative exit survey event name</span>
  <div class="checks">${REP_SURVEY_NAMES.map(survey)}</div>
  <div class="hint">Some integrations (ServiceNow's) know the survey only by the appliance's name, and drop the guide's with a 200.</div>
  ${error && html`<div class="error" role="alert">${error}</div>`}
</div>
<div class="field" data-field-name="sendApplianceId"><div class="checks"><label><input type="checkbox" name="sendApplianceId" value="on"${checked(values.sendApplianceId)}> Send appliance id</label></div>
  <div class="hint">Adds appliance_id (this installation's id, on the Settings page), for receivers that require it and match it against the appliance they expect.</div></div>
<div class="field" data-field-name="sendCustomFields"><div class="checks"><label><input type="checkbox" name="sendCustomFields" value="on"${checked(values.sendCustomFields)}> Send custom fields</label></div>
  <div class="hint">Adds the session's custom fields, named by code name, for receivers keyed on them (the appliance's "Send Custom Fields").</div></div>
</fieldset>`;
}

/** What the edit form shows of a field holding a saved secret. */
interface SecretField {
  /** Undefined for a new recipient: nothing saved, nothing to mask. */
  id: number | undefined;
  name: ShowableField;
  label: string;
  values: RecipientFormValues;
  /** After "Show", or typed in full: the value as it is. */
  show: boolean;
  errors: FieldErrors;
  control: (value: string, masked: boolean) => SafeHtml;
  hint: string;
  /** Said under a masked field: what saving it as shown does. */
  maskedHint: string;
}

/**
 * A field holding a saved secret (the URL, the extra headers): shown masked until "Show" asks
 * for the page again with it in full (?show=<field>, audited); posted back untouched, the masked
 * value keeps the saved one (recipient-form.ts, masked-field.ts).
 */
function secretField(f: SecretField): SafeHtml {
  const value = f.values[f.name];
  const hidden = f.id !== undefined && !f.show && hidesSecret(f.values, f.name);
  if (!hidden) return field(f.name, f.label, f.errors, f.control(value, false), f.hint);
  const show = html`<a class="button" href="/admin/recipients/${f.id}/edit?show=${f.name}#${f.name}" data-show-${f.name}>Show</a>`;
  return field(
    f.name,
    f.label,
    f.errors,
    html`<div class="with-button">${f.control(FIELD_MASKS[f.name](value), true)}
  ${show}</div>`,
    `${f.hint} ${f.maskedHint}`,
  );
}

const masked = (on: boolean) => (on ? html` data-masked` : '');

const urlControl = (value: string, hidden: boolean) =>
  hidden
    ? input('url', value, 'text', html` required${masked(true)}`)
    : input('url', value, 'url', html` required`);

const headersControl = (value: string, hidden: boolean) =>
  html`<textarea id="headers" name="headers" rows="3"${masked(hidden)}>${value}</textarea>`;

const REP_SURVEY_NAMES = [
  ['guide', "The guide's: support_conference_representative_exit_survey_completed"],
  ['rep', "Deployed appliances': support_conference_rep_exit_survey_completed"],
] as const;

export function recipientFormPage(options: {
  session: WebSession;
  /** Undefined for a new recipient. */
  id?: number;
  values: RecipientFormValues;
  errors?: FieldErrors;
  /**
   * The fields shown in full (after "Show", or as typed); in the others a saved URL's secret
   * parts and every saved header value are masked.
   */
  show?: ReadonlySet<ShowableField>;
}): SafeHtml {
  const { values, id } = options;
  const errors = options.errors ?? {};
  const title = id === undefined ? 'Add HTTP recipient' : `Edit HTTP recipient ${values.name}`;
  const action = id === undefined ? '/admin/recipients/new' : `/admin/recipients/${id}/edit`;
  const checked = (on: boolean) => (on ? html` checked` : '');
  return page(
    { title, session: options.session, section: 'recipients', alert: errors.form },
    html`<p class="crumb"><a href="/admin/recipients">Outbound Events → HTTP recipients</a></p>
<h1>${title}</h1>
<form class="panel" method="post" action="${action}" enctype="multipart/form-data" novalidate>
${csrfField(options.session)}
<div class="field"><label><input type="checkbox" name="enabled" value="on"${checked(values.enabled)}> Enabled</label>
  <div class="hint">A disabled recipient is queued nothing.</div></div>
${field('name', 'Name', errors, input('name', values.name, 'text', html` required maxlength="200"`), 'Unique.')}
${secretField({
  id,
  name: 'url',
  label: 'URL',
  values,
  show: options.show?.has('url') === true,
  errors,
  control: urlControl,
  hint: 'http:// or https://, used exactly as given, query string included.',
  maskedHint: 'Its secret parts are masked (•••); saved as shown, they stay as they are.',
})}
${field(
  'caCertificate',
  'CA certificate',
  errors,
  html`<input type="file" id="caCertificate" name="caCertificate" accept=".pem,.crt,.cer">
  ${values.hasCa && html`<div class="hint">A CA certificate is in use. <label><input type="checkbox" name="removeCa" value="on"> Remove it</label></div>`}
  <div><label><input type="checkbox" name="tlsVerify" value="on"${checked(values.tlsVerify)}> Verify the server's certificate</label></div>`,
  'Upload a PEM root to trust in addition to the public ones. Turn verification off only for a test server.',
)}
<div class="field${errors.events ? ' invalid' : ''}" data-field-name="events"><span class="label">Events to Send</span>
  <div class="checks">${EVENT_NAMES.map(
    (name) =>
      html`<label><input type="checkbox" name="events" value="${name}"${checked(values.events.includes(name))}> ${name}</label>`,
  )}</div>
  ${errors.events && html`<div class="error" role="alert">${errors.events}</div>`}
</div>
${field('retryIntervalSeconds', 'Retry Interval (seconds)', errors, input('retryIntervalSeconds', values.retryIntervalSeconds, 'number', html` min="0.01" step="any"`), 'First retry after this; doubles after each failure, up to 10 minutes.')}
${field('retryDurationSeconds', 'Retry Duration (seconds)', errors, input('retryDurationSeconds', values.retryDurationSeconds, 'number', html` min="0" step="any"`), 'Set the head aside once it has failed this long. 0 = retry forever.')}
${field('alertContacts', 'Email Contact', errors, html`<textarea id="alertContacts" name="alertContacts" rows="2">${values.alertContacts}</textarea>`, `Error alerts go to these addresses, one per line (at most ${MAX_ALERT_CONTACTS}). Empty: no alerts.`)}
${field('alertAfterSeconds', 'Send Email Alert After (seconds)', errors, input('alertAfterSeconds', values.alertAfterSeconds, 'number', html` min="0" step="any"`), 'No mail if the failing event gets through before this.')}
${field('resendAlertsSeconds', 'Resend Email Alerts (seconds)', errors, input('resendAlertsSeconds', values.resendAlertsSeconds, 'number', html` min="0" step="any"`), 'Again every so often while it keeps failing. 0 = alert once.')}
${field('timeoutSeconds', 'Request time-out (seconds)', errors, input('timeoutSeconds', values.timeoutSeconds, 'number', html` min="0.01" max="${MAX_TIMEOUT_SECONDS}" step="any"`), `At most ${MAX_TIMEOUT_SECONDS} seconds.`)}
${secretField({
  id,
  name: 'headers',
  label: 'Extra headers',
  values,
  show: options.show?.has('headers') === true,
  errors,
  control: headersControl,
  hint: 'One per line: Name: value.',
  maskedHint:
    'Values are masked (•••); saved as shown, they stay as they are, so a line can be added or removed without Show.',
})}
${field(
  'secret',
  'Signing secret',
  errors,
  html`<div class="with-button"><input type="text" id="secret" name="secret" value="" autocomplete="off" spellcheck="false" placeholder="${values.secretMasked ?? 'whsec_…'}">
  <button type="button" data-generate-secret hidden>Generate</button></div>
  ${values.secretMasked && html`<div class="hint">Current: ${values.secretMasked}. Leave empty to keep it. <label><input type="checkbox" name="removeSecret" value="on"> Remove it</label></div>`}`,
  'Standard Webhooks secret (whsec_ and base64); Generate makes a random one. Copy it for the receiver before saving: once saved it is shown masked.',
)}
${wireFieldset(values, errors)}
<div class="actions"><button class="primary" type="submit">Save</button>
  <a class="button" href="${id === undefined ? '/admin/recipients' : `/admin/recipients/${id}`}">Cancel</a></div>
</form>`,
  );
}
