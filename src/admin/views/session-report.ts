import {
  type CustomerDetails,
  type DetailParty,
  primaryCustomer,
  primaryRep,
  type RepresentativeDetails,
  type SessionDetail,
  type SessionMember,
  type SessionRecord,
  type SurveyAnswer,
  secondsInvolved,
} from '../../sessions/index.js';
import type { WebSession } from '../../store/admin-store.js';
import type { Delivery, Recipient, StoredEvent } from '../../types.js';
import { describeEvent } from '../event-story.js';
import { formatTime } from '../format.js';
import { type HtmlValue, html, type SafeHtml } from '../html.js';
import { fileSize, typedText } from '../report-text.js';
import { timeTag } from '../time-tag.js';
import { page } from './layout.js';
import { sessionDuration } from './reports.js';

/** One schema-1 event of the session with its delivery to each recipient. */
export interface TimelineEntry {
  event: StoredEvent;
  deliveries: { delivery: Delivery; recipient: Recipient | undefined }[];
}

const at = (seconds: number | null | undefined) =>
  seconds == null ? '—' : formatTime(seconds * 1000);

const party = (p: DetailParty | undefined, none = '') =>
  p === undefined
    ? none
    : html`${typedText(p.name)} <span class="muted">(${p.type}, ${p.gsnumber})</span>`;

const none = (text: string) => html`<p class="muted">${text}</p>`;

/** Label/value pairs, the empty ones left out. */
function facts(pairs: [string, string | undefined][]): HtmlValue {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== '');
  return shown.map(
    ([k, v]) => html`<div><span class="muted">${k}:</span> ${typedText(v ?? '')}</div>`,
  );
}

function customersTable(members: SessionMember[], seconds: (m: SessionMember) => number) {
  if (members.length === 0) return none('No customer took part.');
  return html`<div class="table-box stack"><table data-customers><thead><tr><th>gsnumber</th><th>Customer</th><th>Info</th><th>Computer</th><th>Joined</th><th>Left</th><th>Seconds involved</th></tr></thead>
<tbody>${members.map((m) => {
    const d = (m.details ?? {}) as CustomerDetails;
    return html`<tr data-gsnumber="${m.id}"><td data-label="gsnumber">${m.id}</td>
<td data-label="Customer">${typedText(m.member.display_name)}${d.username && html` <span class="muted">(${typedText(d.username)})</span>`}</td>
<td data-label="Info">${facts([
      ['Name', d.info?.name],
      ['Company', d.info?.company],
      ['Company code', d.info?.company_code],
      ['Issue', d.info?.issue],
      ['Details', d.info?.details],
    ])}</td>
<td data-label="Computer">${facts([
      ['Host', d.hostname],
      ['OS', d.os],
      ['Public IP', d.public_ip],
      ['Private IP', d.private_ip],
    ])}</td>
<td data-label="Joined">${at(m.joinedAt)}</td><td data-label="Left">${m.present ? 'present' : at(m.leftAt)}</td>
<td data-label="Seconds involved">${seconds(m)}</td></tr>`;
  })}</tbody></table></div>`;
}

function repsTable(members: SessionMember[], seconds: (m: SessionMember) => number) {
  if (members.length === 0) return none('No representative took part.');
  return html`<div class="table-box stack"><table data-representatives><thead><tr><th>gsnumber</th><th>Representative</th><th>Display names</th><th>Computer</th><th>Joined</th><th>Left</th><th>Seconds involved</th></tr></thead>
<tbody>${members.map((m) => {
    const d = (m.details ?? {}) as RepresentativeDetails;
    const who = m.member.type === 'representative' ? m.member : undefined;
    return html`<tr data-gsnumber="${m.id}"><td data-label="gsnumber">${m.id}</td>
<td data-label="Representative">${typedText(m.member.display_name)}${who && html` <span class="muted">(${typedText(who.username)}, user ${typedText(who.user_id)})</span>`}</td>
<td data-label="Display names">${facts([
      ['Public', d.public_display_name],
      ['Private', d.private_display_name],
    ])}</td>
<td data-label="Computer">${facts([
      ['Host', d.hostname],
      ['OS', d.os],
      ['Public IP', d.public_ip],
      ['Private IP', d.private_ip],
    ])}</td>
<td data-label="Joined">${at(m.joinedAt)}</td><td data-label="Left">${m.present ? 'present' : at(m.leftAt)}</td>
<td data-label="Seconds involved">${seconds(m)}</td></tr>`;
  })}</tbody></table></div>`;
}

