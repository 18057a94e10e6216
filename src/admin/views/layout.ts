import type { WebSession } from '../../store/admin-store.js';
import { type HtmlValue, html, type SafeHtml } from '../html.js';

export type Section =
  | 'recipients'
  | 'events'
  | 'reports'
  | 'tokens'
  | 'users'
  | 'audit'
  | 'settings'
  | 'email';

export interface PageOptions {
  title: string;
  /** The signed-in session: the header shows the navigation and the sign-out button. */
  session?: WebSession;
  section?: Section;
  notice?: string | undefined;
  alert?: string | undefined;
}

const NAV: [Section, string, string][] = [
  ['recipients', '/admin/recipients', 'Outbound Events → HTTP recipients'],
  ['email', '/admin/email-recipients', 'Email recipients'],
  ['events', '/admin/events', 'Events'],
  ['reports', '/admin/reports/sessions', 'Reports'],
  ['tokens', '/admin/tokens', 'API tokens'],
  ['users', '/admin/users', 'Administrators'],
  ['audit', '/admin/audit', 'Audit log'],
  ['settings', '/admin/settings', 'Settings'],
];

/** The hidden field every form of a signed-in page carries (checked on every POST). */
export const csrfField = (session: WebSession): SafeHtml =>
  html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;

/**
 * A page of the admin interface. The navigation is a <details> menu: folded on a phone, shown
 * beside the brand on a wide screen by the style sheet (no script: the CSP allows only
 * admin.js, and the menu must work without it).
 */
export function page(options: PageOptions, body: HtmlValue): SafeHtml {
  const { session } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Outbound</title>
<link rel="icon" href="/admin/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/admin/assets/admin.css">
<script src="/admin/assets/admin.js" defer></script>
</head>
<body>
<header class="bar">
  <span class="brand">Outbound</span>
  ${
    session &&
    html`<details class="menu"><summary>Menu</summary>
  <div class="menu-items"><nav>${NAV.map(
    ([section, href, label]) =>
      html`<a href="${href}"${section === options.section ? html` aria-current="page"` : ''}>${label}</a>`,
  )}</nav>
  <span class="who">${session.userName}</span>
  <form method="post" action="/logout">${csrfField(session)}<button type="submit">Sign out</button></form></div>
  </details>`
  }
</header>
<main>
${options.notice && html`<p class="notice" role="status">${options.notice}</p>`}
${options.alert && html`<p class="alert" role="alert">${options.alert}</p>`}
${body}
</main>
</body>
</html>
`;
}
