import { EMAIL_EVENTS, type EmailRecipientErrors } from '../../alerts/email-recipient.js';
import type { RelayStatus } from '../../alerts/mailer.js';
import type { WebSession } from '../../store/admin-store.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, page } from './layout.js';

export interface EmailRecipientRow {
  id: number;
  address: string;
  events: string[];
  queued: number;
  failed: number;
  lastError: string | null;
}

const LABELS: Record<string, string> = {
  support_conference_end: 'Session end',
  support_conference_customer_exit_survey_completed: 'Customer exit survey',
  support_conference_representative_exit_survey_completed: 'Representative exit survey',
};

/** Outbound Events → Email recipients: the list, the relay's status, and the add form. */
export function emailRecipientsPage(
  session: WebSession,
  rows: EmailRecipientRow[],
  status: RelayStatus,
  options: {
    form?: { address: string; events: string[] };
    errors?: EmailRecipientErrors;
    notice?: string | undefined;
  } = {},
): SafeHtml {
  const errors = options.errors ?? {};
  const form = options.form ?? { address: '', events: [...EMAIL_EVENTS] };
  return page(
    { title: 'Email recipients', session, section: 'email', notice: options.notice },
    html`<h1>Outbound Events → Email recipients</h1>
<p data-relay-status class="${status.ok ? 'ok' : 'error-text'}">SMTP relay status: ${status.message}
  (<a href="/admin/settings">Settings → Email</a>)</p>
<div class="table-box stack"><table data-email-recipients><thead><tr><th>Email address</th><th>Events to Send</th><th>Queued Events</th><th>Failed</th><th>Last error</th><th></th></tr></thead>
<tbody>${rows.map(
      (r) => html`<tr data-recipient-id="${r.id}"><td data-label="Email address">${r.address}</td>
<td data-label="Events to Send">${r.events.map((e) => LABELS[e] ?? e).join(', ')}</td><td data-label="Queued Events">${r.queued}</td><td data-label="Failed">${r.failed}</td>
<td data-label="Last error" class="error-text">${r.lastError ?? ''}</td>
<td><form method="post" action="/admin/email-recipients/${r.id}/delete" data-confirm="Remove ${r.address}? Its queued mails are dropped.">${csrfField(session)}<button class="danger" type="submit">Remove</button></form></td></tr>`,
    )}</tbody></table></div>
<form class="panel" method="post" action="/admin/email-recipients" novalidate>
${csrfField(session)}
<h2>Add an email recipient</h2>
<div class="field${errors.address ? ' invalid' : ''}" data-field-name="address"><label for="address">Email address</label>
  <input type="text" id="address" name="address" value="${form.address}" placeholder="reports@example.com">
  ${errors.address && html`<div class="error" id="address-error" role="alert">${errors.address}</div>`}</div>
<div class="field${errors.events ? ' invalid' : ''}" data-field-name="events"><span class="label">Events to Send</span>
  <div class="checks">${EMAIL_EVENTS.map(
    (name) =>
      html`<label><input type="checkbox" name="events" value="${name}"${form.events.includes(name) ? html` checked` : ''}> ${LABELS[name]}</label>`,
  )}</div>
  ${errors.events && html`<div class="error" role="alert">${errors.events}</div>`}</div>
<div class="hint">Each event is mailed with its variables in readable form, in order, and retried until the relay accepts it. At most 10 addresses.</div>
<div class="actions"><button class="primary" type="submit">Add</button></div>
</form>`,
  );
}
