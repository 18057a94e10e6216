import type { WebSession } from '../../store/admin-store.js';
import { html, type SafeHtml } from '../html.js';
import { page } from './layout.js';

export function errorPage(status: number, message: string, session?: WebSession): SafeHtml {
  const title = status === 403 ? 'Refused' : status === 404 ? 'Not found' : 'Error';
  return page(
    { title, ...(session ? { session } : {}) },
    html`<h1>${title}</h1><p class="alert" role="alert">${message}</p>
<p><a href="/admin/recipients">Back to the recipients</a></p>`,
  );
}
