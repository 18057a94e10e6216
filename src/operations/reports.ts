import { Readable } from 'node:stream';
import { type ReportRequest, reportDocument } from '../reporting/index.js';
import type { OperationsContext } from './context.js';

/*
 * The Reporting API's use case: the sessions a checked request covers, read from the store a
 * page at a time and written as one XML document that streams. What is read is what was
 * committed: a session's report shows its end_time as soon as the transaction that emitted its
 * support_conference_end has committed, before any receiver can have heard of the end.
 */

type Ctx = Pick<OperationsContext, 'store' | 'clock'>;

/**
 * Sessions read from the store per statement. Small enough that a page's parsed states stay a
 * few MB (500 doubled the heap the bench saw, for no speed), large enough that the round trips
 * do not count.
 */
export const REPORT_PAGE_SIZE = 100;

/** The one public site Outbound reports, as the appliance's first site. */
export const PUBLIC_SITE_NAME = 'Default';

/** The report as UTF-8 text that streams: the caller sends it as it is produced. */
export async function generateReport(
  ctx: Ctx,
  request: ReportRequest,
  namespace: string,
): Promise<Readable> {
  const customFieldNames = await customFieldDisplayNames(ctx);
  const pages = ctx.store.reportSessions(request.sessions, REPORT_PAGE_SIZE);
  const text = reportDocument(
    request,
    pages,
    { siteName: PUBLIC_SITE_NAME, customFieldNames, now: ctx.clock() },
    namespace,
  );
  // The first piece (the root and the first page) is read before answering, so that a store
  // that cannot answer is an error response rather than a cut document.
  const first = await text.next();
  async function* whole(): AsyncGenerator<string> {
    if (first.done) return;
    yield first.value;
    yield* text;
  }
  return Readable.from(whole(), { objectMode: false });
}

/** Custom fields' display names by code name, as defined now. */
async function customFieldDisplayNames(ctx: Ctx): Promise<Map<string, string>> {
  const fields = await ctx.store.customFields.list();
  return new Map(fields.map((f) => [f.codeName, f.displayName]));
}
