import { html, type SafeHtml } from '../html.js';
import { page } from './layout.js';

export function loginPage(options: {
  csrf: string;
  /** Where to go after sign-in (a page of ours, checked again on POST). */
  next?: string | undefined;
  username?: string;
  error?: string;
  notice?: string;
}): SafeHtml {
  return page(
    { title: 'Sign in', alert: options.error, notice: options.notice },
    html`<form class="panel login" method="post" action="/login${options.next ? `?next=${encodeURIComponent(options.next)}` : ''}">
  <h1>Sign in</h1>
  <input type="hidden" name="csrf" value="${options.csrf}">
  <div class="field"><label for="username">User name</label>
    <input type="text" id="username" name="username" value="${options.username ?? ''}" autocomplete="username" required autofocus></div>
  <div class="field"><label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required></div>
  <button class="primary" type="submit">Sign in</button>
</form>`,
  );
}

export function setupPage(options: {
  token: string;
  username?: string;
  errors?: { username?: string; password?: string; form?: string };
}): SafeHtml {
  const errors = options.errors ?? {};
  return page(
    { title: 'Create the first administrator', alert: errors.form },
    html`<form class="panel login" method="post" action="/setup">
  <h1>Create the first administrator</h1>
  <p class="muted">This link works once. Later administrators are added with <code>outbound user add NAME</code>.</p>
  <input type="hidden" name="token" value="${options.token}">
  <div class="field${errors.username ? ' invalid' : ''}"><label for="username">User name</label>
    <input type="text" id="username" name="username" value="${options.username ?? ''}" autocomplete="username" required autofocus>
    ${errors.username && html`<div class="error">${errors.username}</div>`}</div>
  <div class="field${errors.password ? ' invalid' : ''}"><label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="new-password" required>
    ${errors.password && html`<div class="error">${errors.password}</div>`}</div>
  <div class="field"><label for="password2">Password again</label>
    <input type="password" id="password2" name="password2" autocomplete="new-password" required></div>
  <button class="primary" type="submit">Create and sign in</button>
</form>`,
  );
}
