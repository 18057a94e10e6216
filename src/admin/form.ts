import type { FastifyRequest } from 'fastify';
import { badRequest } from '../api/http-error.js';
import { decodeFormBody, EventValidationError } from '../events/index.js';

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

/**
 * Parses a multipart body with the platform's own parser (fetch's `Response.formData`),
 * so that a certificate can be uploaded without a dependency.
 */
export async function parseMultipart(body: Buffer, contentType: string): Promise<Form> {
  const data = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const entries: [string, string][] = [];
  for (const [key, value] of data) {
    entries.push([key, typeof value === 'string' ? value : await value.text()]);
  }
  return new Form(entries);
}

/**
 * The request's form; the app parses urlencoded bodies to a string (api/app.ts). Decoded
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