/** Chat messages or notes, in order: who, to whom, when, and the text as typed. */
function transcript(details: SessionDetail[], kind: 'chat' | 'notes', empty: string) {
  if (details.length === 0) return none(empty);
  return html`<ol class="transcript" data-${kind}>${details.map(
    (d) =>
      html`<li><div class="muted">${at(d.timestamp)} · ${party(d.performedBy, 'system')}${
        kind === 'chat' && html` → ${d.destination ? party(d.destination) : 'everyone'}`
      }</div><div class="typed">${typedText(d.body ?? '')}</div></li>`,
  )}</ol>`;
}

function filesTable(details: SessionDetail[]) {
  const rows = details.flatMap((d) =>
    (d.files ?? []).map((f) => ({
      d,
      f,
      direction: d.type === 'File Upload' ? 'upload' : 'download',
    })),
  );
  if (rows.length === 0) return none('No file was transferred.');
  return html`<div class="table-box stack"><table data-files><thead><tr><th>When</th><th>By</th><th>Direction</th><th>File</th><th>Size</th></tr></thead>
<tbody>${rows.map(
    ({ d, f, direction }) =>
      html`<tr><td data-label="When">${at(d.timestamp)}</td><td data-label="By">${party(d.performedBy)}</td><td data-label="Direction">${direction}</td><td data-label="File">${typedText(f.filename)}</td><td data-label="Size">${fileSize(f.filesize)}</td></tr>`,
  )}</tbody></table></div>`;
}

function answers(list: SurveyAnswer[], submitted: boolean, party: string) {
  if (!submitted) return html`<p class="muted" data-survey="${party}">Not submitted.</p>`;
  if (list.length === 0)
    return html`<p class="muted" data-survey="${party}">Submitted without answers.</p>`;
  return html`<div class="table-box"><table data-survey="${party}"><thead><tr><th>Question</th><th>Answer</th></tr></thead>
<tbody>${list.map((a) => html`<tr><td>${typedText(a.name)}</td><td>${typedText(a.value)}</td></tr>`)}</tbody></table></div>`;
}

/** What a detail event carries besides who and when. */
function detailContent(d: SessionDetail): HtmlValue {
  return [
    d.body !== undefined && html`<div class="typed">${typedText(d.body)}</div>`,
    (d.data ?? []).map((v) => html`<div>${typedText(v.name)} = ${typedText(v.value)}</div>`),
    (d.files ?? []).map((f) => html`<div>${typedText(f.filename)} (${fileSize(f.filesize)})</div>`),
  ];
}

function timeline(entries: TimelineEntry[], cut: boolean, lsid: string) {
  if (entries.length === 0) return none('No event of this session is stored (any more).');
  return html`<ol class="timeline" data-timeline>${entries.map(
    ({ event: e, deliveries }) =>
      html`<li><span class="muted">${timeTag(e.acceptedAt)}</span> ${describeEvent(e)} · <a href="/admin/events/${e.id}">${e.name}</a>
<div class="deliveries">${
        deliveries.length === 0
          ? html`<span class="muted">not queued for any recipient</span>`
          : deliveries.map(
              ({ delivery: d, recipient }) =>
                html`<span class="delivery">${recipient ? recipient.name : `recipient ${d.recipientId}`}: <span data-kind="${d.state === 'delivered' ? 'ok' : d.state === 'failed' ? 'failed' : 'queued'}">${d.state}</span>${d.attempts > 1 ? ` (${d.attempts} attempts)` : ''}</span> `,
            )
      }</div></li>`,
  )}</ol>${cut && html`<p><a href="/admin/events?lsid=${encodeURIComponent(lsid)}">All of its events</a></p>`}`;
}

/**
 * A support session's whole report (what the Reporting API's SupportSession report holds)
 * beside the schema-1 events it emitted and their deliveries. Everything a participant typed
 * is shown as text.
 */
