import type { RelayStatus } from '../../alerts/mailer.js';
import type { MailSettingsErrors, MailSettingsFields } from '../../alerts/relay-settings.js';
import type { InstallationId } from '../../operations/installation.js';
import type { WebSession } from '../../store/admin-store.js';
import { type HtmlValue, html, type SafeHtml } from '../html.js';
import { csrfField, page } from './layout.js';

export interface SettingsPageOptions {
  /** The form as stored or as typed; the password field is always empty. */
  fields: MailSettingsFields;
  /** A password is stored (shown only as that). */
  passwordSet: boolean;
  status: RelayStatus;
  errors?: MailSettingsErrors;
  /** Where the test mail went, or why it did not. */
  test?: { to: string; error?: string };
  notice?: string;
  /** This installation's id (sent as appliance_id to recipients that ask for it). */
  installation?: InstallationId;
}

function field(
  name: keyof MailSettingsFields | 'to',
  label: string,
  error: string | undefined,
  control: HtmlValue,
  hint?: string,
): SafeHtml {
  return html`<div class="field${error ? ' invalid' : ''}" data-field-name="${name}">
  <label for="${name}">${label}</label>
  ${control}
  ${hint && html`<div class="hint">${hint}</div>`}
  ${error && html`<div class="error" id="${name}-error" role="alert">${error}</div>`}
</div>`;
}

const SECURITY: [string, string][] = [
  ['starttls', 'STARTTLS (usually port 587)'],
  ['tls', 'TLS from the start (usually port 465)'],
  ['none', 'None (plain text; only on a trusted network)'],
];

/** Settings → Email: the SMTP relay, its status, and a test mail. */
export function settingsPage(session: WebSession, options: SettingsPageOptions): SafeHtml {
  const { fields, status, test } = options;
  const errors = options.errors ?? {};
  const text = (name: keyof MailSettingsFields, value: string, extra: HtmlValue = '') =>
    html`<input type="text" id="${name}" name="${name}" value="${value}"${extra}>`;
  return page(
    { title: 'Settings', session, section: 'settings', notice: options.notice },
    html`<h1>Settings</h1>
${options.installation && installationPanel(options.installation)}
<h2>Email</h2>
<p data-relay-status class="${status.ok ? 'ok' : 'error-text'}">SMTP relay status: ${status.message}</p>
<form class="panel" method="post" action="/admin/settings/email" novalidate>
${csrfField(session)}
${field('host', 'SMTP relay', errors.host, text('host', fields.host, html` required placeholder="smtp.example.com"`))}
${field('port', 'Port', errors.port, html`<input type="number" id="port" name="port" value="${fields.port}" min="1" max="65535">`, 'Empty: 465 for TLS, 587 for STARTTLS, 25 for none.')}
${field(
  'security',
  'Security',
  errors.security,
  html`<select id="security" name="security">${SECURITY.map(
    ([value, label]) =>
      html`<option value="${value}"${fields.security === value ? html` selected` : ''}>${label}</option>`,
  )}</select>
  <div><label><input type="checkbox" name="tlsVerify" value="on"${fields.tlsVerify ? html` checked` : ''}> Validate the relay's certificate</label></div>`,
)}
${field('username', 'Username', errors.username, text('username', fields.username, html` autocomplete="off"`), 'Empty: the relay takes mail without signing in.')}
${field(
  'password',
  'Password',
  errors.password,
  html`<input type="password" id="password" name="password" value="" autocomplete="new-password">`,
  options.passwordSet
    ? 'A password is stored. Leave empty to keep it.'
    : 'Stored for the relay; never shown again.',
)}
${field('from', 'Sender address', errors.from, text('from', fields.from, html` required placeholder="Outbound &lt;outbound@example.com&gt;"`))}
<div class="actions"><button class="primary" type="submit">Save</button></div>
</form>
<form class="panel" method="post" action="/admin/settings/email/test" novalidate>
${csrfField(session)}
${field(
  'to',
  'Send a test email to',
  test?.error,
  html`<input type="text" id="to" name="to" value="${test?.to ?? ''}" placeholder="you@example.com">`,
  'Through the saved settings.',
)}
<div class="actions"><button type="submit">Send test email</button></div>
</form>`,
  );
}

/** The id a recipient with "Send appliance id" sends as appliance_id, and where it comes from. */
function installationPanel({ id, overridden }: InstallationId): SafeHtml {
  return html`<h2>Installation</h2>
<p>Installation id: <code data-installation-id>${id}</code></p>
<p class="hint">Sent as <code>appliance_id</code> to recipients with "Send appliance id" on. ${
    overridden
      ? 'Set by OUTBOUND_APPLIANCE_ID (the generated id is kept for when it is removed).'
      : 'Generated at the first start; OUTBOUND_APPLIANCE_ID replaces it (e.g. with the GUID of the appliance this service replaces).'
  }</p>`;
}
