import { escapeHtml, html, SafeHtml } from './html.js';

/**
 * Characters a page cannot carry as text (nor XML at all): C0 controls but tab, line feed and
 * carriage return; DEL and the C1 controls; U+FFFE and U+FFFF; a surrogate without its pair
 * (which UTF-8 cannot even encode).
 */
const UNCARRIABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const codePoint = (c: string) =>
  `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Text a session's participants typed (a chat message, a note, an answer), as the page shows
 * it: escaped like any value, and each character a page cannot carry shown by its code point
 * (`U+0000`, marked), so that the text stays readable and the page stays whole.
 */
export function typedText(text: string): SafeHtml {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(UNCARRIABLE)) {
    out += escapeHtml(text.slice(last, match.index));
    out += html`<span class="ctl" title="a control or invalid character">${codePoint(match[0])}</span>`;
    last = match.index + match[0].length;
  }
  return new SafeHtml(out + escapeHtml(text.slice(last)));
}

/** A duration as the reports write it: HH:MM:SS (hours may pass 99). */
export function hms(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

/** A file's size in bytes, and in KiB/MiB when large. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