export function sessionReportPage(
  session: WebSession,
  record: SessionRecord,
  entries: TimelineEntry[],
  options: { now: number; timelineCut: boolean; fieldNames: Map<string, string> },
): SafeHtml {
  const { state } = record;
  const nowSeconds = Math.floor(options.now / 1000);
  const seconds = (m: SessionMember) => secondsInvolved(m, record, nowSeconds);
  const customers = state.members.filter((m) => m.member.type === 'customer');
  const reps = state.members.filter((m) => m.member.type === 'representative');
  const chat = state.details.filter((d) => d.type === 'Chat Message');
  const notes = state.details.filter((d) => d.type === 'Session Note Added');
  const files = state.details.filter((d) => d.type === 'File Upload' || d.type === 'File Download');
  const customer = primaryCustomer(state);
  const rep = primaryRep(state);
  const attributes = Object.entries(state.customAttributes);
  const lsid = encodeURIComponent(state.lsid);
  return page(
    { title: `Session ${state.lsid}`, session, section: 'reports' },
    html`<p class="crumb"><a href="/admin/reports/sessions">Support sessions</a></p>
<h1>Session ${state.lsid}</h1>
<dl class="panel" data-report>
  <dt>lseq</dt><dd data-field="lseq">${record.lseq}</dd>
  <dt>External key</dt><dd data-field="externalKey">${state.externalKey === null ? html`<span class="muted">none</span>` : typedText(state.externalKey)}</dd>
  <dt>Started</dt><dd data-field="start">${timeTag(record.createdAt)}</dd>
  <dt>Ended</dt><dd data-field="end">${record.endedAt === null ? html`<span class="muted">still open</span>` : timeTag(record.endedAt)}</dd>
  <dt>Duration</dt><dd data-field="duration">${sessionDuration(record, options.now)}</dd>
  <dt>Owner</dt><dd data-field="owner">${typedText(state.owner.conference_name)} <span class="muted">(${state.owner.conference_id})</span></dd>
  <dt>Primary customer</dt><dd data-field="primaryCustomer">${customer ? html`${typedText(customer.member.display_name)} <span class="muted">(gsnumber ${customer.id})</span>` : '—'}</dd>
  <dt>Primary representative</dt><dd data-field="primaryRep">${rep ? html`${typedText(rep.member.display_name)} <span class="muted">(gsnumber ${rep.id})</span>` : '—'}</dd>
  <dt>Chat messages</dt><dd>${chat.length}</dd>
  <dt>File transfers</dt><dd>${state.fileCounts.transfers}</dd>
</dl>
<p><a href="/admin/sessions/${lsid}">The session's state and timeline</a> · <a href="/admin/events?lsid=${lsid}">Its events</a></p>
<h2>Customers</h2>
${customersTable(customers, seconds)}
<h2>Representatives</h2>
${repsTable(reps, seconds)}
<h2>Chat</h2>
${transcript(chat, 'chat', 'No chat message.')}
<h2>Notes</h2>
${transcript(notes, 'notes', 'No note.')}
<h2>Files</h2>
${filesTable(files)}
<h2>Exit surveys</h2>
<h3>Customer</h3>
${answers(state.surveyAnswers.customer, state.surveys.customer, 'customer')}
<h3>Representative</h3>
${answers(state.surveyAnswers.representative, state.surveys.representative, 'representative')}
<h2>Custom attributes</h2>
${
  attributes.length === 0
    ? none('None set.')
    : html`<div class="table-box"><table data-attributes><thead><tr><th>Attribute</th><th>Value</th></tr></thead>
<tbody>${attributes.map(
        ([code, value]) =>
          html`<tr data-code-name="${code}"><td>${
            options.fieldNames.has(code)
              ? html`${options.fieldNames.get(code)} <span class="muted">(${code})</span>`
              : code
          }</td><td>${typedText(value)}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>Session details</h2>
${
  state.details.length === 0
    ? none('No detail event recorded.')
    : html`<details class="panel"><summary>${state.details.length} detail events, in order</summary>
<div class="table-box stack"><table data-details><thead><tr><th>When</th><th>Event</th><th>By</th><th>To</th><th>Content</th></tr></thead>
<tbody>${state.details.map(
        (d) =>
          html`<tr><td data-label="When">${at(d.timestamp)}</td><td data-label="Event">${d.type}</td><td data-label="By">${party(d.performedBy)}</td><td data-label="To">${party(d.destination)}</td><td data-label="Content">${detailContent(d)}</td></tr>`,
      )}</tbody></table></div></details>`
}
<h2>Events sent and their deliveries</h2>
${timeline(entries, options.timelineCut, state.lsid)}`,
  );
}
