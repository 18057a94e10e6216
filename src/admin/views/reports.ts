import {
  normalizeState,
  primaryCustomer,
  primaryRep,
  type SessionRecord,
  type SessionState,
} from '../../sessions/index.js';
import type { WebSession } from '../../store/admin-store.js';
import type { SessionSummary } from '../../store/session-search.js';
import { html, type SafeHtml } from '../html.js';
import { hms, typedText } from '../report-text.js';
import { timeTag } from '../time-tag.js';
import { page } from './layout.js';

/** The search form as typed; `errors` by field. */
export interface SessionSearchForm {
  from: string;
  to: string;
  rep: string;
  customer: string;
  externalKey: string;
  errors: Partial<Record<'from' | 'to' | 'rep' | 'customer' | 'externalKey', string>>;
}

type FieldName = Exclude<keyof SessionSearchForm, 'errors'>;

const field = (
  name: FieldName,
  label: string,
  form: SessionSearchForm,
  options: { type?: string; hint?: string } = {},
) => {
  const error = form.errors[name];
  const type = options.type ?? 'text';
  return html`<div class="field${error ? ' invalid' : ''}"><label for="${name}">${label}</label>
  <input type="${type}" id="${name}" name="${name}" value="${form[name]}"${type === 'datetime-local' ? html` step="1"` : ''}${options.hint ? html` aria-describedby="${name}-hint"` : ''}>
  ${options.hint && html`<div class="hint" id="${name}-hint">${options.hint}</div>`}
  ${error && html`<div class="error" role="alert">${error}</div>`}</div>`;
};

/** The path of a session's report. */
export const reportPath = (lsid: string) => `/admin/reports/sessions/${encodeURIComponent(lsid)}`;

/** How long the session lasted, or has lasted so far. */
export function sessionDuration(
  record: Pick<SessionRecord, 'createdAt' | 'endedAt'>,
  now: number,
): string {
  return hms(((record.endedAt ?? now) - record.createdAt) / 1000);
}

/** Reports → Support sessions: the search and a page of the sessions found, newest first. */
export function sessionReportsPage(
  session: WebSession,
  form: SessionSearchForm,
  found: SessionSummary[],
  now: number,
  older?: string,
): SafeHtml {
  const row = (record: SessionSummary) => {
    // The participants' rules read a state's members and owner, all a summary has of it.
    const state = normalizeState({
      lsid: record.lsid,
      externalKey: record.externalKey,
      owner: record.owner,
      members: record.members,
      ended: record.ended,
    } as SessionState);
    const customer = primaryCustomer(state);
    const rep = primaryRep(state);
    return html`<tr data-lsid="${state.lsid}">
<td data-label="Started">${timeTag(record.createdAt)}</td>
<td data-label="Session"><a href="${reportPath(state.lsid)}">${state.lsid}</a> <span class="muted">#${record.lseq}</span></td>
<td data-label="Duration">${sessionDuration(record, now)}</td>
<td data-label="Status" data-kind="${state.ended ? 'disabled' : 'ok'}">${state.ended ? 'Ended' : 'Open'}</td>
<td data-label="Customer">${customer && typedText(customer.member.display_name)}</td>
<td data-label="Representative">${rep && typedText(rep.member.display_name)}</td>
<td data-label="External key">${state.externalKey !== null && typedText(state.externalKey)}</td>
</tr>`;
  };
  return page(
    { title: 'Support sessions', session, section: 'reports' },
    html`<p class="crumb">Reports</p>
<h1>Support sessions</h1>
<form class="panel search" method="get" action="/admin/reports/sessions">
${field('from', 'Started from (UTC)', form, { type: 'datetime-local' })}
${field('to', 'to (UTC)', form, { type: 'datetime-local' })}
${field('rep', 'Representative', form, { hint: 'part of a display name or username' })}
${field('customer', 'Customer', form, { hint: 'part of a display name' })}
${field('externalKey', 'External key', form, { hint: 'exact; end with * for a prefix' })}
<button class="primary" type="submit">Search</button>
</form>
<h2>${found.length === 0 ? 'No session matches.' : 'Newest first'}</h2>
${
  found.length > 0 &&
  html`<div class="table-box stack"><table data-sessions><thead><tr><th>Started</th><th>Session</th><th>Duration</th><th>Status</th><th>Customer</th><th>Representative</th><th>External key</th></tr></thead>
<tbody>${found.map(row)}</tbody></table></div>`
}
${older && html`<p><a href="${older}" rel="next">Older sessions</a></p>`}`,
  );
}
