import type { AuditEntry, WebSession } from '../../store/admin-store.js';
import { maskSecrets } from '../audit.js';
import { html, type SafeHtml } from '../html.js';
import { timeTag } from '../time-tag.js';
import { page } from './layout.js';

const json = (value: unknown) =>
  value === null
    ? html`<span class="muted">—</span>`
    : html`<pre>${JSON.stringify(value, null, 1)}</pre>`;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** For a change of an object, only the fields that changed (the log keeps them all). */
function changed(before: unknown, after: unknown): [unknown, unknown] {
  if (!isObject(before) || !isObject(after)) return [before, after];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  const pick = (o: Json) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
  return [pick(before), pick(after)];
}

export function auditPage(session: WebSession, entries: AuditEntry[], more?: number): SafeHtml {
  return page(
    { title: 'Audit log', session, section: 'audit' },
    html`<h1>Audit log</h1>
<p class="muted">Every change made by an administrator, newest first; for an edit, the fields that changed. Secrets are masked.</p>
<div class="table-box stack"><table data-audit><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Before</th><th>After</th></tr></thead>
<tbody>${entries.map((e) => {
      // Masked again as shown: entries written before a mask existed (URLs) hold it in full.
      const [before, after] = changed(maskSecrets(e.before), maskSecrets(e.after));
      return html`<tr><td data-label="When">${timeTag(e.at)}</td><td data-label="Who">${e.actor}</td><td data-label="Action">${e.action}</td><td data-label="Target">${e.target}</td>
<td data-label="Before">${json(before)}</td><td data-label="After">${json(after)}</td></tr>`;
    })}</tbody></table></div>
${more !== undefined && html`<p><a href="/admin/audit?before=${more}">Older entries</a></p>`}`,
  );
}
