import type { FastifyRequest } from 'fastify';
import { decodeFormBody, EventValidationError } from '../events/index.js';
import { badRequest } from '../http/http-error.js';

/** A posted form: urlencoded, or multipart with uploaded files read as UTF-8 text. */
export class Form {
  constructor(private readonly entries: ReadonlyArray<readonly [string, string]>) {}

  get(name: string): string | undefined {
    return this.entries.find(([key]) => key === name)?.[1];
  }

  all(name: string): string[] {
    return this.entries.filter(([key]) => key === name).map(([, value]) => value);
  }

  has(name: string): boolean {
    return this.entries.some(([key]) => key === name);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** U+FFFD as UTF-8: present in the body when the sender really wrote the character. */
const REPLACEMENT = Buffer.from('\uFFFD');

/**
 * Parses a multipart body with the platform's own parser (fetch's `Response.formData`),
 * so that a certificate can be uploaded without a dependency. Held to the same rules as a
 * urlencoded form: UTF-8 only (uploads included), no `__proto__` field.
 */
export async function parseMultipart(body: Buffer, contentType: string): Promise<Form> {
  const data = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  // formData() decodes text with replacement: a U+FFFD the body does not hold stands for
  // bytes that were not UTF-8.
  const replaced = (text: string) => text.includes('\uFFFD') && !body.includes(REPLACEMENT);
  const entries: [string, string][] = [];
  for (const [key, value] of data) {
    if (key === '__proto__') throw badRequest('"__proto__" is not allowed as a field name', key);
    if (replaced(key)) throw badRequest('a field name is not valid UTF-8');
    let text: string;
    if (typeof value === 'string') {
      text = value;
    } else {
      try {
        text = UTF8.decode(await value.arrayBuffer());
      } catch {
        throw badRequest(`${key}: the uploaded file is not UTF-8 text`, key);
      }
    }
    if (replaced(text)) throw badRequest(`${key} is not valid UTF-8`, key);
    entries.push([key, text]);
  }
  return new Form(entries);
}

/**
 * The request's form; the app parses urlencoded bodies to a string (src/server.ts). Decoded
 * strictly: a broken escape or bytes that are not UTF-8 are a 400, never a stored U+FFFD.
 */
export function formOf(request: FastifyRequest): Form {
  const body = request.body;
  if (body instanceof Form) return body;
  if (typeof body !== 'string') return new Form([]);
  const form = new Form(decodedForm(body));
  request.body = form; // decoded once: the CSRF check and the handler both read it
  return form;
}

function decodedForm(body: string): Array<[string, string]> {
  try {
    return decodeFormBody(body);
  } catch (error) {
    if (error instanceof EventValidationError) throw badRequest(error.message, error.field);
    throw error;
  }
}
