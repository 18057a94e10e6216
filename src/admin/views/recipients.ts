import type { WebSession } from '../../store/admin-store.js';
import { html, type SafeHtml } from '../html.js';
import type { RecipientRow } from '../recipient-rows.js';
import { timeTag } from '../time-tag.js';
import { page } from './layout.js';

/** The table's columns: the data-field of their cells (the script keeps them live) and label. */
export const RECIPIENT_COLUMNS: readonly (readonly [string, string])[] = [
  ['name', 'Name'],
  ['disabled', 'Disabled'],
  ['url', 'URL'],
  ['events', 'Events to Send'],
  ['status', 'Status'],
  ['queued', 'Queued Events'],
  ['failed', 'Failed'],
  ['oldestPending', 'Oldest pending'],
  ['lastSuccess', 'Last success'],
  ['lastError', 'Last error'],
  ['rate', 'Delivered/min'],
];

/** The last success as a <time> (relative, exact on hover); the script rebuilds it live. */
export const lastSuccessHtml = (row: RecipientRow): SafeHtml =>
  row.lastSuccessAt === null ? html`${row.lastSuccess}` : timeTag(Date.parse(row.lastSuccessAt));

export function recipientRowHtml(row: RecipientRow): SafeHtml {
  return html`<tr data-recipient-id="${row.id}">
  <td data-field="name"><a href="/admin/recipients/${row.id}">${row.name}</a></td>
  <td data-field="disabled">${row.disabled}</td>
  <td data-field="url">${row.url}</td>
  <td data-field="events">${row.events}</td>
  <td data-field="status" data-kind="${row.statusKind}">${row.status}</td>
  <td data-field="queued">${row.queued}</td>
  <td data-field="failed">${row.failed}</td>
  <td data-field="oldestPending">${row.oldestPending}</td>
  <td data-field="lastSuccess">${lastSuccessHtml(row)}</td>
  <td data-field="lastError">${row.lastError}</td>
  <td data-field="rate">${row.rate}</td>
</tr>`;
}

export function recipientsPage(
  session: WebSession,
  rows: RecipientRow[],
  notice?: string,
): SafeHtml {
  return page(
    { title: 'HTTP recipients', session, section: 'recipients', notice },
    html`<p class="crumb">Outbound Events</p>
<h1>HTTP recipients <span class="live" data-live data-kind="queued">connecting…</span></h1>
<div class="actions"><a class="button primary" href="/admin/recipients/new">Add HTTP recipient</a></div>
<div class="table-box stack"><table data-stream="/admin/recipients/stream">
<thead><tr>${RECIPIENT_COLUMNS.map(([, label]) => html`<th scope="col">${label}</th>`)}</tr></thead>
<tbody data-stream-rows>
${rows.map(recipientRowHtml)}
</tbody>
</table></div>
<p class="muted" data-empty${rows.length > 0 ? html` hidden` : ''}>No HTTP recipient yet: add one to start sending events.</p>`,
  );
}
