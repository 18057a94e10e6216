import type { WebSession } from '../../store/admin-store.js';
import type { ApiAccount, ApiUserGrants } from '../../store/api-account-store.js';
import type { CustomField } from '../../store/custom-field-store.js';
import { html, type SafeHtml } from '../html.js';
import { timeTag } from '../time-tag.js';
import { csrfField, page } from './layout.js';

export interface ApiConfigurationView {
  accounts: ApiAccount[];
  liveTokens: Map<number, number>;
  users: Array<{ name: string } & ApiUserGrants>;
  /** The administrators' switch, and whether OUTBOUND_LEGACY_API_AUTH=true allows it. */
  legacy: { setting: boolean; allowedByEnv: boolean };
  customFields: CustomField[];
  /** A secret just made: shown on this answer only. */
  secret?: { name: string; clientId: string; clientSecret: string };
  /** A form's refusal, shown beside it. */
  errors?: { account?: string; customField?: string };
  notice?: string;
}

const COMMAND_LABELS: Record<string, string> = {
  deny: 'Deny',
  read_only: 'Read only',
  full: 'Full access',
};

const commandSelect = (selected: string, id: string) =>
  html`<select id="${id}" name="command">${Object.entries(COMMAND_LABELS).map(
    ([value, label]) =>
      html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`,
  )}</select>`;

const checked = (on: boolean) => (on ? html` checked` : '');

const action = (account: ApiAccount, verb: string) =>
  `/admin/api-configuration/accounts/${encodeURIComponent(account.name)}/${verb}`;

function accountRow(session: WebSession, a: ApiAccount, live: number): SafeHtml {
  const button = (verb: string, label: string, kind: string, confirm?: string) =>
    html`<form method="post" action="${action(a, verb)}"${confirm ? html` data-confirm="${confirm}"` : ''}>${csrfField(session)}<button class="${kind}" type="submit">${label}</button></form>`;
  return html`<tr data-api-account="${a.name}"><td data-label="Name">${a.name}</td>
<td data-label="Client id"><code>${a.clientId}</code></td>
<td data-label="State">${a.enabled ? 'enabled' : 'disabled'}</td>
<td data-label="Permissions"><form method="post" action="${action(a, 'permissions')}">${csrfField(session)}
  <label><input type="checkbox" name="reporting" value="on"${checked(a.reporting)}> Support session reports</label>
  <label>Command API ${commandSelect(a.command, `command-${a.id}`)}</label>
  <button type="submit">Save</button></form></td>
<td data-label="Live tokens">${live}</td>
<td data-label="Changed">${timeTag(a.updatedAt)}</td>
<td>${
    a.enabled
      ? button(
          'disable',
          'Disable',
          'danger',
          `Disable ${a.name}? Its tokens stop working at once.`,
        )
      : button('enable', 'Enable', '')
  }
${button('regenerate-secret', 'Regenerate secret', 'danger', `Give ${a.name} a new secret? The old one and every token issued with it stop working at once.`)}
${button('remove', 'Remove', 'danger', `Remove ${a.name}? Programs using it stop working.`)}</td></tr>`;
}

/** Management → API Configuration: API accounts, legacy access, custom fields. */
export function apiConfigurationPage(session: WebSession, view: ApiConfigurationView): SafeHtml {
  const { secret, legacy, errors = {} } = view;
  const legacyOn = legacy.setting && legacy.allowedByEnv;
  return page(
    { title: 'API Configuration', session, section: 'tokens', notice: view.notice },
    html`<h1>Management → API Configuration</h1>
<p><a href="/admin/tokens">API tokens</a> are for Outbound's own API (<code>/api/v1</code>); this page is for integrations written for the appliance.</p>
<p>API accounts call the Reporting API (<code>/api/reporting</code>) and the Command API (<code>/api/command</code>) with an OAuth2 access token from <code>POST /oauth2/token</code> (HTTP Basic with the client id and secret, <code>grant_type=client_credentials</code>). A token lasts an hour; an account holds at most 30.</p>
${
  secret &&
  html`<section class="panel" data-new-secret><p><strong>Client secret of "${secret.name}".</strong> Copy it now: it is not shown again (only its hash is kept).</p>
<p>Client id: <code>${secret.clientId}</code></p>
<p class="secret-once">${secret.clientSecret}</p></section>`
}
<h2>API accounts</h2>
<form class="panel" method="post" action="/admin/api-configuration/accounts">
${csrfField(session)}
<div class="field${errors.account ? ' invalid' : ''}"><label for="account-name">New API account</label>
  <input type="text" id="account-name" name="name" maxlength="64" required placeholder="servicenow">
  ${errors.account && html`<div class="error" role="alert">${errors.account}</div>`}</div>
