import type { WebSession } from '../../store/admin-store.js';
import type { Attempt, Delivery, Recipient } from '../../types.js';
import { type HtmlValue, html, type SafeHtml } from '../html.js';
import type { RecipientRow } from '../recipient-rows.js';
import { timeTag } from '../time-tag.js';
import { csrfField, page } from './layout.js';
import { lastSuccessHtml } from './recipients.js';

export interface DeliveryWithAttempts {
  delivery: Delivery;
  attempts: Attempt[];
}

/** One page of the pending queue, head first. */
export interface PendingPage {
  rows: DeliveryWithAttempts[];
  /** Rows before this page (0 on the head's page). */
  offset: number;
  /** Every pending delivery of the recipient. */
  total: number;
  /** The link to the next page, when there is one. */
  next?: string | undefined;
}

export interface RecipientPageData {
  recipient: Recipient;
  row: RecipientRow;
  pending: PendingPage;
  delivered: Delivery[];
  failed: DeliveryWithAttempts[];
  /** Deliveries and latency over the last hour and day (views/delivery-chart.ts). */
  charts?: HtmlValue;
}

function attemptsList(attempts: Attempt[]): HtmlValue {
  if (attempts.length === 0) return '';
  return html`<ol class="attempts">${attempts.map(
    (a) =>
      html`<li value="${a.n}">${timeTag(a.at)}: ${a.status === null ? '' : `HTTP ${a.status} `}${a.errorCode ?? ''}${a.error ? ` — ${a.error}` : ''} (${a.latencyMs} ms)</li>`,
  )}</ol>`;
}

/**
 * When the delivery is tried next. Only the head is ever tried: the others wait for it (their
 * stored time is when they were queued), and a paused lane tries nothing.
 */
function nextAttempt(recipient: Recipient, d: Delivery, head: boolean, now: number): HtmlValue {
  if (!head) return html`<span class="muted">after the head</span>`;
  if (recipient.paused) return html`<span class="muted">paused</span>`;
  if (d.nextAttemptAt === null || d.nextAttemptAt <= now) return 'due now';
  return timeTag(d.nextAttemptAt, now);
}

function queueTable(
  recipient: Recipient,
  rows: DeliveryWithAttempts[],
  empty: string,
  kind: 'pending' | 'failed',
  offset = 0,
): HtmlValue {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  const now = Date.now();
  return html`<div class="table-box stack"><table data-deliveries="${kind}">
<thead><tr><th>Seq</th><th>Event</th><th>lsid</th><th>Accepted</th><th>Attempts</th>${
    kind === 'pending' ? html`<th>Next attempt</th>` : html`<th>Set aside</th>`
  }<th>Errors</th></tr></thead>
<tbody>${rows.map(
    ({ delivery: d, attempts }, i) => html`<tr data-seq="${d.seq}">
  <td data-label="Seq">${d.seq}${kind === 'pending' && offset + i === 0 ? html` <strong>(head)</strong>` : ''}</td>
  <td data-label="Event">${d.eventName}</td><td data-label="lsid">${d.lsid}</td><td data-label="Accepted">${timeTag(d.acceptedAt)}</td>
  <td data-label="Attempts">${d.attempts}</td>
  ${
    kind === 'pending'
      ? html`<td data-label="Next attempt" data-next-attempt>${nextAttempt(recipient, d, offset + i === 0, now)}</td>`
      : html`<td data-label="Set aside">${timeTag(d.failedAt)}</td>`
  }
  <td data-label="Errors" class="error-text">${d.lastError ?? ''}${attemptsList(attempts)}</td>
</tr>`,
  )}</tbody></table></div>`;
}

/** The pending queue a page at a time, with where the page is in it and the way on. */
function pendingSection(recipient: Recipient, p: PendingPage): HtmlValue {
  const { rows, offset, total } = p;
  const where =
    rows.length === 0
      ? ''
      : html`<p class="muted" data-pending-total="${total}">${
          rows.length === total
            ? `${total} pending`
            : `${offset + 1}–${offset + rows.length} of ${total} pending`
        }</p>`;
  const nav = [
    offset > 0 && html`<a href="/admin/recipients/${recipient.id}#pending">Back to the head</a>`,
    p.next && html`<a href="${p.next}" rel="next">Next page</a>`,
  ].filter(Boolean);
  const empty = offset > 0 ? 'No more pending events.' : 'Nothing queued.';
  return html`${where}${queueTable(recipient, rows, empty, 'pending', offset)}${
    nav.length > 0 && html`<p class="actions pager">${nav}</p>`
  }`;
}

/** The recipient's error-alert settings, in the words of its form. */
function alertSummary(r: Recipient): string {
  if (r.alertContacts.length === 0) return 'no error alerts';
  const resend =
    r.resendAlertsMs === 0 ? 'once' : `again every ${r.resendAlertsMs / 1000} s while it fails`;
  return `${r.alertContacts.join(', ')}: alert after ${r.alertAfterMs / 1000} s of failing, ${resend}`;
}

