import { ReceiverError, ReceiverErrorCode } from './errors.js';

/** A body already parsed by a framework, back into form variables for the validator. */
export function parsedForm(
  body: URLSearchParams | Readonly<Record<string, unknown>>,
): URLSearchParams {
  if (body instanceof URLSearchParams) return body;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    // A repeated variable arrives as an array: kept repeated, so the validator refuses it.
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (typeof item !== 'string') {
        throw new ReceiverError(ReceiverErrorCode.MALFORMED_EVENT, `${key} must be a string`, {
          field: key,
        });
      }
      params.append(key, item);
    }
  }
  return params;
}