<div class="field"><label><input type="checkbox" name="reporting" value="on"> Allow access to support session reports (Reporting API)</label></div>
<div class="field"><label for="account-command">Command API</label> ${commandSelect('deny', 'account-command')}</div>
<button class="primary" type="submit">Create API account</button>
</form>
<div class="table-box stack"><table><thead><tr><th>Name</th><th>Client id</th><th>State</th><th>Permissions</th><th>Live tokens</th><th>Changed</th><th></th></tr></thead>
<tbody>${view.accounts.map((a) => accountRow(session, a, view.liveTokens.get(a.id) ?? 0))}</tbody></table></div>

<h2>Legacy username/password</h2>
<section class="panel" data-legacy-auth="${legacyOn ? 'on' : 'off'}">
<p>Integrations written before API accounts pass <code>username</code> and <code>password</code> of an administrator as request parameters. That puts passwords in URLs (proxy and server logs, browser history): leave it off unless an integration cannot use OAuth2. It works only while this is on <em>and</em> the server runs with <code>OUTBOUND_LEGACY_API_AUTH=true</code>${legacy.allowedByEnv ? ' (it does)' : html` (<strong>it does not</strong>: legacy parameters are refused whatever this says)`}. Failed attempts count toward the same sign-in slowdown as <code>/login</code>.</p>
<form method="post" action="/admin/api-configuration/legacy">${csrfField(session)}
<label><input type="checkbox" name="enabled" value="on"${checked(legacy.setting)}> Accept legacy username/password parameters</label>
<button type="submit">Save</button></form>
</section>
<div class="table-box stack"><table><thead><tr><th>Administrator</th><th>Allowed to use</th></tr></thead>
<tbody>${view.users.map(
      (
        u,
      ) => html`<tr data-api-user="${u.name}"><td data-label="Administrator">${u.name}</td><td data-label="Allowed to use">
<form method="post" action="/admin/api-configuration/users/${encodeURIComponent(u.name)}/grants">${csrfField(session)}
<label><input type="checkbox" name="reporting_api" value="on"${checked(u.reporting)}> Reporting API</label>
<label><input type="checkbox" name="command_api" value="on"${checked(u.command)}> Command API</label>
<button type="submit">Save</button></form></td></tr>`,
    )}</tbody></table></div>

<!-- Custom fields (H-MODEL's definitions: src/operations/custom-fields.ts) -->
<h2 id="custom-fields">Custom fields</h2>
<p>Custom session attributes that integrations set with the Command API (<code>session.custom.&lt;code_name&gt;</code>) and read in reports.</p>
<form class="panel" method="post" action="/admin/api-configuration/custom-fields">
${csrfField(session)}
<div class="field${errors.customField ? ' invalid' : ''}"><label for="code-name">Code name</label>
  <input type="text" id="code-name" name="code_name" maxlength="64" required placeholder="ticket_queue">
  ${errors.customField && html`<div class="error" role="alert">${errors.customField}</div>`}</div>
<div class="field"><label for="display-name">Display name</label>
  <input type="text" id="display-name" name="display_name" maxlength="255" required placeholder="Ticket queue"></div>
<button class="primary" type="submit">Add custom field</button>
</form>
<div class="table-box stack"><table><thead><tr><th>Code name</th><th>Display name</th><th>Created</th><th></th></tr></thead>
<tbody>${view.customFields.map(
      (
        f,
      ) => html`<tr data-custom-field="${f.codeName}"><td data-label="Code name"><code>${f.codeName}</code></td><td data-label="Display name">${f.displayName}</td>
<td data-label="Created">${timeTag(f.createdAt)}</td>
<td><form method="post" action="/admin/api-configuration/custom-fields/${encodeURIComponent(f.codeName)}/remove" data-confirm="Remove custom field ${f.codeName}? Values already set stay in their sessions.">${csrfField(session)}<button class="danger" type="submit">Remove</button></form></td></tr>`,
    )}</tbody></table></div>`,
  );
}
