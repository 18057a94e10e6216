import { EVENT_NAMES } from '../../events/index.js';
import type { SessionRecord } from '../../sessions/index.js';
import type { WebSession } from '../../store/admin-store.js';
import type { Delivery, DeliveryState, Recipient, StoredEvent } from '../../types.js';
import { describeEvent, variablesOf } from '../event-story.js';
import { type HtmlValue, html, type SafeHtml } from '../html.js';
import { timeTag } from '../time-tag.js';
import { csrfField, page } from './layout.js';
import { sessionState } from './session-state.js';

export interface EventSearchForm {
  lsid: string;
  externalKey: string;
  event: string;
  /** Delivery status filter: '', 'failed', 'pending' or 'delivered'. */
  status: string;
  from: string;
  to: string;
  errors: Partial<Record<'from' | 'to' | 'event' | 'status', string>>;
}

/** The status filter's choices: events with at least one delivery in that state. */
export const STATUS_CHOICES: readonly (readonly [DeliveryState, string])[] = [
  ['failed', 'failed (set aside)'],
  ['pending', 'pending'],
  ['delivered', 'delivered'],
];

/** An event's deliveries, counted by state (the list's Delivery status column). */
export type DeliveryCounts = Record<DeliveryState, number>;

/** "2 delivered, 1 failed" with the kind of the worst of them, or a dash when none. */
function statusCell(counts: DeliveryCounts | undefined): SafeHtml {
  const c = counts ?? { delivered: 0, pending: 0, failed: 0 };
  const parts = (
    [
      ['failed', 'failed'],
      ['pending', 'pending'],
      ['delivered', 'delivered'],
    ] as const
  )
    .filter(([state]) => c[state] > 0)
    .map(([state, word]) => `${c[state]} ${word}`);
  if (parts.length === 0) return html`<td data-label="Delivery" data-status>—</td>`;
  const kind = c.failed > 0 ? 'failed' : c.pending > 0 ? 'queued' : 'ok';
  return html`<td data-label="Delivery" data-status data-kind="${kind}">${parts.join(', ')}</td>`;
}

const field = (
  name: keyof EventSearchForm & string,
  label: string,
  form: EventSearchForm,
  type = 'text',
) => {
  const error = form.errors[name as 'from'];
  return html`<div class="field${error ? ' invalid' : ''}"><label for="${name}">${label}</label>
  <input type="${type}" id="${name}" name="${name}" value="${form[name] as string}"${type === 'datetime-local' ? html` step="1"` : ''}>
  ${error && html`<div class="error" role="alert">${error}</div>`}</div>`;
};

const eventLink = (e: StoredEvent) => html`<a href="/admin/events/${e.id}">${e.name}</a>`;
const sessionLink = (lsid: string) =>
  html`<a href="/admin/sessions/${encodeURIComponent(lsid)}">${lsid}</a>`;

export interface EventsList {
  events: StoredEvent[];
  /** Each shown event's deliveries by state, by event id. */
  counts: Map<number, DeliveryCounts>;
  /** The link to the next (older) page. */
  older?: string | undefined;
  /** This page's own address, where "Retry failed" comes back to. */
  here: string;
}

/**
 * "Retry failed": queues again, at their place, the failed deliveries of the events listed
 * (the ids are posted, so it acts on exactly the rows the administrator sees).
 */
function retryFailedForm(session: WebSession, list: EventsList): HtmlValue {
  const failed = list.events.filter((e) => (list.counts.get(e.id)?.failed ?? 0) > 0);
  if (failed.length === 0) return '';
  const deliveries = failed.reduce((n, e) => n + (list.counts.get(e.id)?.failed ?? 0), 0);
  return html`<form class="actions" method="post" action="/admin/events/retry-failed" data-retry-failed data-confirm="Queue the ${deliveries} failed deliveries of these events again, at their original place?">
${csrfField(session)}<input type="hidden" name="back" value="${list.here}">
${failed.map((e) => html`<input type="hidden" name="event" value="${e.id}">`)}
<button type="submit">Retry failed (${deliveries} ${deliveries === 1 ? 'delivery' : 'deliveries'} of ${failed.length} ${failed.length === 1 ? 'event' : 'events'} shown)</button></form>`;
}

