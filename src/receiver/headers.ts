/**
 * Request headers as the frameworks hand them over: a Web `Headers`, Node's
 * `IncomingHttpHeaders` (lower-case keys, arrays for some repeats) or a plain object in any case.
 */
export type HeadersLike =
  | Headers
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/**
 * One header's value, or undefined when absent. Repeats are joined with `, ` as Node and
 * fetch do, so every representation of the same request gives the same answer.
 */
export function headerValue(headers: HeadersLike, name: string): string | undefined {
  if (isWebHeaders(headers)) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  let value = headers[lower];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === lower) {
        value = headers[key];
        break;
      }
    }
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : value.join(', ');
}

function isWebHeaders(headers: HeadersLike): headers is Headers {
  return typeof (headers as Headers).get === 'function';
}
