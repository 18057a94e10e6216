import type { FastifyRequest } from 'fastify';
import { decodeFormBody, EventValidationError } from '../events/index.js';

/** At most this many parameters (query and body together): a report needs about a dozen. */
export const MAX_PARAMS = 500;
/** A parameter name longer than this is refused (the longest real one is a custom field's). */
export const MAX_NAME_LENGTH = 256;
/** A value longer than this is refused (the longest the APIs take is 10 KB of attributes). */
export const MAX_VALUE_LENGTH = 64 * 1024;

/** A request the appliance APIs cannot read; answered as an XML `<error>` with `status`. */
export class ApplianceParamError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ApplianceParamError';
  }
}

const parsed = new WeakMap<FastifyRequest, Map<string, string>>();

/**
 * The parameters of an appliance API call: the query string and the form body merged, as
 * clients send them either way (GET, form POST, POST with the query string and an empty body).
 * A name given more than once keeps its last value, the body's over the query's. Decoded
 * strictly (a broken escape or bytes that are not UTF-8 are refused, never replaced). Read
 * once per request: the access check and the route share the result.
 */
export function applianceParams(request: FastifyRequest): Map<string, string> {
  const known = parsed.get(request);
  if (known !== undefined) return known;
  const params = new Map<string, string>();
  const url = request.raw.url ?? request.url;
  const at = url.indexOf('?');
  if (at >= 0) add(params, url.slice(at + 1), 'query string');
  const body = request.body;
  if (typeof body === 'string') {
    add(params, body, 'form body');
  } else if (body !== undefined && body !== null) {
    // Only the form parser yields a string: anything else is JSON, which the appliance
    // never took (multipart never reaches here: the plugin refuses it while parsing).
    throw new ApplianceParamError(
      'The body must be application/x-www-form-urlencoded (or send the parameters in the query string).',
      415,
    );
  }
  parsed.set(request, params);
  return params;
}

function add(params: Map<string, string>, text: string, where: string): void {
  let pairs: Array<[string, string]>;
  try {
    pairs = decodeFormBody(text);
  } catch (error) {
    if (error instanceof EventValidationError) {
      throw new ApplianceParamError(`Invalid ${where}: ${error.message}`, 400, error.field);
    }
    throw error;
  }
  // Counted as given, repeats included: the work done is bounded, not only what is kept.
  if (pairs.length > MAX_PARAMS) {
    throw new ApplianceParamError(`Too many parameters: at most ${MAX_PARAMS}.`, 400);
  }
  for (const [name, value] of pairs) {
    if (name.length > MAX_NAME_LENGTH) {
      throw new ApplianceParamError(
        `Invalid parameter name: at most ${MAX_NAME_LENGTH} characters.`,
        400,
      );
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw new ApplianceParamError(
        `Invalid parameter ${name}: at most ${MAX_VALUE_LENGTH} characters.`,
        400,
        name,
      );
    }
    params.delete(name); // the last one wins, and its place is the last
    params.set(name, value);
  }
}
