import { formatRelative, formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';

/**
 * A time as the pages show it: relative ("5 min ago"), on one line (the style sheet keeps a
 * <time> unbroken), with the exact UTC time on hover and in `datetime` for scripts and tests.
 */
export function timeTag(ms: number | null | undefined, now = Date.now()): SafeHtml {
  if (ms == null) return html`—`;
  return html`<time datetime="${new Date(ms).toISOString()}" title="${formatTime(ms)}">${formatRelative(ms, now)}</time>`;
}
