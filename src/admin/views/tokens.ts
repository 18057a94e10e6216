import type { WebSession } from '../../store/admin-store.js';
import type { ApiToken } from '../../types.js';
import { html, type SafeHtml } from '../html.js';
import { timeTag } from '../time-tag.js';
import { csrfField, page } from './layout.js';

export function tokensPage(
  session: WebSession,
  tokens: ApiToken[],
  options: { created?: { name: string; token: string }; nameError?: string; notice?: string } = {},
): SafeHtml {
  const { created } = options;
  return page(
    { title: 'API tokens', session, section: 'tokens', notice: options.notice },
    html`<h1>API tokens</h1>
<p>Tokens of Outbound's own API (<code>/api/v1</code>). Integrations that call the appliance's Reporting and Command APIs use API accounts: <a href="/admin/api-configuration">Management → API Configuration</a>.</p>
${
  created &&
  html`<section class="panel"><p><strong>Token "${created.name}" created.</strong> Copy it now: it is not shown again (only its hash is kept).</p>
<p class="secret-once" data-new-token>${created.token}</p></section>`
}
<form class="panel" method="post" action="/admin/tokens">
${csrfField(session)}
<div class="field${options.nameError ? ' invalid' : ''}"><label for="name">New token for</label>
  <input type="text" id="name" name="name" maxlength="200" required placeholder="helpdesk">
  ${options.nameError && html`<div class="error" role="alert">${options.nameError}</div>`}</div>
<button class="primary" type="submit">Create token</button>
</form>
<h2>Tokens</h2>
<div class="table-box stack"><table><thead><tr><th>Id</th><th>Name</th><th>Created</th><th>Last used</th><th>State</th><th></th></tr></thead>
<tbody>${tokens.map(
      (
        t,
      ) => html`<tr data-token-id="${t.id}"><td data-label="Id">${t.id}</td><td data-label="Name">${t.name}</td><td data-label="Created">${timeTag(t.createdAt)}</td>
<td data-label="Last used">${timeTag(t.lastUsedAt)}</td><td data-label="State">${t.revokedAt === null ? 'active' : html`revoked ${timeTag(t.revokedAt)}`}</td>
<td>${
        t.revokedAt === null &&
        html`<form method="post" action="/admin/tokens/${t.id}/revoke" data-confirm="Revoke token ${t.name}? Programs using it stop working.">${csrfField(session)}<button class="danger" type="submit">Revoke</button></form>`
      }</td></tr>`,
    )}</tbody></table></div>`,
  );
}
