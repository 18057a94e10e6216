import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/http-error.js';

/**
 * Request bodies are read as bytes and decoded here, strictly. Fastify's own parsers decode
 * with replacement (bytes that are not UTF-8 become U+FFFD, stored as if sent), ignore a
 * declared charset (a latin1 body read as UTF-8), and answer a `__proto__` key with "Body is
 * not valid JSON", which sends the caller looking for the wrong mistake.
 */

// Fatal: refused, not replaced. JSON may start with a BOM (RFC 8259 lets a parser skip it);
// in a form a leading U+FEFF is the first field name's content, as the WHATWG parser keeps it.
const JSON_UTF8 = new TextDecoder('utf-8', { fatal: true });
const FORM_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;

/** A 415 unless the content type declares no charset or UTF-8 (any case, `utf8` too). */
export function checkCharset(contentType: string | undefined): void {
  const match = CHARSET.exec(contentType ?? '');
  if (match === null) return;
  const charset = match[1] ?? match[2] ?? '';
  if (/^utf-?8$/i.test(charset)) return;
  throw new HttpError(
    415,
    `charset=${charset} is not supported: the body must be UTF-8 (send charset=utf-8 or no charset)`,
  );
}

function utf8(bytes: Buffer, decoder: typeof JSON_UTF8): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new HttpError(400, 'the body is not valid UTF-8');
  }
}

/** application/json: UTF-8 only, and no key that could reach an object's prototype. */
export async function parseJsonBody(request: FastifyRequest, bytes: Buffer): Promise<unknown> {
  checkCharset(request.headers['content-type']);
  if (bytes.length === 0) throw new HttpError(400, 'request body is empty');
  const text = utf8(bytes, JSON_UTF8);
  let value: unknown;
  try {
    // Native JSON.parse defines `__proto__` as an own key (no prototype is set): safe to walk.
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `the body is not valid JSON: ${(error as Error).message}`);
  }
  // Every spelling of these keys holds the words or a \u escape: most bodies skip the walk.
  if (/proto|constructor|\\u/.test(text)) {
    const found = forbiddenKey(value);
    if (found !== undefined) {
      throw new HttpError(400, `"${found.name}" is not allowed as a field name`, found.field);
    }
  }
  return value;
}

/** application/x-www-form-urlencoded: UTF-8 text; the routes decode the fields strictly. */
export async function parseFormBody(request: FastifyRequest, bytes: Buffer): Promise<string> {
  checkCharset(request.headers['content-type']);
  return utf8(bytes, FORM_UTF8);
}

/**
 * The first `__proto__` key, or `constructor` holding `prototype` (what secure-json-parse
 * refuses), with its path in the API's field syntax: `owner.__proto__`, `[1].__proto__`.
 * Iterative: a deeply nested body must not overflow the stack.
 */
function forbiddenKey(root: unknown): { name: string; field: string } | undefined {
  const stack: Array<[unknown, string]> = [[root, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`]);
      continue;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const field = path === '' ? key : `${path}.${key}`;
      if (key === '__proto__') return { name: '__proto__', field };
      const child = record[key];
      if (
        key === 'constructor' &&
        typeof child === 'object' &&
        child !== null &&
        Object.hasOwn(child, 'prototype')
      ) {
        return { name: 'constructor.prototype', field: `${field}.prototype` };
      }
      stack.push([child, field]);
    }
  }
  return undefined;
}
