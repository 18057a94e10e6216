import type { AdminUser, WebSession } from '../../store/admin-store.js';
import { html, type SafeHtml } from '../html.js';
import { timeTag } from '../time-tag.js';
import { csrfField, page } from './layout.js';

export interface NewUserForm {
  username?: string;
  errors?: { username?: string | undefined; password?: string | undefined };
}

export function usersPage(
  session: WebSession,
  users: AdminUser[],
  options: NewUserForm & { notice?: string | undefined; alert?: string | undefined } = {},
): SafeHtml {
  const errors = options.errors ?? {};
  return page(
    {
      title: 'Administrators',
      session,
      section: 'users',
      notice: options.notice,
      alert: options.alert,
    },
    html`<h1>Administrators</h1>
<div class="table-box stack"><table data-users><thead><tr><th>Name</th><th>Created</th><th>Last sign-in</th><th></th></tr></thead>
<tbody>${users.map(
      (
        u,
      ) => html`<tr data-user="${u.name}"><td data-label="Name">${u.name}</td><td data-label="Created">${timeTag(u.createdAt)}</td><td data-label="Last sign-in">${timeTag(u.lastSignInAt)}</td>
<td><form method="post" action="/admin/users/${encodeURIComponent(u.name)}/remove" data-confirm="Remove administrator ${u.name}? Their sessions end at once.">${csrfField(session)}<button class="danger" type="submit">Remove</button></form></td></tr>`,
    )}</tbody></table></div>
<h2>Add an administrator</h2>
<form class="panel" method="post" action="/admin/users">
${csrfField(session)}
<div class="field${errors.username ? ' invalid' : ''}"><label for="username">User name</label>
  <input type="text" id="username" name="username" value="${options.username ?? ''}" autocomplete="off" required>
  ${errors.username && html`<div class="error" role="alert">${errors.username}</div>`}</div>
<div class="field${errors.password ? ' invalid' : ''}"><label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="new-password" required>
  ${errors.password && html`<div class="error" role="alert">${errors.password}</div>`}</div>
<div class="field"><label for="password2">Password again</label>
  <input type="password" id="password2" name="password2" autocomplete="new-password" required></div>
<button class="primary" type="submit">Add administrator</button>
</form>`,
  );
}
