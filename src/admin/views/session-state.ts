import type { SessionMember, SessionRecord } from '../../sessions/index.js';
import { formatTime } from '../format.js';
import { type HtmlValue, html, type SafeHtml } from '../html.js';

const who = ({ id, member }: SessionMember): HtmlValue =>
  html`<li data-member-id="${id}">${member.display_name} (${member.type}${
    member.type === 'representative' ? `, ${member.username}, user ${member.user_id}` : ''
  }) <span class="muted">member ${id}</span></li>`;

const people = (members: SessionMember[], none: string): HtmlValue =>
  members.length === 0
    ? html`<span class="muted">${none}</span>`
    : html`<ul>${members.map(who)}</ul>`;

/**
 * A session as the sessions API holds it now: what its next change is checked against (who
 * may leave, which survey may still come), beside the events it emitted.
 */
export function sessionState(record: SessionRecord): SafeHtml {
  const { state } = record;
  const survey = (done: boolean) => (done ? 'submitted' : 'not submitted');
  return html`<h2>Now</h2>
<dl class="panel" data-session-state>
  <dt>Status</dt><dd data-field="status" data-kind="${state.ended ? 'disabled' : 'ok'}">${
    state.ended ? `Ended ${formatTime(record.endedAt)}` : 'Open'
  }</dd>
  <dt>External key</dt><dd data-field="externalKey">${state.externalKey ?? html`<span class="muted">none assigned</span>`}</dd>
  <dt>Owner</dt><dd data-field="owner">${state.owner.conference_name} (${state.owner.conference_id})</dd>
  <dt>Present</dt><dd data-field="present">${people(
    state.members.filter((m) => m.present),
    'nobody',
  )}</dd>
  <dt>Left</dt><dd data-field="left">${people(
    state.members.filter((m) => !m.present),
    'nobody yet',
  )}</dd>
  <dt>Exit surveys</dt><dd data-field="surveys">customer ${survey(state.surveys.customer)}; representative ${survey(state.surveys.representative)}</dd>
  <dt>Changes</dt><dd>${record.version}, the last at ${formatTime(record.updatedAt)}</dd>
</dl>`;
}
