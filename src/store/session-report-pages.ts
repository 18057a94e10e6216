import type { SessionRecord } from '../sessions/index.js';
import { type SessionRow, toSessionRecord } from './session-records.js';
import { NO_END, type SessionReportQuery } from './session-report-query.js';

/** A sessions row as the report queries read it: with its lseq. */
export type SessionReportRow = SessionRow & { lseq: number | string };

type WindowKind = Exclude<SessionReportQuery['kind'], 'lsids'>;

/** What a backend runs for the report pages; the paging itself is the same on both. */
export interface SessionReportReader {
  /** The lowest and highest lseq of the window's sessions (null when it has none). */
  bounds(
    kind: WindowKind,
    from: number,
    before: number,
  ): Promise<{ low: number | string | null; high: number | string | null }>;
  windowPage(
    kind: WindowKind,
    page: { after: number; high: number; from: number; before: number; limit: number },
  ): Promise<SessionReportRow[]>;
  lsidsPage(lsids: string[], after: number, limit: number): Promise<SessionReportRow[]>;
}

const toRecord = (row: SessionReportRow): SessionRecord => ({
  ...toSessionRecord(row),
  lseq: Number(row.lseq),
});

/**
 * The sessions of a report in lseq order, `pageSize` at a time, each page read by its own
 * statement after the last lseq sent (keyset), so that memory holds one page whatever the
 * window. Pages are not one snapshot: a session changed between two pages shows as it is when
 * its page is read, and none is sent twice or skipped (lseq never changes).
 */
export async function* reportPages(
  query: SessionReportQuery,
  pageSize: number,
  reader: SessionReportReader,
): AsyncGenerator<SessionRecord[]> {
  if (query.kind === 'lsids') {
    if (query.lsids.length === 0) return;
    let after = 0;
    for (;;) {
      const rows = await reader.lsidsPage(query.lsids, after, pageSize);
      if (rows.length > 0) yield rows.map(toRecord);
      if (rows.length < pageSize) return;
      after = Number((rows[rows.length - 1] as SessionReportRow).lseq);
    }
  }
  const from = query.from;
  const before = query.before ?? NO_END;
  const bounds = await reader.bounds(query.kind, from, before);
  if (bounds.low === null || bounds.high === null) return;
  const high = Number(bounds.high);
  let after = Number(bounds.low) - 1;
  for (;;) {
    const rows = await reader.windowPage(query.kind, {
      after,
      high,
      from,
      before,
      limit: pageSize,
    });
    if (rows.length > 0) yield rows.map(toRecord);
    if (rows.length < pageSize) return;
    after = Number((rows[rows.length - 1] as SessionReportRow).lseq);
  }
}