/** The recipient's wire options, in the words of its form's "Wire compatibility". */
function wireSummary(r: Recipient): string {
  const on = [
    r.repSurveyEventName === 'rep' ? 'survey as support_conference_rep_exit_survey_completed' : '',
    r.sendApplianceId ? 'sends appliance_id' : '',
    r.sendCustomFields ? 'sends custom fields' : '',
  ].filter(Boolean);
  return on.length === 0 ? "the guide's body" : on.join('; ');
}

function actionButton(
  session: WebSession,
  id: number,
  action: string,
  label: string,
  confirm?: string,
  danger = false,
): SafeHtml {
  return html`<form method="post" action="/admin/recipients/${id}/${action}"${
    confirm ? html` data-confirm="${confirm}"` : ''
  }>${csrfField(session)}<button type="submit"${danger ? html` class="danger"` : ''}>${label}</button></form>`;
}

export function recipientPage(
  session: WebSession,
  data: RecipientPageData,
  messages: { notice?: string | undefined; alert?: string | undefined } = {},
): SafeHtml {
  const { recipient: r, row } = data;
  return page(
    { title: r.name, session, section: 'recipients', ...messages },
    html`<p class="crumb"><a href="/admin/recipients">Outbound Events → HTTP recipients</a></p>
<h1>${r.name} <span class="live" data-live data-kind="queued">connecting…</span></h1>
<dl class="panel" data-recipient-id="${r.id}" data-stream="/admin/recipients/stream">
  <dt>Status</dt><dd data-field="status" data-kind="${row.statusKind}">${row.status}</dd>
  <dt>URL</dt><dd data-field="url">${row.url}</dd>
  <dt>Events to Send</dt><dd data-field="events">${row.events}</dd>
  <dt>Queued Events</dt><dd data-field="queued">${row.queued}</dd>
  <dt>Failed (set aside)</dt><dd data-field="failed">${row.failed}</dd>
  <dt>Oldest pending</dt><dd data-field="oldestPending">${row.oldestPending}</dd>
  <dt>Last success</dt><dd data-field="lastSuccess">${lastSuccessHtml(row)}</dd>
  <dt>Last error</dt><dd data-field="lastError" class="error-text">${row.lastError}</dd>
  <dt>Delivered/min</dt><dd data-field="rate">${row.rate}</dd>
  <dt>Retry</dt><dd>every ${r.retryIntervalMs / 1000} s, doubling up to ${r.retryMaxIntervalMs / 1000} s; ${
    r.retryDurationMs === 0 ? 'forever' : `set aside after ${r.retryDurationMs / 1000} s`
  }</dd>
  <dt>Email Contact</dt><dd data-field="alertContacts">${alertSummary(r)}</dd>
  <dt>Wire compatibility</dt><dd data-field="wireOptions">${wireSummary(r)}</dd>
</dl>
<div class="actions">
  ${
    r.kind === 'email'
      ? html`<a class="button" href="/admin/email-recipients">Email recipients</a>`
      : html`<a class="button" href="/admin/recipients/${r.id}/edit">Edit</a>`
  }
  ${actionButton(session, r.id, 'test', 'Send test event')}
  ${actionButton(session, r.id, 'retry', 'Retry now')}
  ${actionButton(session, r.id, 'set-aside', 'Set head aside', 'Set the head event aside as failed? Delivery moves on to the next event.')}
  ${actionButton(session, r.id, 'replay', 'Replay failed', 'Queue every failed event again, at its original place?')}
  ${r.paused ? actionButton(session, r.id, 'resume', 'Resume') : actionButton(session, r.id, 'pause', 'Pause')}
  ${actionButton(session, r.id, 'delete', 'Delete', `Delete ${r.name} with its queue and history?`, true)}
</div>
<form class="panel actions" method="post" action="/admin/recipients/${r.id}/replay-range">
  ${csrfField(session)}
  <label>Replay events accepted from <input type="datetime-local" name="from" step="1" required></label>
  <label>to <input type="datetime-local" name="to" step="1" required> (UTC)</label>
  <button type="submit">Replay time range</button>
</form>
${
  data.charts &&
  html`<h2>Deliveries and latency</h2>
${data.charts}`
}
<section id="pending" data-pending>
<h2>Pending (head first)</h2>
${pendingSection(r, data.pending)}
</section>
<h2>Failed (set aside)</h2>
${queueTable(r, data.failed, 'No failed event.', 'failed')}
<h2>Delivered (newest first)</h2>
${
  data.delivered.length === 0
    ? html`<p class="muted">Nothing delivered yet.</p>`
    : html`<div class="table-box stack"><table data-deliveries="delivered"><thead><tr><th>Seq</th><th>Event</th><th>lsid</th><th>Accepted</th><th>Delivered</th><th>Attempts</th></tr></thead>
<tbody>${data.delivered.map(
        (d) =>
          html`<tr data-seq="${d.seq}"><td data-label="Seq">${d.seq}</td><td data-label="Event">${d.eventName}</td><td data-label="lsid">${d.lsid}</td><td data-label="Accepted">${timeTag(d.acceptedAt)}</td><td data-label="Delivered">${timeTag(d.deliveredAt)}</td><td data-label="Attempts">${d.attempts}</td></tr>`,
      )}</tbody></table></div>`
}`,
  );
}
