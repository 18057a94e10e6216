import { ApiCallError, type ApiClient } from './api-client.js';

/** The custom fields simulated sessions fill in, defined when the service has none. */
export const SIMULATED_FIELDS = [
  { code_name: 'product', display_name: 'Product' },
  { code_name: 'priority', display_name: 'Priority' },
] as const;

export type SimulatedField = (typeof SIMULATED_FIELDS)[number]['code_name'];

/**
 * Which of the simulator's custom fields sessions may set: those the service has, after
 * defining them through the custom-fields API when it has none of them. When the service
 * has no such API or the token may not define fields, none: sessions then carry no custom
 * attributes, and `notice` says why (the run goes on).
 */
export async function prepareCustomFields(
  api: ApiClient,
): Promise<{ fields: SimulatedField[]; notice?: string }> {
  const skipped = (error: unknown) => {
    if (!(error instanceof ApiCallError)) throw error;
    return { fields: [], notice: `${error.message}: sessions get no custom attributes` };
  };
  let existing: Set<string>;
  try {
    const { body } = await api.call('GET', '/api/v1/custom-fields');
    const list = (body as { custom_fields?: { code_name?: unknown }[] } | undefined)?.custom_fields;
    existing = new Set((Array.isArray(list) ? list : []).map((f) => String(f.code_name)));
  } catch (error) {
    return skipped(error);
  }
  const have = SIMULATED_FIELDS.filter((f) => existing.has(f.code_name)).map((f) => f.code_name);
  if (have.length > 0) return { fields: have };
  try {
    for (const field of SIMULATED_FIELDS) await api.call('POST', '/api/v1/custom-fields', field);
  } catch (error) {
    return skipped(error);
  }
  return {
    fields: SIMULATED_FIELDS.map((f) => f.code_name),
    notice: `defined the custom fields ${SIMULATED_FIELDS.map((f) => f.code_name).join(', ')} for the sessions' attributes`,
  };
}
