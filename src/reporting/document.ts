import type { SessionRecord, SurveyParty } from '../sessions/types.js';
import type { ReportName, ReportRequest, SurveyFilter } from './params.js';
import { type ReportContext, writeSession } from './session-report.js';
import { surveyReportEntry } from './survey-report.js';
import { XmlWriter } from './xml-writer.js';

/*
 * A whole report document as a stream of text pieces: the root opens, then each page of
 * sessions the store hands over is written and handed on before the next page is read, so
 * memory holds one page whatever the window. No session matching is an empty root (HTTP 200).
 */

const ROOTS = {
  SupportSession: 'session_list',
  SupportSessionListing: 'session_summary_list',
  SupportCustExitSurvey: 'exit_survey_list',
  SupportRepExitSurvey: 'exit_survey_list',
} as const satisfies Record<ReportName, string>;

const SURVEY_PARTY: Partial<Record<ReportName, SurveyParty>> = {
  SupportCustExitSurvey: 'customer',
  SupportRepExitSurvey: 'representative',
};

/** Hand text on once this much is waiting (characters), within a page too. */
const PIECE = 64 * 1024;

export async function* reportDocument(
  request: ReportRequest,
  pages: AsyncIterable<SessionRecord[]>,
  ctx: ReportContext,
  /** The default namespace declared on the root. */
  namespace: string,
): AsyncGenerator<string> {
  const w = new XmlWriter();
  const root = ROOTS[request.report];
  w.declaration().start(root, { xmlns: namespace }).newline();
  const party = SURVEY_PARTY[request.report];
  for await (const page of pages) {
    for (const record of page) {
      if (party !== undefined) {
        if (!record.state.surveys[party] || !matches(record, request.surveyFilter)) continue;
        surveyReportEntry(w, record, party, ctx);
      } else if (request.report === 'SupportSessionListing') {
        writeSummary(w, record);
      } else {
        writeSession(w, record, ctx);
      }
      w.newline();
      if (w.pending >= PIECE) yield w.take();
    }
    if (w.pending > 0) yield w.take();
  }
  w.close().newline();
  yield w.end();
}

/** SupportSessionListing's entry: the session ID, its external key, whether it was recorded. */
function writeSummary(w: XmlWriter, record: SessionRecord): void {
  // Outbound keeps no recordings.
  w.start('session_summary', { lsid: record.state.lsid, has_recording: 0 });
  w.element('external_key', record.state.externalKey ?? '');
  w.close();
}

/** `report_type=rep&id=N`: a representative with that user id took part; `team`: it owned it. */
function matches(record: SessionRecord, filter: SurveyFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (filter.by === 'team') return record.state.owner.conference_id === `team:${filter.id}`;
  return record.state.members.some(
    (m) => m.member.type === 'representative' && m.member.user_id === filter.id,
  );
}