export function eventsPage(
  session: WebSession,
  form: EventSearchForm,
  list: EventsList,
  messages: { notice?: string | undefined; alert?: string | undefined } = {},
): SafeHtml {
  const { events, older } = list;
  return page(
    { title: 'Events', session, section: 'events', ...messages },
    html`<h1>Events</h1>
<form class="panel search" method="get" action="/admin/events">
${field('lsid', 'lsid', form)}
${field('externalKey', 'External key', form)}
<div class="field${form.errors.event ? ' invalid' : ''}"><label for="event">Event type</label>
  <select id="event" name="event"><option value="">any</option>${EVENT_NAMES.map(
    (n) => html`<option value="${n}"${form.event === n ? html` selected` : ''}>${n}</option>`,
  )}</select>
  ${form.errors.event && html`<div class="error" role="alert">${form.errors.event}</div>`}</div>
<div class="field${form.errors.status ? ' invalid' : ''}"><label for="status">Delivery status</label>
  <select id="status" name="status"><option value="">any</option>${STATUS_CHOICES.map(
    ([value, label]) =>
      html`<option value="${value}"${form.status === value ? html` selected` : ''}>${label}</option>`,
  )}</select>
  ${form.errors.status && html`<div class="error" role="alert">${form.errors.status}</div>`}</div>
${field('from', 'Accepted from (UTC)', form, 'datetime-local')}
${field('to', 'to (UTC)', form, 'datetime-local')}
<button class="primary" type="submit">Search</button>
</form>
<h2>${events.length === 0 ? 'No event matches.' : 'Newest first'}</h2>
${retryFailedForm(session, list)}
${
  events.length > 0 &&
  html`<div class="table-box stack"><table data-events><thead><tr><th>Accepted</th><th>Event</th><th>lsid</th><th>External key</th><th>Id</th><th>Delivery</th></tr></thead>
<tbody>${events.map(
    (e) =>
      html`<tr data-event-id="${e.id}"><td data-label="Accepted">${timeTag(e.acceptedAt)}</td><td data-label="Event">${eventLink(e)}</td><td data-label="lsid">${sessionLink(e.lsid)}</td><td data-label="External key">${e.externalKey ?? ''}</td><td data-label="Id">${e.uid}</td>${statusCell(list.counts.get(e.id))}</tr>`,
  )}</tbody></table></div>`
}
${older && html`<p><a href="${older}">Older events</a></p>`}`,
  );
}

export function eventPage(
  session: WebSession,
  event: StoredEvent,
  deliveries: { delivery: Delivery; recipient: Recipient | undefined }[],
): SafeHtml {
  return page(
    { title: event.name, session, section: 'events' },
    html`<p class="crumb"><a href="/admin/events">Events</a></p>
<h1>${event.name}</h1>
<dl class="panel">
  <dt>Id (webhook-id)</dt><dd>${event.uid}</dd>
  <dt>Accepted</dt><dd>${timeTag(event.acceptedAt)}</dd>
  <dt>Session</dt><dd>${sessionLink(event.lsid)}</dd>
</dl>
<h2>Variables, as sent</h2>
<div class="table-box"><table data-variables><thead><tr><th>Name</th><th>Value</th></tr></thead>
<tbody>${variablesOf(event).map(([k, v]) => html`<tr><td>${k}</td><td>${v}</td></tr>`)}</tbody></table></div>
<h2>Delivery to each recipient</h2>
${
  deliveries.length === 0
    ? html`<p class="muted">Not queued for any recipient (none subscribed, or its history was pruned).</p>`
    : html`<div class="table-box stack"><table data-event-deliveries><thead><tr><th>Recipient</th><th>State</th><th>Attempts</th><th>Delivered</th><th>Set aside</th><th>Last error</th></tr></thead>
<tbody>${deliveries.map(
        ({ delivery: d, recipient }) =>
          html`<tr><td data-label="Recipient">${recipient ? html`<a href="/admin/recipients/${recipient.id}">${recipient.name}</a>` : d.recipientId}</td>
<td data-label="State" data-kind="${d.state === 'delivered' ? 'ok' : d.state === 'failed' ? 'failed' : 'queued'}">${d.state}</td><td data-label="Attempts">${d.attempts}</td>
<td data-label="Delivered">${timeTag(d.deliveredAt)}</td><td data-label="Set aside">${timeTag(d.failedAt)}</td><td data-label="Last error" class="error-text">${d.lastError ?? ''}</td></tr>`,
      )}</tbody></table></div>`
}`,
  );
}

export function sessionPage(
  session: WebSession,
  lsid: string,
  events: StoredEvent[],
  record: SessionRecord | undefined,
): SafeHtml {
  return page(
    { title: `Session ${lsid}`, session, section: 'events' },
    html`<p class="crumb"><a href="/admin/events?lsid=${encodeURIComponent(lsid)}">Events</a></p>
<h1>Session ${lsid}</h1>
${
  record &&
  html`<p class="muted">Reported through the sessions API: started ${timeTag(record.createdAt)}, ${
    record.endedAt === null ? 'still open' : html`ended ${timeTag(record.endedAt)}`
  }. <a href="/admin/reports/sessions/${encodeURIComponent(lsid)}">Its whole report</a></p>`
}
${record && sessionState(record)}
${
  events.length === 0
    ? html`<p class="muted">No event of this session is stored (any more).</p>`
    : html`<ol class="timeline" data-timeline>${events.map(
        (e) =>
          html`<li><span class="muted">${timeTag(e.acceptedAt)}</span> ${describeEvent(e)} · <a href="/admin/events/${e.id}">${e.name}</a></li>`,
      )}</ol>`
}`,
  );
}
