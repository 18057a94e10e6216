import { generateReport } from '../../src/operations/reports.js';
import { parseReportRequest } from '../../src/reporting/index.js';
import type { Store } from '../../src/store/store.js';

export const NS = 'http://www.bomgar.com/namespaces/API/reporting';

/** The report the Reporting API would answer for `params`, read whole. */
export async function render(
  store: Store,
  params: Record<string, string>,
  now: number,
): Promise<string> {
  const request = parseReportRequest(new Map(Object.entries(params)));
  const stream = await generateReport({ store, clock: () => now }, request, NS);
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}
